package web

// The families' pages in the template type check (templates_test.go),
// kept here so the shared table stays as it was.
func init() {
	for name, data := range map[string]any{
		"pages/family_sign_in":     familySignInPage{},
		"pages/family_code":        familySignInPage{},
		"pages/family_link":        familySignInPage{},
		"pages/family_two_factor":  familyTwoFactorPage{},
		"pages/family_home":        familyHomePage{},
		"pages/family_patient":     familyPatientPage{},
		"pages/family_patient_new": familyNewPatientPage{},
		"pages/family_delete":      familyDeletePage{},
		"pages/family_profile":     familyProfilePage{},
		"pages/family_invite":      familyInvitePage{},
		"pages/family_join":        familyJoinPage{},
		"pages/family_consent":     familyConsentPage{},
	} {
		templateData[name] = data
	}
}
