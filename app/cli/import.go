package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"clinaudit/app/answers"
	"clinaudit/app/audit"
	"clinaudit/app/children"
	"clinaudit/app/config"
	"clinaudit/app/store"
)

const importUsage = "usage: clinaudit import FILE.jsonl --org ODS   (FILE - reads standard input)"

// maxImportLine bounds one line of an import: a child's document is a few
// kilobytes (an episode description is at most 2,000 characters).
const maxImportLine = 4 << 20

// importCommand runs `import FILE --org ODS`: one child's JSON document a
// line (docs/data-format.md), each added at the organisation through the
// checks and saves of the forms (answers.Service.Import). Every line
// refused is reported on standard error with its number and why, naming
// the field; the others are imported, each in its own transaction. The
// summary goes to standard output; the exit status is 1 if any line was
// refused.
func importCommand(ctx context.Context, cfg *config.Config, args []string, ods string, env Env) error {
	if len(args) != 1 || strings.TrimSpace(ods) == "" {
		fmt.Fprintln(env.Stderr, importUsage)
		return errUsage
	}
	name, in, closeIn, err := openInput(args[0], "import", env)
	if err != nil {
		return err
	}
	defer closeIn()
	s, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer s.Close()
	o, err := s.GetOrganisationByODS(ctx, strings.ToUpper(strings.TrimSpace(ods)))
	if errors.Is(err, store.ErrNotFound) {
		fmt.Fprintf(env.Stderr, "clinaudit import: no organisation has the ODS code %q\n", ods)
		return errUsage
	}
	if err != nil {
		return err
	}
	res, err := importChildren(ctx, s, o, name, in, env.Stderr, time.Now)
	return summarise(env, res, err)
}

// summarise prints an import's counts; its error is err, or errBadInput
// (exit status 1) when a line was refused.
func summarise(env Env, res importResult, err error) error {
	fmt.Fprintf(env.Stdout, "imported %d, rejected %d\n", res.Imported, res.Rejected)
	if err != nil {
		return err
	}
	if res.Rejected > 0 {
		return errBadInput
	}
	return nil
}

// importResult counts an import's lines; IDs are the children added, in
// line order.
type importResult struct {
	Imported, Rejected int
	IDs                []int64
}

// importChildren imports every line of r (named name in reports, and by
// its base name in the audit trail's request ID) at organisation o,
// reporting each line refused to report. It stops, with an error, only
// when the database fails.
func importChildren(ctx context.Context, s store.Store, o store.Organisation, name string, r io.Reader, report io.Writer, now func() time.Time) (importResult, error) {
	svc := answers.New(s, now)
	me := answers.SystemActor(o)
	var res importResult
	err := eachLine(r, name, &res, report, func(line int, text []byte) error {
		doc, err := audit.Decode(bytes.NewReader(text))
		if err == nil {
			var id int64
			id, err = svc.Import(ctx, me, answers.Import{Organisation: o, Child: doc, RequestID: fmt.Sprintf("import %s:%d", filepath.Base(name), line)})
			if err == nil {
				res.IDs = append(res.IDs, id)
				return nil
			}
			if !refusal(err) {
				return err
			}
		}
		return refused(problems(err))
	})
	return res, err
}

// openInput opens an import's FILE argument ("-": standard input) and
// returns the name its reports use and a close function.
func openInput(arg, cmd string, env Env) (string, io.Reader, func(), error) {
	if arg == "-" {
		if env.Stdin == nil {
			return "stdin", eofReader{}, func() {}, nil
		}
		return "stdin", env.Stdin, func() {}, nil
	}
	f, err := os.Open(arg)
	if err != nil {
		fmt.Fprintf(env.Stderr, "clinaudit %s: %v\n", cmd, err)
		return "", nil, nil, errBadInput
	}
	return arg, f, func() { f.Close() }, nil
}

// refused is a line's problems, for eachLine to report.
type refused []string

func (r refused) Error() string { return strings.Join(r, "; ") }

// eachLine runs fn on every line of r that is not blank, with its number,
// counting it in res as imported (fn returns nil) or rejected (fn returns
// refused, whose problems go to report as name:line: problem). Any other
// error of fn stops it, as name:line: err.
func eachLine(r io.Reader, name string, res *importResult, report io.Writer, fn func(line int, text []byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxImportLine)
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue // a blank line (the last newline, say) is no record
		}
		var bad refused
		switch err := fn(line, text); {
		case err == nil:
			res.Imported++
		case errors.As(err, &bad):
			res.Rejected++
			for _, p := range bad {
				fmt.Fprintf(report, "%s:%d: %s\n", name, line, p)
			}
		default:
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			res.Rejected++
			fmt.Fprintf(report, "%s:%d: longer than %d bytes: no line after it was read\n", name, line+1, maxImportLine)
			return nil
		}
		return fmt.Errorf("reading %s: %w", name, err)
	}
	return nil
}

// refusal reports whether err refuses one document (it is reported and the
// import goes on) rather than the database failing.
func refusal(err error) bool {
	var fe audit.Errors
	return errors.As(err, &fe) || children.IsConflict(err)
}

// problems are an error's messages, one per field; a malformed line's
// position is its column (the line number is the file's).
func problems(err error) []string {
	var fe audit.Errors
	if errors.As(err, &fe) {
		out := make([]string, len(fe))
		for i, e := range fe {
			out[i] = e.Error()
		}
		return out
	}
	msg := strings.TrimPrefix(err.Error(), "audit: ")
	msg = strings.Replace(msg, "at line 1, column", "at column", 1)
	return []string{msg}
}
