package store

import "context"

type interactiveKey struct{}

// Interactive marks ctx as a person's request waiting on its write (a save,
// a form post, an API call). On SQLite, whose one writer every write
// queues for, such a transaction goes ahead of queued background work
// (jobs, imports, recalculations), which is never held back for long
// (litestore's writer gate). PostgreSQL has no single writer and ignores
// it.
func Interactive(ctx context.Context) context.Context {
	return context.WithValue(ctx, interactiveKey{}, true)
}

// IsInteractive reports whether ctx was marked by Interactive.
func IsInteractive(ctx context.Context) bool {
	v, _ := ctx.Value(interactiveKey{}).(bool)
	return v
}
