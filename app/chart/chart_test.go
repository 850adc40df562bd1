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
		{Label: "East", Note: "No eligible children to score"},
		{Label: "Over", Value: 130, HasValue: true}, // clamped, never drawn past the plot
	}, &national, "National")

	wantW := []int{plotWidth, plotWidth / 4, 0, plotWidth}
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
	if l.Boxes[1].ValueText != "25%" || l.Boxes[2].ValueText != "No eligible children to score" || !l.Boxes[1].Highlight {
		t.Errorf("value texts %q, %q", l.Boxes[1].ValueText, l.Boxes[2].ValueText)
	}
	if l.Reference == nil || l.Reference.X != l.PlotX+263 || l.Reference.Text != "National 62%" && l.Reference.Text != "National 63%" {
		t.Errorf("reference %+v", l.Reference)
	}
	if l.Height != topRoom+4*(barHeight+barGap)+bottomRoom || l.Width != labelWidth+plotWidth+valueRoom {
		t.Errorf("size %dx%d", l.Width, l.Height)
	}
	if len(l.Ticks) != 5 || l.Ticks[4].X != l.PlotX+plotWidth || l.Ticks[2].Text != "50%" {
		t.Errorf("ticks %+v", l.Ticks)
	}
	for _, want := range []string{"4 bars, 3 with a percentage", "Highest: Over, 130%", "Lowest: South, 25%", "National: 62%"} {
		if !strings.Contains(l.Desc, want) {
			t.Errorf("description %q lacks %q", l.Desc, want)
		}
	}
	if d := Horizontal("x", []Bar{{Label: "A"}}, nil, "").Desc; d != "1 bar, none with eligible children to score." {
		t.Errorf("empty description %q", d)
	}
}
