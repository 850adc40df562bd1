package survey

import (
	"strings"
	"testing"
	"time"

	"clinaudit/app/store"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, src string
		want      int    // questions
		err       string // first error, "" for none
	}{
		{"every type", "a : text : A?\nb : number* : B?\nc : date : C?\nd : single : D? | x | y\ne : multiple* : E? | x | y | z\nf : scale : F?", 6, ""},
		{"blank lines and comments", "\n# intro\na : text : A?\n", 1, ""},
		{"show if a choice", "a : single : A? | Yes | No\nb : text : B? {if a = Yes}", 2, ""},
		{"nothing", "  \n", 0, "line 1: write at least one question"},
		{"no type", "a : A?", 0, "line 1: write it as key"},
		{"unknown type", "a : essay : A?", 0, `line 1: "essay" is not a type`},
		{"key with capitals", "Aa : text : A?", 0, "line 1: write it as key"},
		{"choice without choices", "a : single : A? | only", 0, "line 1: a choice question needs at least two choices"},
		{"choices on a text", "a : text : A? | x | y", 0, "line 1: only single and multiple"},
		{"repeated choice", "a : single : A? | x | x", 0, "line 1: a choice is given twice"},
		{"repeated key", "a : text : A?\na : text : B?", 1, "line 2: the key a is used on line 1 already"},
		{"show if a later question", "b : text : B? {if a = Yes}\na : single : A? | Yes | No", 1, "line 1: show if: a is not a question above"},
		{"show if not a choice", "a : single : A? | Yes | No\nb : text : B? {if a = Maybe}", 1, `line 2: show if: "Maybe" is not a choice of a (line 1)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qs, errs := Parse(tt.src)
			if len(qs) != tt.want {
				t.Errorf("%d questions, want %d", len(qs), tt.want)
			}
			switch {
			case tt.err == "" && len(errs) > 0:
				t.Errorf("errors %v", errs)
			case tt.err != "" && (len(errs) == 0 || !strings.HasPrefix(errs[0].Error(), tt.err)):
				t.Errorf("errors %v, want %q", errs, tt.err)
			}
		})
	}
	qs, _ := Parse("e : multiple* : E? | x | y {if e = x}")
	if len(qs) != 0 {
		t.Error("a question shown by its own answer was accepted")
	}
	qs, _ = Parse("d : single* : D? | x | y\nn : number : N? {if d = y}")
	if q := qs[1]; q.Required || q.ShowIf == nil || *q.ShowIf != (Condition{"d", "y"}) || !qs[0].Required || qs[0].Options[1] != "y" {
		t.Errorf("parsed %+v", qs)
	}
}

func TestNormalise(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	qs := MustParse("t : text : T?\nn : number : N?\nd : date : D?\ns : single : S? | Yes | No\nm : multiple : M? | a | b | c\nx : scale : X?")
	q := map[string]Question{}
	for _, x := range qs {
		q[x.Key] = x
	}
	tests := []struct {
		key    string
		in     []string
		stored string
		msg    string
	}{
		{"t", []string{"  hello "}, "hello", ""},
		{"t", []string{strings.Repeat("x", 2001)}, "", "Keep your answer under 2,000 characters"},
		{"t", []string{" "}, "", ""},
		{"n", []string{"2.50"}, "2.5", ""},
		{"n", []string{"1,000"}, "1000", ""},
		{"n", []string{"lots"}, "", "Enter a number, like 3 or 2.5"},
		{"d", []string{"2", "3", "2025"}, "2025-03-02", ""},
		{"d", []string{"31", "2", "2025"}, "", "The date must be a real date"},
		{"d", []string{"2", "3", "2027"}, "", "The date must be today or in the past"},
		{"d", []string{"", "", ""}, "", ""},
		{"s", []string{"No"}, "No", ""},
		{"s", []string{"Maybe"}, "", "Choose one of the answers"},
		{"m", []string{"c", "a"}, "a\nc", ""},
		{"m", []string{"a", "z"}, "", "Choose from the answers given"},
		{"x", []string{"0"}, "0", ""},
		{"x", []string{"10"}, "10", ""},
		{"x", []string{"11"}, "", "Choose a number from 0 to 10"},
	}
	for _, tt := range tests {
		stored, msg := Normalise(q[tt.key], tt.in, now)
		if stored != tt.stored || !strings.HasPrefix(msg, tt.msg) || (tt.msg == "" && msg != "") {
			t.Errorf("Normalise(%s, %q) = %q, %q; want %q, %q", tt.key, tt.in, stored, msg, tt.stored, tt.msg)
		}
	}
}

func TestVisibleProgressMissing(t *testing.T) {
	qs := MustParse("a : single* : A? | Yes | No\nb : number* : B? {if a = Yes}\nc : multiple : C? | x | y\nd : text : D? {if c = y}")
	for _, tt := range []struct {
		a               Answers
		answered, total int
		missing         string
	}{
		{Answers{}, 0, 2, "a"},
		{Answers{"a": "No"}, 1, 2, ""},
		{Answers{"a": "Yes"}, 1, 3, "b"},
		{Answers{"a": "Yes", "b": "2", "c": "x\ny"}, 3, 4, ""},
		{Answers{"a": "No", "b": "2"}, 1, 2, ""}, // a hidden answer counts for nothing
	} {
		n, total := Progress(qs, tt.a)
		var miss []string
		for _, q := range Missing(qs, tt.a) {
			miss = append(miss, q.Key)
		}
		if n != tt.answered || total != tt.total || strings.Join(miss, ",") != tt.missing {
			t.Errorf("%v: %d of %d, missing %v; want %d of %d, %q", tt.a, n, total, miss, tt.answered, tt.total, tt.missing)
		}
	}
}

func TestSummarise(t *testing.T) {
	qs := MustParse("s : single : S? | Yes | No\nm : multiple : M? | a | b\nx : scale : X?\nn : number : N?\nt : text : T?")
	rs := Summarise(qs, []Answers{{"s": "Yes", "m": "a\nb", "x": "7", "n": "10", "t": "fine"}, {"s": "Yes", "m": "b", "n": "9"}, {"s": "No"}, {}})
	if r := rs[0]; r.Answered != 3 || r.Counts[0] != (Count{"Yes", 2, 200.0 / 3}) || r.Counts[1] != (Count{"No", 1, 100.0 / 3}) {
		t.Errorf("single: %+v", r)
	}
	if r := rs[1]; r.Answered != 2 || r.Counts[0] != (Count{"a", 1, 50}) || r.Counts[1] != (Count{"b", 2, 100}) {
		t.Errorf("multiple: %+v", r)
	}
	if r := rs[2]; len(r.Counts) != 11 || r.Counts[7] != (Count{"7", 1, 100}) || r.Counts[0].N != 0 {
		t.Errorf("scale: %+v", r)
	}
	if r := rs[3]; len(r.Counts) != 2 || r.Counts[0].Answer != "9" || r.Counts[1].Answer != "10" {
		t.Errorf("numbers in order: %+v", r)
	}
	if r := rs[4]; len(r.Counts) != 0 || len(r.Texts) != 1 || r.Texts[0] != "fine" {
		t.Errorf("text: %+v", r)
	}
}

// A survey's section on the registry's reports: answered and not, of the
// invited, so that answered's share is the response rate its results
// page shows.
func TestResponseSection(t *testing.T) {
	for _, c := range []store.SurveyResponseCounts{{Invited: 3, Started: 2, Completed: 1}, {Invited: 4, Started: 4, Completed: 4}, {}} {
		r := Results{Survey: store.Survey{ID: 7, Title: "Sleep"}, Counts: c}
		s := ResponseSection(r)
		if s.ID != "survey-7" || s.Group != "Sleep" || len(s.Rows) != 2 || s.Rows[0].Count != c.Completed || s.Total() != c.Invited {
			t.Errorf("%+v: %+v", c, s)
		}
		if share, _ := s.Share(0); share != r.Rate() {
			t.Errorf("%+v: answered's share %v, the rate %v", c, share, r.Rate())
		}
	}
	if s := ResponseSection(Results{Counts: store.SurveyResponseCounts{Invited: 3, Completed: 1}}); s.ShareText(0) != "33.3%" {
		t.Errorf("1 of 3: %s", s.ShareText(0))
	}
}
