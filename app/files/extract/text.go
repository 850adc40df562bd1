// Package extract reads genetic test reports: their text (a PDF's text
// layer, or plain text) and, by rules that can be tested and measured (no
// model), the gene symbols, HGVS variants and classifications they state.
// What it finds is only ever a proposal: a person confirms or rejects
// each one (app/files). docs/files.md gives its measured precision and
// recall.
package extract

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
)

// ErrNoText: the document has no text to read (a scanned image, or a PDF
// with no text layer).
var ErrNoText = errors.New("no text found")

// ErrUnreadable: the document could not be parsed (a malformed or
// encrypted PDF).
var ErrUnreadable = errors.New("the document could not be read")

// maxPages bounds the work on one document.
const maxPages = 50

// ReadTimeout is how long reading one PDF may take. Past it the document
// is reported unreadable; the reading goroutine cannot be stopped and runs
// on until it ends (docs/files.md: the residual risk, and why a separate
// process would be the full answer).
var ReadTimeout = 20 * time.Second

// withDeadline runs read on data, recovering its panics, and gives up
// after ReadTimeout.
func withDeadline(data []byte, read func([]byte) (string, error)) (string, error) {
	type result struct {
		text string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- result{"", fmt.Errorf("%w: %v", ErrUnreadable, r)}
			}
		}()
		t, err := read(data)
		done <- result{t, err}
	}()
	select {
	case r := <-done:
		return r.text, r.err
	case <-time.After(ReadTimeout):
		return "", fmt.Errorf("%w: reading it took longer than %s", ErrUnreadable, ReadTimeout)
	}
}

// Text is the document's text, line by line. PDF parsing of hostile input
// may panic deep in the reader, or loop: the panic is recovered, the
// loops the fuzzer found are refused before the reader meets them, and
// any other is cut off after ReadTimeout, each reported as ErrUnreadable,
// so a malformed file never takes down a job or the server.
func Text(data []byte, contentType string) (text string, err error) {
	switch {
	case strings.HasPrefix(contentType, "text/plain"):
		if !utf8.Valid(data) {
			return "", ErrUnreadable
		}
		text = string(data)
	case contentType == "application/pdf":
		if text, err = withDeadline(data, pdfText); err != nil {
			return "", err
		}
	default:
		return "", ErrNoText // images: no text layer to read
	}
	if strings.TrimSpace(text) == "" {
		return "", ErrNoText
	}
	return text, nil
}

func pdfText(data []byte) (string, error) {
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrUnreadable, err)
	}
	pages, err := pageList(r.Trailer().Key("Root").Key("Pages"))
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, p := range pages {
		if !inheritanceEnds(p) {
			return "", fmt.Errorf("%w: a page's parents loop", ErrUnreadable)
		}
		for _, row := range rows(p.Content().Text) {
			b.WriteString(row)
			b.WriteByte('\n')
		}
	}
	return b.String(), nil
}

// maxNodes bounds the walk of a page tree.
const maxNodes = 1000

// pageList walks the page tree itself, at most maxNodes nodes and
// maxPages pages, rather than with the reader's Page(n), which loops for
// ever on a tree that contains itself (found by FuzzText).
func pageList(root pdf.Value) ([]pdf.Page, error) {
	var out []pdf.Page
	seen := 0
	var walk func(v pdf.Value, depth int) error
	walk = func(v pdf.Value, depth int) error {
		if seen++; seen > maxNodes || depth > 32 {
			return fmt.Errorf("%w: the page tree is too deep or loops", ErrUnreadable)
		}
		switch v.Key("Type").Name() {
		case "Pages":
			kids := v.Key("Kids")
			for i := 0; i < kids.Len() && len(out) < maxPages; i++ {
				if err := walk(kids.Index(i), depth+1); err != nil {
					return err
				}
			}
		case "Page":
			out = append(out, pdf.Page{V: v})
		}
		return nil
	}
	return out, walk(root, 0)
}

// inheritanceEnds reports whether a page's chain of parents ends: the
// reader follows it for fonts and resources without a bound.
func inheritanceEnds(p pdf.Page) bool {
	v := p.V
	for range 64 {
		if v.IsNull() {
			return true
		}
		v = v.Key("Parent")
	}
	return false
}

// piece is a run of glyphs drawn one after the other.
type piece struct {
	x, y float64
	s    strings.Builder
}

// rows rebuilds a page's lines from its glyphs: runs of glyphs that
// follow on (same baseline, each where the last ended) are pieces;
// pieces on one baseline are a line, read left to right with a space
// between them (table cells, words drawn apart); lines top to bottom
// (PDF's y grows upwards). Glyphs of fonts without widths all sit at
// their string's start, which is the same piece too.
func rows(ts []pdf.Text) []string {
	var pieces []*piece
	var last *pdf.Text
	for i := range ts {
		t := &ts[i]
		follows := last != nil && math.Abs(t.Y-last.Y) < 0.5 &&
			(t.X == last.X || (t.X >= last.X && t.X <= last.X+last.W+0.2*t.FontSize))
		if !follows {
			pieces = append(pieces, &piece{x: t.X, y: t.Y})
		}
		pieces[len(pieces)-1].s.WriteString(t.S)
		last = t
	}
	sort.SliceStable(pieces, func(a, c int) bool {
		if ya, yc := math.Round(pieces[a].y), math.Round(pieces[c].y); ya != yc {
			return ya > yc
		}
		return pieces[a].x < pieces[c].x
	})
	var out []string
	var line []string
	y := math.NaN()
	for _, p := range pieces {
		if py := math.Round(p.y); py != y {
			if line != nil {
				out = append(out, strings.Join(line, " "))
			}
			line, y = nil, py
		}
		line = append(line, p.s.String())
	}
	if line != nil {
		out = append(out, strings.Join(line, " "))
	}
	return out
}
