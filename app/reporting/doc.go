package reporting

import (
	"fmt"
	"strings"
)

// maskText says in words how a column is masked, for docs/reporting.md.
func (c Column) maskText() string {
	switch c.Mask {
	case MaskPseudonym:
		return "pseudonym: HMAC-SHA256 of `" + c.Kind + ":` and the internal id under `--reporting-key`, 16 hex characters"
	case MaskAgeYears:
		if c.Src == "" {
			return "age in whole years today (days ÷ 365.25) from `" + c.From + "`; the date itself is not shown"
		}
		return "whole years (days ÷ 365.25) from `" + c.From + "` to `" + c.Src + "`; neither date is shown"
	case MaskAgeBand:
		return "the age's band (" + bandList() + ")"
	case MaskPostcodeDistrict:
		return "postcode district (outward code) of `" + c.Src + "`"
	case MaskMonth:
		return "`" + c.Src + "` coarsened to the month (YYYY-MM)"
	case MaskYear:
		return "`" + c.Src + "` coarsened to the year"
	case MaskIsSet:
		return "whether `" + c.Src + "` is set, not its value"
	}
	return "as stored: `" + c.Src + "`"
}

func bandList() string {
	var l []string
	for _, b := range AgeBands {
		l = append(l, b.Label)
	}
	return strings.Join(l, ", ")
}

// Markdown is docs/reporting.md's table of every view and column, written
// from Views (the test keeps the two equal).
func Markdown() string {
	var b strings.Builder
	for _, v := range Views {
		fmt.Fprintf(&b, "### `reporting.%s`\n\n%s", v.Name, v.Doc)
		if v.Count != "" {
			fmt.Fprintf(&b, " One row per combination of the columns below, with `%s`, the number of rows of the source it counts.", v.Count)
		}
		b.WriteString("\n\n| column | type | masking | note |\n|---|---|---|---|\n")
		for _, c := range v.Columns {
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", c.Name, strings.ToLower(string(c.Type)), c.maskText(), c.Doc)
		}
		if v.Count != "" {
			fmt.Fprintf(&b, "| `%s` | integer | a count | suppress small numbers before publishing |\n", v.Count)
		}
		b.WriteString("\n")
	}
	return b.String()
}
