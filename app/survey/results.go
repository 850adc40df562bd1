package survey

import (
	"sort"
	"strconv"
)

// Count is how many responses gave one answer to a question.
type Count struct {
	Answer string
	N      int
	Pct    float64 // of those who answered the question
}

// Result is one question's answers across responses.
type Result struct {
	Question
	Answered int
	Counts   []Count  // choices (every one, in order), scale 0-10, and numbers and dates by value
	Texts    []string // text answers, as given
}

// Summarise tallies each question's answers over the responses.
func Summarise(qs []Question, responses []Answers) []Result {
	out := make([]Result, len(qs))
	for i, q := range qs {
		r := Result{Question: q}
		tally := map[string]int{}
		for _, a := range responses {
			v := a[q.Key]
			if v == "" {
				continue
			}
			r.Answered++
			switch q.Type {
			case Text:
				r.Texts = append(r.Texts, v)
			case Multiple:
				for _, c := range Choices(v) {
					tally[c]++
				}
			default:
				tally[v]++
			}
		}
		var order []string
		switch q.Type {
		case Single, Multiple:
			order = q.Options
		case Scale:
			for n := 0; n <= 10; n++ {
				order = append(order, strconv.Itoa(n))
			}
		case Number, Date:
			for v := range tally {
				order = append(order, v)
			}
			sort.Slice(order, func(a, b int) bool { return less(q.Type, order[a], order[b]) })
		}
		for _, v := range order {
			c := Count{Answer: v, N: tally[v]}
			if r.Answered > 0 {
				c.Pct = 100 * float64(c.N) / float64(r.Answered)
			}
			r.Counts = append(r.Counts, c)
		}
		out[i] = r
	}
	return out
}

func less(typ, a, b string) bool {
	if typ == Number {
		x, _ := strconv.ParseFloat(a, 64)
		y, _ := strconv.ParseFloat(b, 64)
		return x < y
	}
	return a < b // ISO dates
}
