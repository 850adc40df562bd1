package children

import (
	"slices"
	"testing"
)

// The demographics form's lists as it shows them, derived from the
// reference data: order and wording pinned, so a change there is seen.
func TestChoicesAsShown(t *testing.T) {
	if want := []Choice{{"1", "Male"}, {"2", "Female"}, {"9", "Not specified"}, {"0", "Not known"}}; !slices.Equal(Sexes, want) {
		t.Errorf("Sexes = %q, want %q", Sexes, want)
	}
	if len(Ethnicities) != 17 || Ethnicities[0] != (Choice{"A", "White British"}) ||
		Ethnicities[14] != (Choice{"S", "Other Ethnic Groups - Any other ethnic group"}) || Ethnicities[16] != (Choice{"Z", "Not Stated"}) {
		t.Errorf("Ethnicities = %q", Ethnicities)
	}
}
