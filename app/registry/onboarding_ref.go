package registry

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"

	"clinaudit/app/store"
)

// Onboarding's abuse limits (auth.Limit), per client address and per
// email: the page and the API count under the same keys, so neither
// doubles the other's allowance (docs/security.md "Registry onboarding").
const (
	JoinPerAddress   = 20 // forms an hour from one address, then an hour's refusal
	JoinPerEmail     = 3  // emails an hour to one address; more are silently not sent
	VerifyPerAddress = 20 // typed codes an hour from one address
	VerifyPerEmail   = 10 // typed codes an hour for one email

	// The limits' key prefixes: the address, or auth.LimitKey(email), follows.
	LimitJoinAddress   = "join-addr:"
	LimitJoinEmail     = "join-email:"
	LimitVerifyAddress = "verify-addr:"
	LimitVerifyEmail   = "verify-email:"
)

// MsgCodeRefused is the answer to every typed code refused (VerifyCode's
// ErrInvalid, whatever the reason), on the page and in the API.
const MsgCodeRefused = "The code is not right, or it has stopped working. Check the newest email we sent you, or fill in the form again."

// A submission's reference is the hash of its link's token: it names the
// submission (for the API's code verification) without proving anything.
// Only the token (in the email) verifies by link, and only the code (in
// the email) with the reference; the hash of a 256-bit token gives
// neither back.

// DecoyRef is a reference naming no submission, of the same form as a
// real one: the answer to a form that was not stored (the honeypot, the
// per-email limit) must not differ from the answer to one that was.
func DecoyRef() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand does not fail (Go 1.24)
	return hex.EncodeToString(b)
}

// SubmissionEmail is the email of the registry's submission named by ref,
// "" when there is none (or another registry's): VerifyCode with "" then
// does the same work as for an unknown email and refuses. Errors:
// apperr.ErrNotFound (no such registry), the store's.
func (s *Service) SubmissionEmail(ctx context.Context, slug, ref string) (string, error) {
	reg, err := load(ctx, s.Store, slug)
	if err != nil {
		return "", err
	}
	sub, err := s.Store.GetOnboardingByToken(ctx, ref)
	if errors.Is(err, store.ErrNotFound) || (err == nil && sub.RegistryID != reg.ID) {
		return "", nil
	}
	return sub.Email, err
}
