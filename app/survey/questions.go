// Package survey is the registry's surveys (docs/surveys.md): questions
// written as text by a registry manager, versions that freeze when
// published, personal links sent by email or SMS, answers saved one at a
// time, reminders, and results. The rules (parsing, validation, "show
// if", progress, summaries) are plain functions; service.go writes them
// to the store.
package survey

import (
	"fmt"
	"regexp"
	"strings"
)

// Question types.
const (
	Text     = "text"
	Number   = "number"
	Date     = "date"
	Single   = "single"   // one choice
	Multiple = "multiple" // any choices
	Scale    = "scale"    // 0 to 10
)

var types = map[string]bool{Text: true, Number: true, Date: true, Single: true, Multiple: true, Scale: true}

// Question is one question of a version.
type Question struct {
	Key      string
	Type     string
	Label    string
	Required bool
	Options  []string // single and multiple
	ShowIf   *Condition
}

// Condition shows a question only when an earlier one's answer is Value
// (for a multiple choice: includes Value).
type Condition struct {
	Key, Value string
}

// LineError is a problem with one line of the questions' text.
type LineError struct {
	Line    int
	Message string
}

func (e LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Message) }

var (
	lineRe = regexp.MustCompile(`^([a-z][a-z0-9_]{0,39})\s*:\s*([a-z]+)(\*?)\s*:\s*(.+)$`)
	condRe = regexp.MustCompile(`\{\s*if\s+([a-z][a-z0-9_]*)\s*=\s*([^}]+?)\s*\}\s*$`)
)

// Syntax is the questions' text format, as the edit page explains it.
const Syntax = `One question a line: key : type : question text. Add * after the type for a required question.
Types: text, number, date, single, multiple (choices after the text, each after a |), scale (0 to 10).
Show a question only for some answers: end the line with {if key = answer}.`

// Parse reads the questions' text. It returns every problem, by line.
func Parse(src string) ([]Question, []LineError) {
	var qs []Question
	var errs []LineError
	seen := map[string]int{}
	for i, raw := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		n := i + 1
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var cond *Condition
		if m := condRe.FindStringSubmatch(line); m != nil {
			cond = &Condition{Key: m[1], Value: strings.TrimSpace(m[2])}
			line = strings.TrimSpace(line[:len(line)-len(m[0])])
		}
		m := lineRe.FindStringSubmatch(line)
		if m == nil {
			errs = append(errs, LineError{n, "write it as key : type : question (the key in lower-case letters, digits and _)"})
			continue
		}
		q := Question{Key: m[1], Type: m[2], Required: m[3] == "*", ShowIf: cond}
		if !types[q.Type] {
			errs = append(errs, LineError{n, fmt.Sprintf("%q is not a type: use text, number, date, single, multiple or scale", q.Type)})
			continue
		}
		parts := strings.Split(m[4], "|")
		q.Label = strings.TrimSpace(parts[0])
		for _, o := range parts[1:] {
			if o = strings.TrimSpace(o); o != "" {
				q.Options = append(q.Options, o)
			}
		}
		switch {
		case q.Label == "":
			errs = append(errs, LineError{n, "the question has no text"})
			continue
		case (q.Type == Single || q.Type == Multiple) && len(q.Options) < 2:
			errs = append(errs, LineError{n, "a choice question needs at least two choices, each after a |"})
			continue
		case q.Type != Single && q.Type != Multiple && len(q.Options) > 0:
			errs = append(errs, LineError{n, "only single and multiple choice questions have choices"})
			continue
		case hasDuplicate(q.Options):
			errs = append(errs, LineError{n, "a choice is given twice"})
			continue
		}
		if _, dup := seen[q.Key]; dup {
			errs = append(errs, LineError{n, fmt.Sprintf("the key %s is used on line %d already", q.Key, seen[q.Key])})
			continue
		}
		if cond != nil {
			at, ok := seen[cond.Key]
			if !ok {
				errs = append(errs, LineError{n, fmt.Sprintf("show if: %s is not a question above this one", cond.Key)})
				continue
			}
			if p := qs[indexOf(qs, cond.Key)]; (p.Type == Single || p.Type == Multiple) && !contains(p.Options, cond.Value) {
				errs = append(errs, LineError{n, fmt.Sprintf("show if: %q is not a choice of %s (line %d)", cond.Value, cond.Key, at)})
				continue
			}
		}
		seen[q.Key] = n
		qs = append(qs, q)
	}
	if len(qs) == 0 && len(errs) == 0 {
		errs = append(errs, LineError{1, "write at least one question"})
	}
	return qs, errs
}

func indexOf(qs []Question, key string) int {
	for i, q := range qs {
		if q.Key == key {
			return i
		}
	}
	return -1
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func hasDuplicate(list []string) bool {
	seen := map[string]bool{}
	for _, x := range list {
		if seen[x] {
			return true
		}
		seen[x] = true
	}
	return false
}

// MustParse parses text known to be valid (a published version's).
func MustParse(src string) []Question {
	qs, errs := Parse(src)
	if len(errs) > 0 {
		panic(errs[0])
	}
	return qs
}
