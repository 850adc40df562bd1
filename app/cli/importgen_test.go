package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"clinaudit/app/audit"
	"clinaudit/app/synth"
)

// newDocGen makes the import tests' children (app/synth): one in ten not
// registered, the others registered in an open cohort, their forms filled
// as they come. The import must take every one.
func newDocGen(seed uint64, today audit.Date) *synth.Generator {
	return synth.New(synth.Options{Seed: seed, Today: today, Unregistered: 0.1})
}

// line is a document as one line of an import file.
func line(t *testing.T, c *audit.Child) string {
	t.Helper()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

var london = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}()
