package files

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Signed links, in the manner of the design's SAS tokens: the app issues
// one after checking the user's access, for one purpose (upload to a
// record, or download one file), bound to the user, valid for a few
// minutes. The handler that takes it checks the signature, the expiry and
// the user, and then checks access again (the record may have been deleted
// or the user's role changed since).

// Purposes of a link. A family's download link has a purpose of its own,
// and its UserID is the family account's id: verify wants the purpose
// asked for, so a staff link never opens for a family session and a
// family's never for staff, whatever the ids.
const (
	PurposeUpload         = "upload"
	PurposeDownload       = "download"
	PurposeFamilyDownload = "family-download"
)

// DefaultLinkTTL is how long a link lasts unless configured.
const DefaultLinkTTL = 5 * time.Minute

// Link is what a token says.
type Link struct {
	Purpose string
	// Subject is what the link is for: a file id (download) or a record
	// (upload: Owner.String()).
	Subject string
	// UserID is the staff user's id, or the family account's for
	// PurposeFamilyDownload.
	UserID  int64
	Expires time.Time
}

// Errors of a link that is refused.
var (
	ErrLinkInvalid = errors.New("files: this link is not valid")
	ErrLinkExpired = errors.New("files: this link has expired")
	ErrLinkUser    = errors.New("files: this link was made for someone else")
)

func (l Link) payload() string {
	return strings.Join([]string{l.Purpose, l.Subject, strconv.FormatInt(l.UserID, 10), strconv.FormatInt(l.Expires.Unix(), 10)}, "|")
}

// Sign makes a token: the payload and its HMAC-SHA256, URL-safe.
func sign(key []byte, l Link) string {
	p := l.payload()
	m := hmac.New(sha256.New, key)
	m.Write([]byte(p))
	return base64.RawURLEncoding.EncodeToString([]byte(p)) + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// verify reads a token for purpose and user at now: ErrLinkInvalid for a
// forged, changed or malformed one or one of another purpose,
// ErrLinkExpired, ErrLinkUser.
func verify(key []byte, token, purpose string, userID int64, now time.Time) (Link, error) {
	p64, s64, ok := strings.Cut(token, ".")
	if !ok {
		return Link{}, ErrLinkInvalid
	}
	p, err1 := base64.RawURLEncoding.DecodeString(p64)
	sig, err2 := base64.RawURLEncoding.DecodeString(s64)
	if err1 != nil || err2 != nil {
		return Link{}, ErrLinkInvalid
	}
	m := hmac.New(sha256.New, key)
	m.Write(p)
	if !hmac.Equal(sig, m.Sum(nil)) {
		return Link{}, ErrLinkInvalid
	}
	parts := strings.Split(string(p), "|")
	if len(parts) != 4 || parts[0] != purpose {
		return Link{}, ErrLinkInvalid
	}
	uid, err1 := strconv.ParseInt(parts[2], 10, 64)
	exp, err2 := strconv.ParseInt(parts[3], 10, 64)
	if err1 != nil || err2 != nil {
		return Link{}, fmt.Errorf("%w: payload", ErrLinkInvalid)
	}
	l := Link{Purpose: parts[0], Subject: parts[1], UserID: uid, Expires: time.Unix(exp, 0)}
	if !now.Before(l.Expires) {
		return l, ErrLinkExpired
	}
	if uid != userID {
		return l, ErrLinkUser
	}
	return l, nil
}

// SignForTest signs a link for userID as Section and Get do, for tests
// outside this package that need a link for any user (the access
// matrix). Production code never calls it: links are issued only after
// an access check.
func SignForTest(s *Service, purpose, subject string, userID int64) string {
	return sign(s.Keys.linkKey(), Link{Purpose: purpose, Subject: subject, UserID: userID, Expires: s.now().Add(s.ttl())})
}
