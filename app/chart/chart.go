// Package chart lays out the dashboards' charts as SVG geometry: plain
// numbers a template draws, so charts need no JavaScript and are tested as
// arithmetic. Every chart carries a title and a text description for screen
// readers; pages show the data table beside it.
package chart

import (
	"fmt"
	"math"
)

// Bar is one entity's percentage; HasValue false means there is none (no
// eligible children), drawn as an empty bar with Note.
type Bar struct {
	Label     string
	Value     float64 // 0–100
	HasValue  bool
	Note      string
	Highlight bool // the entity the reader is looking at
}

// Box is a bar placed on the chart.
type Box struct {
	Bar
	Y, W      int // the bar's top and width; X is Layout.PlotX
	TextY     int // baseline of the label and value text
	ValueText string
	ValueX    int // where the value text starts (right of the bar)
}

// Tick is a gridline of the percentage axis.
type Tick struct {
	X    int
	Text string
}

// Layout is a horizontal bar chart of percentages.
type Layout struct {
	// ID prefixes the SVG's ids ("chart" when empty), for pages with more
	// than one chart.
	ID            string
	Title, Desc   string
	Width, Height int
	PlotX, PlotW  int // the plot area's left edge and width
	Boxes         []Box
	Ticks         []Tick
	// Reference is the national figure as a vertical line, if given.
	Reference     *Tick
	AxisY, BarTop int
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
)

// Horizontal lays out bars top to bottom in the order given, scaled 0–100%,
// with an optional reference line (the national figure).
func Horizontal(title string, bars []Bar, reference *float64, referenceLabel string) Layout {
	l := Layout{Title: title, PlotX: labelWidth, PlotW: plotWidth, Width: labelWidth + plotWidth + valueRoom, BarTop: topRoom}
	for i, b := range bars {
		y := topRoom + i*(barHeight+barGap)
		box := Box{Bar: b, Y: y, TextY: y + barHeight - 4}
		if b.HasValue {
			v := math.Max(0, math.Min(100, b.Value))
			box.W = int(math.Round(v / 100 * plotWidth))
			box.ValueText = fmt.Sprintf("%.0f%%", b.Value)
		} else {
			box.ValueText = b.Note
		}
		box.ValueX = labelWidth + box.W + 6
		l.Boxes = append(l.Boxes, box)
	}
	l.Height = topRoom + len(bars)*(barHeight+barGap) + bottomRoom
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
		return fmt.Sprintf("%s, none with eligible children to score.", plural(len(bars), "bar"))
	}
	s := fmt.Sprintf("%s, %d with a percentage. Highest: %s, %.0f%%. Lowest: %s, %.0f%%.", plural(len(bars), "bar"), valued, hi.Label, hi.Value, lo.Label, lo.Value)
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
