package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Limit counts one use of key, allowed limit times per window; a use over
// it is refused, and so is every use for lockFor after it: Limit returns
// when that refusal ends, nil when the use is allowed. The counts are the
// sign-in limits' (sign_in_throttle), shared by every instance; keys are
// the caller's own namespace ("join-addr:IP"). Other public forms (the
// registry's onboarding) use it.
func (s *Service) Limit(ctx context.Context, key string, limit int, window, lockFor time.Duration) *time.Time {
	_, until := s.take(ctx, key, limit, window, lockFor, s.now())
	return until
}

// LimitKey names an email in a limit's key without storing the address:
// the first 12 bytes of its SHA-256, after normalising.
func LimitKey(email string) string {
	sum := sha256.Sum256([]byte(NormaliseEmail(email)))
	return hex.EncodeToString(sum[:12])
}
