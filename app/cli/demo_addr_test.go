package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// TestServeDemoRefusesARemoteAddress: `serve --demo` on an address other
// machines reach stops before it listens, saying why and what allows it;
// with --demo-allow-remote it serves and warns at start-up.
func TestServeDemoRefusesARemoteAddress(t *testing.T) {
	db := storetest.DatabaseURL(t, store.SQLite)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	listened := make(chan string, 1)
	var out, errOut syncBuffer
	code := Run(ctx, []string{"serve", "--demo", "--demo-audits", "0", "--workers", "0", "--addr", "0.0.0.0:0", "--database-url", db, "--files-url", "file:" + t.TempDir()},
		Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }, Ready: func(addr string) { listened <- addr; cancel() }})
	select {
	case addr := <-listened:
		t.Fatalf("serve --demo listened on %s, reachable from other machines", addr)
	default:
	}
	if code != 2 || !strings.Contains(errOut.String(), "loopback") || !strings.Contains(errOut.String(), "--demo-allow-remote") {
		t.Errorf("exit %d, stderr %q: want 2 and a message naming loopback and --demo-allow-remote", code, errOut.String())
	}

	_, out2, stop := startServe(t, db, "--demo", "--demo-audits", "0", "--workers", "0", "--addr", "0.0.0.0:0", "--demo-allow-remote")
	if !strings.Contains(out2.String(), "WARNING: demo mode") || !strings.Contains(out2.String(), "Demo mailbox") {
		t.Errorf("start-up output does not warn that the demo is reachable: %q", out2.String())
	}
	if code := stop(); code != 0 {
		t.Errorf("exit %d", code)
	}
}
