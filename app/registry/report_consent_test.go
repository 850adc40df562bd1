package registry_test

import (
	"context"
	"fmt"
	"testing"

	"clinaudit/app/access"
	"clinaudit/app/registry"
	"clinaudit/app/report"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// counts renders sections as "title: label n, label n; ..." to compare.
func counts(sections []report.Section) string {
	out := ""
	for _, s := range sections {
		out += s.Title + ":"
		for _, r := range s.Rows {
			out += fmt.Sprintf(" %s %d,", r.Label, r.Count)
		}
		out += "\n"
	}
	return out
}

const consentHead = "Consent: Consented to the current version %d, Needs re-consent (older version) %d, Withdrawn %d, No consent recorded %d,\n" +
	"Agreed to be contacted about research: Yes %d, No %d,\nAgreed to share de-identified data: Yes %d, No %d,\n"

// ConsentSections applies Consent.State to the store's groups: a version
// before the current one needs re-consent only while taking part; only
// those taking part count in the yes/no sections.
func TestConsentSections(t *testing.T) {
	yes, no := true, false
	row := func(version int64, take, research, share bool, n int64) store.RegistryConsentCount {
		return store.RegistryConsentCount{VersionNumber: version, TakePart: take, ResearchContact: research, ShareDeidentified: share, Patients: n}
	}
	for _, tc := range []struct {
		name    string
		counts  []store.RegistryConsentCount
		none    int64
		current int64
		want    [8]int64
	}{
		{"nobody", nil, 0, 0, [8]int64{}},
		{"no version published", nil, 4, 0, [8]int64{0, 0, 0, 4}},
		{"current", []store.RegistryConsentCount{row(2, yes, yes, no, 3), row(2, yes, no, yes, 1)}, 0, 2, [8]int64{4, 0, 0, 0, 3, 1, 1, 3}},
		{"older version", []store.RegistryConsentCount{row(1, yes, yes, yes, 2), row(2, yes, no, no, 1)}, 1, 2, [8]int64{1, 2, 0, 1, 2, 1, 2, 1}},
		{"withdrawn under an old version is withdrawn, not re-consent", []store.RegistryConsentCount{row(1, no, no, no, 2)}, 0, 3, [8]int64{0, 0, 2, 0}},
		{"withdrawn under the current version", []store.RegistryConsentCount{row(3, no, no, no, 1), row(3, yes, yes, yes, 1)}, 0, 3, [8]int64{1, 0, 1, 0, 1, 0, 1, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := tc.want
			want := fmt.Sprintf(consentHead, w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7])
			if got := counts(registry.ConsentSections(tc.counts, tc.none, tc.current)); got != want {
				t.Errorf("got\n%swant\n%s", got, want)
			}
		})
	}
}

// The reports count consent as the patients' pages see it: two patients
// consented to the current version, one under the old one, one withdrawn,
// one with none recorded.
func TestConsentReport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		o := newOnboarding(t, s)
		amy, _, _ := family(t, o, "Amy")
		bea, _, _ := family(t, o, "Bea")
		cara, _, _ := family(t, o, "Cara")
		dora, _, _ := family(t, o, "Dora")
		in := joinForm("", "Eve").Patient
		in.NHSNumber = ""
		if _, err := o.svc.AddPatient(ctx, manager, "rett", in, true, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.PublishConsent(ctx, manager, "rett", "Version two.", ""); err != nil {
			t.Fatal(err)
		}
		for _, p := range []int64{amy, bea} {
			if err := o.svc.RecordConsent(ctx, manager, p, 0, registry.ConsentAnswers{TakePart: true, ShareDeidentified: true}, ""); err != nil {
				t.Fatal(err)
			}
		}
		if err := o.svc.Withdraw(ctx, manager, dora, registry.WithdrawalInput{Part: registry.PartTakePart,
			ReceivedOn: registry.DateInput{Day: "10", Month: "3", Year: "2026"}, By: "Jo Hughes", How: "post"}, ""); err != nil {
			t.Fatal(err)
		}
		states := map[int64]registry.ConsentState{amy: registry.ConsentCurrent, bea: registry.ConsentCurrent, cara: registry.ConsentNeedsReconsent, dora: registry.ConsentWithdrawn}
		for p, want := range states {
			if c, err := registry.ConsentOf(ctx, s, p); err != nil || c.State() != want {
				t.Errorf("patient %d: state %v, %v; want %v", p, c.State(), err, want)
			}
		}

		o.svc.ReportSections = []registry.ReportSection{registry.ConsentReport}
		_, sections, err := o.svc.Report(ctx, access.Actor{Role: access.RegistryViewer}, "rett")
		if err != nil {
			t.Fatal(err)
		}
		// Research contact: Cara yes (version 1), Amy and Bea no;
		// sharing: all three yes.
		if got, want := counts(sections[len(sections)-3:]), fmt.Sprintf(consentHead, 2, 1, 1, 1, 1, 2, 3, 0); got != want {
			t.Errorf("got\n%swant\n%s", got, want)
		}
	})
}
