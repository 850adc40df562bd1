package api

// BodyDigest is bodyDigest, for tests that hold an Idempotency-Key as a
// request in flight would.
var BodyDigest = bodyDigest
