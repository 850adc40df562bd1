// Package chart lays out the dashboards' charts as SVG geometry: plain
// numbers a template draws, so charts need no JavaScript and are tested as
// arithmetic. Every chart carries a title and a text description for screen
// readers; pages show the data table beside it.
package chart

import (
	"fmt"
	"math"
	"strings"
)

// Bar is one entity's percentage; HasValue false means there is none (no
// eligible children): such a bar is left out of the chart (the page's
// table still lists it) and only counted in the description.
type Bar struct {
	Label     string
	Value     float64 // 0–100
	HasValue  bool
	Highlight bool // the entity the reader is looking at
}

// Box is a bar placed on the chart.
type Box struct {
	Bar
	Y, W      int // the bar's top and width; X is Layout.PlotX
	TextY     int // baseline of the value text and the label's first line
	ValueText string
	ValueX    int // where the value text starts (right of the bar)
	// Lines are the label wrapped to fit the label area, shown in full:
	// a long trust name takes two or three lines, never cut.
	Lines []string
}

// Tick is a gridline of the percentage axis.
type Tick struct {
	X    int
	Text string
}

// Layout is a horizontal bar chart of percentages.
type Layout struct {
	// ID is the SVG's id, and the prefix of its title's and description's:
	// "chart" unless a page with several charts names each.
	ID            string
	Title, Desc   string
	Width, Height int
	PlotX, PlotW  int // the plot area's left edge and width
	Boxes         []Box
	Ticks         []Tick
	// Reference is the national figure as a vertical line, if given.
	Reference     *Tick
	AxisY, BarTop int
	LineHeight    int // a wrapped label's line spacing
}

// Sizes, in SVG units (CSS pixels at 100%).
const (
	labelWidth = 300
	plotWidth  = 420
	valueRoom  = 80
	barHeight  = 18
	barGap     = 8
	topRoom    = 24
	bottomRoom = 8
	// lineChars is how many characters of a label fit on one line of the
	// label area (300 units at the 13px chart font, with room for wide
	// letters); lineHeight is a wrapped label's line spacing.
	lineChars  = 40
	lineHeight = 15
)

// Wrap breaks label into lines of at most width characters at spaces; a
// word longer than width gets a line of its own, whole.
func Wrap(label string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(label) {
		switch {
		case line == "":
			line = w
		case len([]rune(line))+1+len([]rune(w)) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// Horizontal lays out the bars with a value top to bottom in the order
// given, scaled 0–100%, with an optional reference line (the national
// figure). Each label is wrapped, in full, and its row grows to fit.
func Horizontal(title string, bars []Bar, reference *float64, referenceLabel string) Layout {
	l := Layout{ID: "chart", Title: title, PlotX: labelWidth, PlotW: plotWidth, Width: labelWidth + plotWidth + valueRoom, BarTop: topRoom, LineHeight: lineHeight}
	y := topRoom
	for _, b := range bars {
		if !b.HasValue {
			continue
		}
		box := Box{Bar: b, Y: y, TextY: y + barHeight - 4, Lines: Wrap(b.Label, lineChars)}
		v := math.Max(0, math.Min(100, b.Value))
		box.W = int(math.Round(v / 100 * plotWidth))
		box.ValueText = fmt.Sprintf("%.0f%%", b.Value)
		box.ValueX = labelWidth + box.W + 6
		l.Boxes = append(l.Boxes, box)
		y += max(barHeight, (len(box.Lines)-1)*lineHeight+barHeight) + barGap
	}
	l.Height = y + bottomRoom
	l.AxisY = l.Height - bottomRoom
	for p := 0; p <= 100; p += 25 {
		l.Ticks = append(l.Ticks, Tick{X: labelWidth + p*plotWidth/100, Text: fmt.Sprintf("%d%%", p)})
	}
	if reference != nil {
		v := math.Max(0, math.Min(100, *reference))
		l.Reference = &Tick{X: labelWidth + int(math.Round(v/100*plotWidth)), Text: fmt.Sprintf("%s %.0f%%", referenceLabel, *reference)}
	}
	l.Desc = describe(bars, reference, referenceLabel)
	return l
}

// describe says in words what the chart shows: how many bars, the highest
// and lowest, and the reference.
func describe(bars []Bar, reference *float64, referenceLabel string) string {
	var hi, lo *Bar
	valued := 0
	for i := range bars {
		b := &bars[i]
		if !b.HasValue {
			continue
		}
		valued++
		if hi == nil || b.Value > hi.Value {
			hi = b
		}
		if lo == nil || b.Value < lo.Value {
			lo = b
		}
	}
	if valued == 0 {
		return fmt.Sprintf("No bars: none of %d has eligible children to score.", len(bars))
	}
	s := fmt.Sprintf("%s. Highest: %s, %.0f%%. Lowest: %s, %.0f%%.", plural(valued, "bar"), hi.Label, hi.Value, lo.Label, lo.Value)
	if left := len(bars) - valued; left > 0 {
		s += fmt.Sprintf(" %d without eligible children to score are in the table, not the chart.", left)
	}
	if reference != nil {
		s += fmt.Sprintf(" %s: %.0f%%.", referenceLabel, *reference)
	}
	return s
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
