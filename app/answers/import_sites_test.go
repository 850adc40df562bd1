package answers_test

import (
	"context"
	"testing"

	"clinaudit/app/progress"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// The Milestones centres travel in the document's "sites": imported, they
// are stored as a clinician's choice would be, so a child with a referral
// can be complete; exported, they come back as given.
func TestImportSites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s)
		d := w.doc()
		a := d.obj("assessment")
		for k, v := range map[string]any{
			"childrens_epilepsy_surgical_service_referral_criteria_met": false,
			"consultant_paediatrician_referral_made":                    true,
			"consultant_paediatrician_referral_date":                    fpa.String(),
			"consultant_paediatrician_input_achieved":                   true,
			"consultant_paediatrician_input_date":                       fpa.String(),
			"paediatric_neurologist_referral_made":                      true,
			"paediatric_neurologist_referral_date":                      fpa.String(),
			"paediatric_neurologist_input_achieved":                     false,
			"childrens_epilepsy_surgical_service_referral_made":         false,
			"epilepsy_specialist_nurse_referral_made":                   false,
		} {
			a[k] = v
		}
		d.obj("sites")["site_is_general_paediatric_centre"] = "RGT01"
		d.obj("sites")["site_is_paediatric_neurology_centre"] = "RM332"
		sent := d.decode(t)
		id := w.importDoc(t, "RM332", sent)

		l := w.load(t, carl, id)
		var milestones progress.FormProgress
		for _, f := range l.Progress.Forms {
			if f.Form == progress.Assessment {
				milestones = f
			}
		}
		if milestones.Status != progress.Completed || milestones.Answered != milestones.Expected {
			t.Errorf("Milestones after import: %+v, want completed", milestones)
		}
		got, err := w.svc().Export(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Sites == nil || got.Sites.GeneralPaediatricCentre == nil || *got.Sites.GeneralPaediatricCentre != "RGT01" ||
			*got.Sites.PaediatricNeurologyCentre != "RM332" || got.Sites.ChildrensEpilepsySurgeryCentre != nil {
			t.Errorf("exported sites %s", encode(t, got))
		}
		imported := 0
		for _, ch := range w.trail(t, id) {
			if ch.Section == "sites" && ch.Cause == "import" {
				imported++
			}
		}
		if imported != 2 {
			t.Errorf("%d centres in the trail as imported, want 2", imported)
		}
	})
}
