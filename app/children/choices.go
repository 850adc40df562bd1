package children

import "strconv"

// Choice is one option of a code list.
type Choice struct {
	Code  string
	Label string
}

// Sexes is SEX_TYPE (spec §2.1; reference-data choice_lists.csv), in its
// display order.
var Sexes = []Choice{{"1", "Male"}, {"2", "Female"}, {"9", "Not specified"}, {"0", "Not known"}}

// Ethnicities is ETHNICITIES (spec §2.1), in its display order.
var Ethnicities = []Choice{
	{"A", "White British"},
	{"B", "White - Irish"},
	{"C", "White - Any other White background"},
	{"D", "Mixed (White and Black Caribbean)"},
	{"E", "Mixed (White and Black African)"},
	{"F", "Mixed (White and Asian)"},
	{"G", "Mixed - Any other mixed background"},
	{"H", "Indian or British Indian"},
	{"J", "Asian or Asian British - Pakistani"},
	{"K", "Asian or Asian British - Bangladeshi"},
	{"L", "Asian or Asian British - Any other Asian background"},
	{"M", "Black or Black British - Caribbean"},
	{"N", "Black or Black British - African"},
	{"P", "Black or Black British - Any other Black background"},
	{"S", "Other Ethnic Groups - Any other ethnic group"},
	{"R", "Other Ethnic Groups - Chinese"},
	{"Z", "Not Stated"},
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
