package api

import (
	"context"
	"errors"

	"clinaudit/app/api/apigen"
	"clinaudit/app/auth"
	"clinaudit/app/children"
	"clinaudit/app/registry"
	"clinaudit/app/registry/verification"

	"github.com/gofiber/fiber/v2"
)

// onboardingSent is every accepted form's answer, stored or not.
const onboardingSent = "Check your email: if the form was accepted, we sent a link and a 6-digit code to the address given. " +
	"Send the code with this submission_id to " + Prefix + "/onboarding/email-verifications, or open the link."

// SubmitOnboarding is the join page (/registries/{slug}/join) as JSON:
// its limits, honeypot, checks and service, in its order, with one answer
// for every accepted form whatever its email or patient.
func (a *API) SubmitOnboarding(ctx context.Context, req apigen.SubmitOnboardingRequestObject) (apigen.SubmitOnboardingResponseObject, error) {
	svc := a.deps.Registry
	reg, _, err := svc.JoinForm(ctx, req.Registry)
	if err != nil {
		return nil, err
	}
	if err := a.limited(ctx, registry.LimitJoinAddress+clientIPOf(ctx), registry.JoinPerAddress,
		"Too many forms have been sent from your network in the last hour."); err != nil {
		return nil, err
	}
	sent := func(ref string) (apigen.SubmitOnboardingResponseObject, error) {
		return apigen.SubmitOnboarding202JSONResponse{SubmissionId: ref, Detail: onboardingSent}, nil
	}
	b := req.Body
	if str(b.Website) != "" {
		return sent(registry.DecoyRef()) // the honeypot: nothing stored or sent
	}
	dob, err := dateInput(str(b.PatientDateOfBirth))
	if err != nil {
		return nil, children.FieldErrors{{Field: registry.PatientPrefix + registry.FieldDateOfBirth, Message: err.Error()}}
	}
	in := registry.OnboardingInput{
		Person: registry.ContactInput{FirstName: str(b.FirstName), Surname: str(b.Surname), Email: str(b.Email), Phone: str(b.Phone),
			Address: str(b.Address), Postcode: str(b.Postcode), PreferredLanguage: str(b.PreferredLanguage), PreferredChannel: str(b.PreferredChannel)},
		Relationship: str(b.Relationship), LegalAuthority: yes(b.LegalAuthority),
		Patient: registry.PatientInput{FirstName: str(b.PatientFirstName), Surname: str(b.PatientSurname), DateOfBirth: dob,
			Sex: str(b.PatientSex), NHSNumber: str(b.PatientNhsNumber), Postcode: str(b.PatientPostcode)},
		Consent: registry.ConsentAnswers{TakePart: yes(b.Consent), ResearchContact: yes(b.ResearchContact), ShareDeidentified: yes(b.ShareDeidentified)},
	}
	if _, errs := registry.CheckOnboarding(reg.Definition, in, svc.Today()); len(errs) > 0 {
		return nil, errs
	}
	// An email asked for too often is not sent again, and the answer is the
	// same: a limit's refusal must not say that anyone used the address.
	if a.limited(ctx, registry.LimitJoinEmail+auth.LimitKey(in.Person.Email), registry.JoinPerEmail, "") != nil {
		return sent(registry.DecoyRef())
	}
	ref, err := svc.SubmitForm(ctx, reg.Slug, in)
	if err != nil {
		return nil, err
	}
	return sent(ref)
}

// VerifyOnboardingEmail is the verification pages as JSON: the link's
// token (VerifyLink), or the typed code (VerifyCode) for the email of the
// submission named, under the code page's limits.
func (a *API) VerifyOnboardingEmail(ctx context.Context, req apigen.VerifyOnboardingEmailRequestObject) (apigen.VerifyOnboardingEmailResponseObject, error) {
	svc := a.deps.Registry
	b := req.Body
	token, ref, code := str(b.Token), str(b.SubmissionId), str(b.Code)
	verified := apigen.VerifyOnboardingEmail200JSONResponse{Status: apigen.Verified}
	switch {
	case token != "" && (ref != "" || code != ""):
		return nil, children.FieldErrors{{Field: "token", Message: "Send either the link's token, or the submission_id and the code, not both"}}
	case token != "":
		switch err := svc.VerifyLink(ctx, b.Registry, token); {
		case errors.Is(err, verification.ErrExpired):
			return nil, problem(fiber.StatusGone, "This link has expired: fill in the form again")
		case errors.Is(err, verification.ErrUsed):
			return nil, problem(fiber.StatusConflict, "This email address is already confirmed")
		case errors.Is(err, verification.ErrInvalid):
			return nil, problem(fiber.StatusNotFound, "This link does not work")
		case err != nil:
			return nil, err
		}
		return verified, nil
	case ref == "":
		return nil, children.FieldErrors{{Field: "submission_id", Message: "Send the submission_id of the form's answer with the code, or the link's token"}}
	}
	email, err := svc.SubmissionEmail(ctx, b.Registry, ref)
	if err != nil {
		return nil, err
	}
	tooMany := "There have been too many tries; the link in the email still works."
	if err := a.limited(ctx, registry.LimitVerifyAddress+clientIPOf(ctx), registry.VerifyPerAddress, tooMany); err != nil {
		return nil, err
	}
	// An unknown submission counts under its own key, as an unknown email
	// does on the page: its answers are a known one's.
	key := auth.LimitKey(email)
	if email == "" {
		key = auth.LimitKey("ref:" + ref)
	}
	if err := a.limited(ctx, registry.LimitVerifyEmail+key, registry.VerifyPerEmail, tooMany); err != nil {
		return nil, err
	}
	err = svc.VerifyCode(ctx, b.Registry, email, code)
	if errors.Is(err, verification.ErrInvalid) {
		return nil, children.FieldErrors{{Field: "code", Message: registry.MsgCodeRefused}}
	}
	if err != nil {
		return nil, err
	}
	return verified, nil
}
