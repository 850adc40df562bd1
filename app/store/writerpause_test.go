package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"clinaudit/app/store"
)

func TestPauseAfterWrite(t *testing.T) {
	const held = 30 * time.Millisecond
	tests := []struct {
		name   string
		engine store.Engine
		factor float64
		pauses bool
	}{
		{"SQLite by default", store.SQLite, 0, true},
		{"PostgreSQL by default", store.Postgres, 0, false},
		{"PostgreSQL when asked", store.Postgres, 1, true},
		{"SQLite with pausing off", store.SQLite, -1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			if err := store.PauseAfterWrite(context.Background(), tt.engine, tt.factor, held); err != nil {
				t.Fatal(err)
			}
			if paused := time.Since(start) >= held; paused != tt.pauses {
				t.Errorf("paused %v (took %s), want %v", paused, time.Since(start), tt.pauses)
			}
		})
	}
	t.Run("a context that ends cuts the pause short", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		start := time.Now()
		err := store.PauseAfterWrite(ctx, store.SQLite, 0, time.Hour)
		if !errors.Is(err, context.Canceled) || time.Since(start) > time.Minute {
			t.Errorf("PauseAfterWrite with an ended context: %v after %s", err, time.Since(start))
		}
	})
}
