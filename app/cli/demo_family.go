package cli

import (
	"context"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/registry"
	"clinaudit/app/store"
)

// DemoFamilyEmail is the demo's family account: the mother of the demo
// registry's first patient. Families sign in without a password: ask at
// /family/sign-in and follow the link (or type the code) from the email,
// which the demo keeps in the Demo mailbox.
const DemoFamilyEmail = "family@demo.clinaudit.invalid"

// seedDemoFamily gives the first patient's mother the demo family address
// and a family account.
func seedDemoFamily(ctx context.Context, s store.Store, svc *registry.Service, me access.Me, reg store.Registry, patient int64, now time.Time) error {
	links, err := s.ListRegistryLinks(ctx, store.ListRegistryLinksParams{PatientID: patient})
	if err != nil {
		return err
	}
	for _, l := range links {
		if l.Type != "mother" {
			continue
		}
		c, err := s.GetRegistryContact(ctx, l.ContactID)
		if err != nil {
			return err
		}
		if _, err := svc.SaveContactField(ctx, me, registry.SaveField{ID: c.ID, Field: registry.FieldEmail, Value: DemoFamilyEmail, Seen: c.Version}); err != nil {
			return err
		}
		_, err = s.CreateFamilyAccount(ctx, store.CreateFamilyAccountParams{RegistryID: reg.ID, ContactID: c.ID, Email: DemoFamilyEmail, CreatedAt: now})
		return err
	}
	return nil
}
