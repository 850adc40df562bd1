package children

import (
	"slices"
	"strconv"
	"strings"

	"clinaudit/app/refdata/data"
)

// Choice is one option of a code list.
type Choice struct {
	Code  string
	Label string
}

// Sexes is SEX_TYPE (spec §2.1), from the reference data
// (data.ChoiceList, the code lists' one source), in the order the
// demographics form shows it: the common answers first. Its labels are the
// reference data's in sentence case ("Not known").
var Sexes = func() []Choice {
	ref := choices("SEX_TYPE")
	var out []Choice
	for _, code := range []string{"1", "2", "9", "0"} {
		i := slices.IndexFunc(ref, func(c Choice) bool { return c.Code == code })
		if i < 0 {
			panic("children: SEX_TYPE has no code " + code)
		}
		out = append(out, Choice{code, ref[i].Label[:1] + strings.ToLower(ref[i].Label[1:])})
	}
	if len(out) != len(ref) {
		panic("children: SEX_TYPE has codes the demographics form does not show")
	}
	return out
}()

// Ethnicities is ETHNICITIES (spec §2.1) from the reference data, in its
// display order.
var Ethnicities = choices("ETHNICITIES")

func choices(list string) []Choice {
	var out []Choice
	for _, c := range data.ChoiceList(list) {
		out = append(out, Choice{c.Code, c.Label})
	}
	return out
}

func label(list []Choice, code string) string {
	for _, c := range list {
		if c.Code == code {
			return c.Label
		}
	}
	return code
}

func valid(list []Choice, code string) bool {
	for _, c := range list {
		if c.Code == code {
			return true
		}
	}
	return false
}

func sexLabel(sex *int64) string {
	if sex == nil {
		return ""
	}
	return label(Sexes, strconv.FormatInt(*sex, 10))
}

// EthnicityLabel names an ethnicity code.
func EthnicityLabel(code string) string {
	if code == "" {
		return ""
	}
	return label(Ethnicities, code)
}
