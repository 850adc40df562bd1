package password

import (
	"context"
	"testing"
)

// The benchmarks use the production parameters: their figures are what a
// sign-in costs. -benchmem's B/op shows the 19 MiB each derivation holds.

func BenchmarkHash(b *testing.B) {
	h, err := NewHasher(DefaultParams(), 0)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Hash(ctx, "correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyParallel runs GOMAXPROCS callers against a Hasher bounded
// at NumCPU, as a busy sign-in page would.
func BenchmarkVerifyParallel(b *testing.B) {
	h, err := NewHasher(DefaultParams(), 0)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	phc, err := h.Hash(ctx, "correct horse battery staple")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if ok, _, err := h.Verify(ctx, phc, "correct horse battery staple"); !ok || err != nil {
				b.Errorf("Verify = %v, %v", ok, err)
				return
			}
		}
	})
}
