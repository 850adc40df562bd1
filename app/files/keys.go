package files

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Envelope encryption: each file has its own random 256-bit data key that
// encrypts its bytes (AES-256-GCM); the data key is stored in the file's
// row wrapped (AES-256-GCM again) by a key from the configuration, whose id
// is recorded beside it. A copied bucket holds only ciphertext; a copied
// database only wrapped keys; rotating the configured key rewraps the data
// keys (Rewrap) without touching the objects. docs/files.md says what
// this does and does not protect against.

// KeySize is the size of every key: AES-256.
const KeySize = 32

// Keyring is the configured keys by id; Current wraps new data keys, the
// others only unwrap (the keys of files not yet rewrapped).
type Keyring struct {
	Current string
	keys    map[string][]byte
}

// ErrUnknownKey: a file's data key is wrapped by a key the configuration
// no longer has.
var ErrUnknownKey = errors.New("files: the key that wraps this file's data key is not configured")

// ParseKeys reads --files-keys: comma-separated id:base64 pairs (32 bytes
// each, standard or URL base64), the first the current key.
func ParseKeys(s string) (*Keyring, error) {
	k := &Keyring{keys: map[string][]byte{}}
	for i, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		id, b64, ok := strings.Cut(part, ":")
		if !ok || id == "" || strings.ContainsAny(id, " \t") {
			return nil, fmt.Errorf("files key %d: want id:base64", i+1)
		}
		key, err := decodeKey(b64)
		if err != nil {
			return nil, fmt.Errorf("files key %q: %w", id, err)
		}
		if _, dup := k.keys[id]; dup {
			return nil, fmt.Errorf("files key %q: given twice", id)
		}
		k.keys[id] = key
		if i == 0 {
			k.Current = id
		}
	}
	return k, nil
}

func decodeKey(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) != KeySize {
				return nil, fmt.Errorf("a key is %d bytes, not %d", KeySize, len(b))
			}
			return b, nil
		}
	}
	return nil, errors.New("not base64")
}

// NewKey is a fresh random key in the form --files-keys takes.
func NewKey(id string) string {
	return id + ":" + base64.StdEncoding.EncodeToString(random(KeySize))
}

func random(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	return b
}

// seal encrypts plain under key, binding aad: nonce || ciphertext.
func seal(key, plain, aad []byte) []byte {
	g := gcm(key)
	nonce := random(g.NonceSize())
	return g.Seal(nonce, nonce, plain, aad)
}

// open undoes seal; an error for a wrong key, a changed byte or other aad.
func open(key, sealed, aad []byte) ([]byte, error) {
	g := gcm(key)
	if len(sealed) < g.NonceSize() {
		return nil, errors.New("files: ciphertext too short")
	}
	return g.Open(nil, sealed[:g.NonceSize()], sealed[g.NonceSize():], aad)
}

func gcm(key []byte) cipher.AEAD {
	b, err := aes.NewCipher(key)
	if err != nil {
		panic(err) // keys are KeySize: checked where they are made
	}
	g, err := cipher.NewGCM(b)
	if err != nil {
		panic(err)
	}
	return g
}

// Sealed is a file's bytes encrypted, and its data key wrapped.
type Sealed struct {
	Data       []byte
	KeyID      string
	WrappedKey string
}

// Seal encrypts data under a new data key bound to the object's name (so
// an object copied under another file's name does not open), and wraps
// the data key with the current key.
func (k *Keyring) Seal(object string, data []byte) Sealed {
	dk := random(KeySize)
	return Sealed{Data: seal(dk, data, []byte(object)), KeyID: k.Current, WrappedKey: k.wrap(k.Current, dk, object)}
}

func (k *Keyring) wrap(id string, dk []byte, object string) string {
	return base64.StdEncoding.EncodeToString(seal(k.keys[id], dk, []byte("data key of "+object)))
}

func (k *Keyring) unwrap(id, wrapped, object string) ([]byte, error) {
	kek, ok := k.keys[id]
	if !ok {
		return nil, ErrUnknownKey
	}
	b, err := base64.StdEncoding.DecodeString(wrapped)
	if err != nil {
		return nil, err
	}
	return open(kek, b, []byte("data key of "+object))
}

// Open decrypts an object's bytes with its wrapped data key.
func (k *Keyring) Open(object, keyID, wrapped string, data []byte) ([]byte, error) {
	dk, err := k.unwrap(keyID, wrapped, object)
	if err != nil {
		return nil, fmt.Errorf("files: unwrap the data key of %s: %w", object, err)
	}
	return open(dk, data, []byte(object))
}

// Rewrap wraps a data key again under the current key.
func (k *Keyring) Rewrap(object, keyID, wrapped string) (string, error) {
	dk, err := k.unwrap(keyID, wrapped, object)
	if err != nil {
		return "", err
	}
	return k.wrap(k.Current, dk, object), nil
}

// linkKey is the key that signs links, derived from the current key: no
// setting of its own, and the same in every process. A rotation makes the
// links out (5 minutes' worth) fail, which is harmless.
func (k *Keyring) linkKey() []byte {
	m := hmac.New(sha256.New, k.keys[k.Current])
	m.Write([]byte("clinaudit file links v1"))
	return m.Sum(nil)
}
