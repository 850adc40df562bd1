// Package extracttest writes small PDFs for tests: lab reports as text
// (tables drawn as cells apart) and a scanned report with no text, so the
// corpus and the browser tests need no PDF library and no committed
// binaries.
package extracttest

import (
	"bytes"
	"fmt"
	"strings"
)

// WritePDF makes a small PDF of lines of text (Helvetica, one page per 60
// lines), the shape a lab's report generator writes: a line holding
// " | " is a table row, its cells drawn apart at fixed columns. A test
// helper.
func WritePDF(lines []string) []byte {
	var pages [][]string
	for len(lines) > 0 {
		n := min(60, len(lines))
		pages = append(pages, lines[:n])
		lines = lines[n:]
	}
	var contents []string
	for _, p := range pages {
		var b strings.Builder
		y := 800
		for _, l := range p {
			cells := strings.Split(l, " | ")
			for i, c := range cells {
				x := 40 + i*90
				if len(cells) == 1 {
					x = 40
				}
				fmt.Fprintf(&b, "BT /F1 9 Tf %d %d Td (%s) Tj ET\n", x, y, pdfEscape(c))
			}
			y -= 12
		}
		contents = append(contents, b.String())
	}
	return assemble(contents, false)
}

// WriteImagePDF is a scanned report: one page holding only an image.
func WriteImagePDF() []byte {
	return assemble([]string{"q 500 0 0 700 40 60 cm /Im1 Do Q\n"}, true)
}

func pdfEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(s)
}

// assemble writes the objects and the cross-reference table: catalog 1,
// pages 2, font 3, image 4, then a page and its content per page.
func assemble(contents []string, image bool) []byte {
	var objs []string
	kids := ""
	for i := range contents {
		kids += fmt.Sprintf("%d 0 R ", 5+2*i)
	}
	objs = append(objs, "<< /Type /Catalog /Pages 2 0 R >>",
		fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids, len(contents)),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\n\x00\xff\xff\x00\nendstream")
	for i, c := range contents {
		res := "/Font << /F1 3 0 R >>"
		if image {
			res = "/XObject << /Im1 4 0 R >>"
		}
		objs = append(objs, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << %s >> /Contents %d 0 R >>", res, 6+2*i),
			fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", len(c), c))
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
