package chart

import (
	"strings"
	"testing"
)

func TestHorizontal(t *testing.T) {
	national := 62.5
	l := Horizontal("KPI 1 by ICB", []Bar{
		{Label: "North", Value: 100, HasValue: true},
		{Label: "South", Value: 25, HasValue: true, Highlight: true},
		{Label: "East"}, // no eligible children: left out
		{Label: "Over", Value: 130, HasValue: true}, // clamped, never drawn past the plot
	}, &national, "National")

	wantW := []int{plotWidth, plotWidth / 4, plotWidth}
	if len(l.Boxes) != 3 || l.Boxes[2].Label != "Over" {
		t.Fatalf("boxes %+v; want North, South and Over, without East", l.Boxes)
	}
	for i, b := range l.Boxes {
		if b.W != wantW[i] {
			t.Errorf("bar %d (%s) width %d, want %d", i, b.Label, b.W, wantW[i])
		}
		if i > 0 && b.Y-l.Boxes[i-1].Y != barHeight+barGap {
			t.Errorf("bar %d is %d below the one above, want %d", i, b.Y-l.Boxes[i-1].Y, barHeight+barGap)
		}
		if b.ValueX != l.PlotX+b.W+6 {
			t.Errorf("bar %d value text at %d, want just right of the bar", i, b.ValueX)
		}
	}
	if l.Boxes[1].ValueText != "25%" || !l.Boxes[1].Highlight {
		t.Errorf("value text %q", l.Boxes[1].ValueText)
	}
	if l.Reference == nil || l.Reference.X != l.PlotX+263 || l.Reference.Text != "National 62%" && l.Reference.Text != "National 63%" {
		t.Errorf("reference %+v", l.Reference)
	}
	if l.Height != topRoom+3*(barHeight+barGap)+bottomRoom || l.Width != labelWidth+plotWidth+valueRoom {
		t.Errorf("size %dx%d", l.Width, l.Height)
	}
	if len(l.Ticks) != 5 || l.Ticks[4].X != l.PlotX+plotWidth || l.Ticks[2].Text != "50%" {
		t.Errorf("ticks %+v", l.Ticks)
	}
	for _, want := range []string{"3 bars.", "1 without eligible children to score are in the table", "Highest: Over, 130%", "Lowest: South, 25%", "National: 62%"} {
		if !strings.Contains(l.Desc, want) {
			t.Errorf("description %q lacks %q", l.Desc, want)
		}
	}
	if d := Horizontal("x", []Bar{{Label: "A"}}, nil, "").Desc; d != "No bars: none of 1 has eligible children to score." {
		t.Errorf("empty description %q", d)
	}
}

// A long name is wrapped, whole, and its row is taller; the rows below
// move down so nothing overlaps.
func TestHorizontalWrapsLongLabels(t *testing.T) {
	long := "Betsi Cadwaladr University Local Health Board Paediatric Epilepsy Service"
	l := Horizontal("x", []Bar{{Label: long, Value: 50, HasValue: true}, {Label: "Short", Value: 40, HasValue: true}}, nil, "")
	lines := l.Boxes[0].Lines
	if len(lines) < 2 || strings.Join(lines, " ") != long {
		t.Fatalf("lines %q; want the whole name over several lines", lines)
	}
	for _, line := range lines {
		if len(line) > lineChars {
			t.Errorf("line %q is longer than %d", line, lineChars)
		}
	}
	if gap := l.Boxes[1].Y - l.Boxes[0].Y; gap != (len(lines)-1)*lineHeight+barHeight+barGap {
		t.Errorf("the next bar is %d below; want room for %d lines", gap, len(lines))
	}
	if got := Wrap("Supercalifragilisticexpialidocious-and-more-than-forty-characters x", 10); got[0] != "Supercalifragilisticexpialidocious-and-more-than-forty-characters" || got[1] != "x" {
		t.Errorf("a long word: %q", got)
	}
}
