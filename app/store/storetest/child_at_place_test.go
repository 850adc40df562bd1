package storetest_test

import (
	"context"
	"reflect"
	"testing"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// GetChildAtPlace is GetChild and GetOrganisationPlace of the child's lead
// organisation in one statement: every field of the child, by name, and
// the place must come back as those two give them. A column added to
// GetChild and not here fails by name.
func TestGetChildAtPlaceIsTheTwoReads(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		lead := org(t, s, "RGT01")
		id := newRegisteredChild(t, s, "A1", lead, 7)
		got := get[store.ChildAtPlace](t)(s.GetChildAtPlace(ctx, id))
		c := get[store.Child](t)(s.GetChild(ctx, id))
		row := reflect.ValueOf(got)
		for i, cv := 0, reflect.ValueOf(c); i < cv.NumField(); i++ {
			name := cv.Type().Field(i).Name
			f := row.FieldByName(name)
			if !f.IsValid() {
				t.Errorf("ChildAtPlace has no field %s (add the column to GetChildAtPlace)", name)
				continue
			}
			if !reflect.DeepEqual(f.Interface(), cv.Field(i).Interface()) {
				t.Errorf("ChildAtPlace.%s = %v, want %v", name, f.Interface(), cv.Field(i).Interface())
			}
		}
		p := get[store.OrganisationPlace](t)(s.GetOrganisationPlace(ctx, lead))
		if p.TrustODSCode == nil || *p.TrustODSCode == "" {
			t.Fatal("RGT01's trust is empty, so the place is not tested")
		}
		if !reflect.DeepEqual(got.PlaceTrustOdsCode, p.TrustODSCode) || !reflect.DeepEqual(got.PlaceLocalHealthBoardOdsCode, p.LocalHealthBoardODSCode) {
			t.Errorf("place %v %v, want %v %v", got.PlaceTrustOdsCode, got.PlaceLocalHealthBoardOdsCode, p.TrustODSCode, p.LocalHealthBoardODSCode)
		}
		_, err := s.GetChildAtPlace(ctx, id+1000)
		wantNotFound(t, "GetChildAtPlace of no child", err)
	})
}
