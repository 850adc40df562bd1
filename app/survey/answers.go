package survey

import (
	"strconv"
	"strings"
	"time"

	"clinaudit/app/datefield"
)

// Answers are one response's answers by question key; a multiple choice's
// choices are joined by a newline.
type Answers map[string]string

// Choices splits a multiple choice answer.
func Choices(a string) []string {
	if a == "" {
		return nil
	}
	return strings.Split(a, "\n")
}

// Visible reports whether q shows, given the answers so far.
func Visible(q Question, a Answers) bool {
	if q.ShowIf == nil {
		return true
	}
	return contains(Choices(a[q.ShowIf.Key]), q.ShowIf.Value) || a[q.ShowIf.Key] == q.ShowIf.Value
}

// Progress counts the visible questions and those answered.
func Progress(qs []Question, a Answers) (answered, total int) {
	for _, q := range qs {
		if !Visible(q, a) {
			continue
		}
		total++
		if a[q.Key] != "" {
			answered++
		}
	}
	return answered, total
}

// Missing lists the visible required questions not answered.
func Missing(qs []Question, a Answers) []Question {
	var out []Question
	for _, q := range qs {
		if q.Required && Visible(q, a) && a[q.Key] == "" {
			out = append(out, q)
		}
	}
	return out
}

// Normalise checks one answer as given (values: one for most types, the
// ticked choices for a multiple choice, day/month/year for a date) and
// returns it as stored ("" clears it), or a message for the person
// answering.
func Normalise(q Question, values []string, now time.Time) (string, string) {
	var vs []string
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			vs = append(vs, v)
		}
	}
	if len(vs) == 0 {
		return "", ""
	}
	switch q.Type {
	case Text:
		s := strings.Join(vs, " ")
		if len(s) > 2000 {
			return "", "Keep your answer under 2,000 characters"
		}
		return s, ""
	case Number:
		f, err := strconv.ParseFloat(strings.ReplaceAll(vs[0], ",", ""), 64)
		if err != nil || f < -1e9 || f > 1e9 {
			return "", "Enter a number, like 3 or 2.5"
		}
		return strconv.FormatFloat(f, 'f', -1, 64), ""
	case Scale:
		n, err := strconv.Atoi(vs[0])
		if err != nil || n < 0 || n > 10 {
			return "", "Choose a number from 0 to 10"
		}
		return strconv.Itoa(n), ""
	case Single:
		if !contains(q.Options, vs[0]) {
			return "", "Choose one of the answers"
		}
		return vs[0], ""
	case Multiple:
		var out []string
		for _, o := range q.Options { // in the question's order
			if contains(vs, o) {
				out = append(out, o)
			}
		}
		if len(out) != len(vs) {
			return "", "Choose from the answers given"
		}
		return strings.Join(out, "\n"), ""
	case Date:
		d, err := datefield.Parse("The date", get(values, 0), get(values, 1), get(values, 2))
		if err == nil {
			err = datefield.Check("The date", d, datefield.NotInFuture(now))
		}
		if err != nil {
			return "", err.Error()
		}
		return d.Format("2006-01-02"), ""
	}
	return "", "This question cannot be answered"
}

func get(vs []string, i int) string {
	if i < len(vs) {
		return vs[i]
	}
	return ""
}
