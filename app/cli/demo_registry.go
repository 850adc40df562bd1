package cli

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/nhsnumber"
	"clinaudit/app/registry"
	"clinaudit/app/registry/verification"
	"clinaudit/app/store"
)

// demoRegistryPatients is how many synthetic patients the demo registry
// starts with.
const demoRegistryPatients = 40

var (
	demoRegistryGirls    = []string{"Amelia", "Isla", "Ava", "Freya", "Poppy", "Evie", "Ruby", "Sienna", "Maya", "Aisha", "Zara", "Nia", "Erin", "Cara"}
	demoRegistryBoys     = []string{"Oliver", "Rhys", "Arjun", "Noah"}
	demoRegistryParents  = []string{"Sarah", "Emma", "Priya", "Rachel", "Bethan", "Chloe", "Amina", "Laura"}
	demoRegistryFathers  = []string{"James", "Tom", "Daniel", "Owen", "Ravi", "Mark"}
	demoRegistrySurnames = []string{"Hughes", "Ahmed", "Thompson", "Kowalski", "Reid", "Okoro", "Fletcher", "Sharma", "Lloyd", "Byrne",
		"Mensah", "Walsh", "Griffiths", "Novak", "Chen", "Harding", "Ellis", "Rahman", "Doyle", "Parry"}
	demoRegistryPostcodes = []string{"CB20QQ", "SW1A1AA", "M68HD", "CF144XW", "LS13EX"}
	demoRegistryVariants  = []string{"c.473C>T", "c.763C>T", "c.502C>T", "c.808C>T", "c.916C>T", "c.1157_1197del"}
)

// seedDemoRegistry fills the demo registry, once (never when it has a
// patient): families, most with a mother and a father, eight with two
// children in the registry sharing their parents; a child with a guardian
// holding legal authority; a clinical geneticist linked to a dozen
// patients; and one patient deleted, whose mother, linked to nobody now,
// waits in the review queue. Everything goes through app/registry's
// functions, so the demo's records pass the pages' checks and have a
// trail. The same records every time (a fixed seed), dates relative to
// today.
func seedDemoRegistry(ctx context.Context, s store.Store, env Env, now time.Time) error {
	reg, err := s.GetRegistryBySlug(ctx, registry.DemoSlug)
	if err != nil {
		return err
	}
	for _, del := range []string{"", "yes"} {
		n, err := s.CountRegistryPatients(ctx, store.CountRegistryPatientsParams{RegistryID: reg.ID, Deleted: del})
		if err != nil || n > 0 {
			return err
		}
	}
	started := time.Now()
	svc := &registry.Service{Store: s, Now: func() time.Time { return now }}
	me := access.Me{Actor: access.Actor{Role: access.RegistryManager}} // the command line
	r := rand.New(rand.NewPCG(16, 2026))
	pick := func(l []string) string { return l[r.IntN(len(l))] }
	year := now.Year()

	var contacts, links int
	addContact := func(first, surname string, mayContact bool) (int64, error) {
		email, channel := "", pick([]string{"sms", "letter"})
		if r.IntN(4) > 0 {
			email, channel = fmt.Sprintf("%s.%s%d@example.org", first, surname, contacts), "email"
		}
		c, err := svc.AddContact(ctx, me, registry.DemoSlug, registry.ContactInput{FirstName: first, Surname: surname, Email: email,
			Phone: fmt.Sprintf("07700 900%03d", contacts), Address: fmt.Sprintf("%d Demo Road\nExampleton", 1+contacts),
			Postcode: pick(demoRegistryPostcodes), PreferredLanguage: "English", PreferredChannel: channel, MayContact: mayContact},
			true, registry.CauseImport)
		contacts++
		return c.ID, err
	}
	link := func(patient, contact int64, in registry.RelationshipInput) error {
		_, err := svc.Link(ctx, me, patient, contact, in, registry.CauseImport)
		links++
		return err
	}
	geneticist, err := addContact("Helen", "Marsh", true)
	if err != nil {
		return err
	}

	var patients []int64
	var family struct {
		surname        string
		mother, father int64
	}
	for i := range demoRegistryPatients {
		sibling := i%10 == 1 || i%10 == 6 // the second child of four families
		if !sibling {
			family.surname, family.mother, family.father = demoRegistrySurnames[i%len(demoRegistrySurnames)], 0, 0
		}
		first, sex := pick(demoRegistryGirls), "2"
		if i%9 == 4 {
			first, sex = pick(demoRegistryBoys), "1"
		}
		born := time.Date(year-2-r.IntN(20), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
		diagnosed := born.AddDate(1+r.IntN(3), r.IntN(12), 0)
		in := registry.PatientInput{FirstName: first, Surname: family.surname, Sex: sex, Postcode: pick(demoRegistryPostcodes),
			DateOfBirth: dateInput(born), ClinicalStatus: pick([]string{"classic", "classic", "atypical", "unknown"})}
		if i%5 != 3 {
			in.NHSNumber = nhsnumber.Generate(r)
		}
		if diagnosed.Before(now) {
			in.DiagnosisDate, in.DiagnosisConfirmation = dateInput(diagnosed), pick([]string{"genetic", "genetic_and_clinical", "clinical", "suspected"})
		}
		p, err := svc.AddPatient(ctx, me, registry.DemoSlug, in, true, registry.CauseImport)
		if err != nil {
			return fmt.Errorf("patient %d: %w", i+1, err)
		}
		patients = append(patients, p.ID)
		if i%4 != 2 {
			if _, err := svc.SaveFinding(ctx, me, p.ID, 0, 0, registry.FindingInput{Gene: "MECP2", Variant: pick(demoRegistryVariants),
				Classification: pick([]string{"pathogenic", "pathogenic", "likely_pathogenic"}), SourceReport: "Demo genomics lab, report " + strconv.Itoa(1000+i),
				ConfirmedBy: "Dr Helen Marsh"}, registry.CauseImport); err != nil {
				return fmt.Errorf("patient %d's finding: %w", i+1, err)
			}
		}

		switch {
		case i == 7: // in care: a guardian with legal authority, no parents
			g, err := addContact("Margaret", "Osei", true)
			if err == nil {
				err = link(p.ID, g, registry.RelationshipInput{Type: "guardian", LegalAuthority: true, MayAct: true, IsPrimary: true,
					StartDate: dateInput(now.AddDate(-3, 0, 0))})
			}
			if err != nil {
				return err
			}
		default:
			if family.mother == 0 {
				if family.mother, err = addContact(pick(demoRegistryParents), family.surname, true); err != nil {
					return err
				}
				if i%3 != 0 {
					if family.father, err = addContact(pick(demoRegistryFathers), family.surname, i%7 != 0); err != nil {
						return err
					}
				}
			}
			if err := link(p.ID, family.mother, registry.RelationshipInput{Type: "mother", LegalAuthority: true, MayAct: true, IsPrimary: true}); err != nil {
				return err
			}
			if family.father != 0 {
				if err := link(p.ID, family.father, registry.RelationshipInput{Type: "father", LegalAuthority: true, MayAct: true}); err != nil {
					return err
				}
			}
		}
		if i%3 == 0 {
			if err := link(p.ID, geneticist, registry.RelationshipInput{Type: "clinician"}); err != nil {
				return err
			}
		}
	}
	// Registered by mistake (a duplicate the family reported): deleted, so
	// restorable for 30 days; its mother, linked to nobody else, is in the
	// contacts' review queue.
	if err := svc.DeletePatient(ctx, me, patients[len(patients)-1], ""); err != nil {
		return err
	}
	if err := seedDemoFamily(ctx, s, svc, me, reg, patients[0], now); err != nil {
		return err
	}
	if err := seedDemoOnboarding(ctx, s, reg, now); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "demo data: registry %q with %d synthetic patients (one deleted), %d contacts, %d relationships in %s\n",
		registry.DemoSlug, len(patients), contacts, links, time.Since(started).Round(time.Millisecond))
	return nil
}

// dateInput is t as the registry's forms take a date.
func dateInput(t time.Time) registry.DateInput {
	return registry.DateInput{Day: strconv.Itoa(t.Day()), Month: strconv.Itoa(int(t.Month())), Year: strconv.Itoa(t.Year())}
}

// seedDemoOnboarding publishes the registry's consent text as version 1
// and leaves two families' requests to join (issue 17): one whose email is
// verified, waiting in the review queue, and one not yet verified. Their
// link and code are thrown away: nobody is emailed.
func seedDemoOnboarding(ctx context.Context, s store.Store, reg store.Registry, now time.Time) error {
	v, err := registry.CurrentConsentVersion(ctx, s, reg.ID, registry.Definitions[registry.DemoSlug], now.UTC().Truncate(time.Second))
	if err != nil {
		return err
	}
	for i, f := range []struct {
		first, surname, email, child string
		dob                          store.Date
		verified                     bool
	}{
		{"Priya", "Shah", "priya.shah@example.org", "Anaya", store.Date{Year: now.Year() - 4, Month: time.March, Day: 14}, true},
		{"Tom", "Evans", "tom.evans@example.org", "Lily", store.Date{Year: now.Year() - 7, Month: time.October, Day: 2}, false},
	} {
		at := now.UTC().Add(-time.Duration(i+1) * time.Hour).Truncate(time.Second)
		is, err := verification.Issue(f.email, at, registry.DefaultSettings().VerificationTTL)
		if err != nil {
			return err
		}
		id, err := s.InsertOnboardingSubmission(ctx, store.InsertOnboardingSubmissionParams{RegistryID: reg.ID, Email: f.email,
			FirstName: f.first, Surname: f.surname, PreferredChannel: "email", Relationship: "mother", LegalAuthority: true,
			PatientFirstName: f.child, PatientSurname: f.surname, PatientDateOfBirth: f.dob, PatientSex: 2, ConsentVersionID: v.ID,
			TakePart: true, ResearchContact: f.verified, TokenHash: is.TokenHash, CodeHash: is.CodeHash, ExpiresAt: is.ExpiresAt, CreatedAt: at})
		if err != nil {
			return err
		}
		if f.verified {
			if _, err := s.MarkOnboardingVerified(ctx, store.MarkOnboardingVerifiedParams{ID: id, VerifiedAt: &at}); err != nil {
				return err
			}
		}
	}
	return nil
}
