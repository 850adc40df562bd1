package auth_test

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// BenchmarkSignIn50Concurrent signs in with 50 goroutines at once (the
// issue's flood) and reports the peak heap, which the Argon2id semaphore
// bounds: without it, 50 concurrent hashes would hold 50 × 19 MiB.
// BenchmarkVerifyBaseline, in the same run, is one bare Argon2id verify.
func BenchmarkSignIn50Concurrent(b *testing.B) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			s := storetest.Open(b, e)
			f := &fixture{s: s}
			svc, err := auth.New(s, password.DefaultPolicy(), auth.DefaultConfig())
			if err != nil {
				b.Fatal(err)
			}
			svc.Config.AddressLimit = 1 << 30
			f.svc, f.clock = svc, &clock{t: time.Now()}
			svc.Now = f.clock.Now
			u := benchUser(b, f)
			var peak atomic.Uint64
			stop := make(chan struct{})
			var wg sync.WaitGroup
			wg.Add(1)
			go func() { // sample the heap while the flood runs
				defer wg.Done()
				var m runtime.MemStats
				for {
					select {
					case <-stop:
						return
					case <-time.After(5 * time.Millisecond):
						runtime.ReadMemStats(&m)
						if m.HeapInuse > peak.Load() {
							peak.Store(m.HeapInuse)
						}
					}
				}
			}()
			b.SetParallelism((50 + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := svc.SignIn(context.Background(), u.Email, goodPassword, auth.Client{IP: "10.1.1.1"}); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.StopTimer()
			close(stop)
			wg.Wait()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sign-ins/s")
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
		})
	}
}

func BenchmarkVerifyBaseline(b *testing.B) {
	s := storetest.Open(b, store.SQLite)
	svc, err := auth.New(s, password.DefaultPolicy(), auth.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	hash, _ := svc.Hasher.Hash(context.Background(), goodPassword)
	b.ResetTimer()
	for b.Loop() {
		if ok, _, _ := svc.Hasher.Verify(context.Background(), hash, goodPassword); !ok {
			b.Fatal("verify failed")
		}
	}
}

func benchUser(b *testing.B, f *fixture) store.User {
	ctx := context.Background()
	var u store.User
	err := f.s.InTx(ctx, func(tx store.Tx) error {
		var err error
		u, err = f.svc.CreateUser(ctx, tx, auth.NewUser{Email: "bench@example.org", FirstName: "Ben", Surname: "Chmark", Role: access.Clinician, Organisation: "RGT01"})
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := f.svc.SetPasswordDirect(ctx, u, goodPassword); err != nil {
		b.Fatal(err)
	}
	return u
}
