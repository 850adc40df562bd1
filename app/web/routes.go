package web

import (
	"clinaudit/app/access"
	"clinaudit/app/registry"
	"clinaudit/static"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/gofiber/fiber/v2/middleware/compress"
)

// routes lists every route the app serves, in one place. Access is decided
// here by the guard in front of each group: public, pending (password
// passed, second factor not yet), signed in.
func (s *server) routes(app *fiber.App) {
	s.middleware(app)

	// Precompressed and content-hashed; served before the compressor.
	app.Use("/static", static.Handler())
	app.Get("/healthz", s.handleHealthz)
	app.Get("/readyz", s.handleReadyz)

	app.Use(compress.New(compress.Config{Level: compress.LevelBestSpeed}))
	// The JSON API (app/api): bearer tokens only, so before the session
	// and CSRF middleware, which it never reaches.
	s.api.Mount(app)
	app.Use(s.loadIdentity)
	if s.JobsUI != nil && s.JobsUIPath != "" {
		// riverui's own JSON API cannot carry our CSRF token: it is mounted
		// before the CSRF check and guarded by a same-origin check instead.
		app.Use(s.JobsUIPath, s.requireSignedIn, s.requireAction(access.ViewJobs), sameOrigin, s.refuseControlCharacters, adaptor.HTTPHandler(s.JobsUI))
	}
	// GOV.UK Notify's delivery receipts: posted by Notify, not a browser,
	// so before the CSRF check; a bearer token guards it (notifications.go).
	app.Post("/notifications/govuk-notify/callback", s.handleNotifyCallback)
	app.Use(s.csrf)
	// After the CSRF check, which puts the page's token where the 422
	// page's own forms (sign out) find it.
	app.Use(s.refuseControlCharacters) // textguard.go

	// Public.
	app.Get("/", s.handleHome)
	app.Get("/organisations", s.handleOrganisations)
	app.Get("/sign-in", s.handleSignInForm)
	app.Post("/sign-in", s.handleSignIn)
	app.Post("/sign-out", s.handleSignOut)
	app.Get("/forgot-password", s.handleForgotForm)
	app.Post("/forgot-password", s.handleForgot)
	app.Get("/account/set-password/:token", s.handleSetPasswordForm)
	app.Post("/account/set-password/:token", s.handleSetPassword)
	if s.Demo {
		app.Get("/demo/mailbox", s.handleMailbox)
	}
	// Families joining a registry (registry_join.go): public.
	app.Get("/registries/:slug/join", s.handleJoinForm)
	app.Post("/registries/:slug/join", s.handleJoin)
	app.Get("/registries/:slug/join/sent", s.handleJoinSent)
	app.Get("/registries/:slug/verify", s.handleVerifyCodeForm)
	app.Post("/registries/:slug/verify", s.handleVerifyCode)
	app.Get("/registries/:slug/verify/:token", s.handleVerifyLinkForm)
	app.Post("/registries/:slug/verify/:token", s.handleVerifyLink)

	// Password passed, second factor pending.
	pending := app.Group("/sign-in/two-factor", s.requirePending)
	pending.Get("", s.handleTwoFactorForm)
	pending.Post("", s.handleTwoFactor)
	pending.Post("/start", s.handleTwoFactorStart)
	pending.Post("/setup", s.handleTwoFactorSetup)
	pending.Post("/sms", s.handleTwoFactorSMS) // SMS codes instead of the app (sms_factor.go)

	// Signed in: each route names its guard.
	in := s.requireSignedIn
	app.Get("/account", in, s.handleAccount)
	app.Post("/account/end-other-sessions", in, s.handleEndOtherSessions)
	app.Post("/account/api-tokens", in, s.handleTokenCreate)
	app.Post("/account/api-tokens/:token/revoke", in, s.handleTokenRevoke)
	app.Post("/session/extend", in, s.handleExtend)
	app.Get("/admin/users", in, s.handleStaffList)
	app.Get("/admin/users/new", in, s.handleStaffNew)
	app.Post("/admin/users", in, s.handleStaffCreate)
	app.Get("/admin/users/:id", in, s.handleStaffShow)
	app.Get("/admin/users/:id/edit", in, s.handleStaffEdit)
	app.Post("/admin/users/:id/edit", in, s.handleStaffUpdate)
	app.Post("/admin/users/:id/api-clients", in, s.handleClientCreate) // before :action
	app.Post("/admin/users/:id/api-clients/:client/revoke", in, s.handleClientRevoke)
	app.Post("/admin/users/:id/:action", in, s.handleStaffAction)
	app.Post("/account/notifications", in, s.handleNotificationPrefs)
	app.Post("/account/sms", in, s.handleAccountSMS) // SMS second factor (sms_factor.go)
	app.Post("/account/sms/confirm", in, s.handleAccountSMSConfirm)
	app.Post("/account/sms/remove", in, s.handleAccountSMSRemove)
	app.Get("/admin/notifications", in, s.requireAction(access.ViewJobs), s.handleNotifications)
	app.Get("/admin/notifications/templates", in, s.requireAction(access.ViewJobs), s.handleNotificationTemplates)
	app.Get("/admin/record-views", in, s.requireAction(access.ViewRecordViews), s.handleRecordViews)
	app.Get("/admin/kpi-recalculation", in, s.requireAction(access.RecalculateKPIs), s.handleRecalcList)
	app.Post("/admin/kpi-recalculation", in, s.requireAction(access.RecalculateKPIs), s.handleRecalcCreate)
	app.Post("/admin/kpi-recalculation/check", in, s.requireAction(access.RecalculateKPIs), s.handleReconcileCreate)
	app.Get("/dashboards", in, s.handleDashboards)
	app.Get("/dashboards/go", in, s.handleDashboardGo)
	app.Get("/dashboards/organisations/:ods", in, s.requireAction(access.ViewDashboards), s.handleOrganisationDashboard)
	app.Get("/dashboards/organisations/:ods/demographics", in, s.requireAction(access.ViewDashboards), s.handleDemographics)
	app.Get("/dashboards/measures/:measure", in, s.handleMeasureDashboard)
	app.Post("/dashboards/aggregate", in, s.requireAction(access.RecalculateKPIs), s.handleAggregateNow)
	view := s.logView // the record-view log: one row per page of a child shown
	app.Get("/children", in, s.handleChildList)
	app.Get("/children/new", in, s.handleChildNew)
	app.Get("/children/transfers", in, s.handleChildTransfers)
	app.Get("/children/deleted", in, s.handleChildrenDeleted)
	app.Post("/children", in, s.handleChildCreate)
	app.Get("/children/:id", in, view, s.handleChildShow)
	app.Get("/children/:id/edit", in, view, s.handleChildEdit)
	app.Post("/children/:id/edit", in, s.handleChildUpdate)
	app.Get("/children/:id/register", in, view, s.handleChildRegisterForm)
	app.Post("/children/:id/register", in, s.handleChildRegister)
	app.Get("/children/:id/lock", in, view, s.handleChildLockForm)
	app.Post("/children/:id/lock", in, s.handleChildLock)
	app.Post("/children/:id/unlock", in, s.handleChildUnlock)
	app.Get("/children/:id/transfer", in, view, s.handleChildTransferForm)
	app.Post("/children/:id/transfer", in, s.handleChildTransfer)
	app.Post("/children/:id/transfer/accept", in, s.handleChildTransferAnswer("accept"))
	app.Post("/children/:id/transfer/reject", in, s.handleChildTransferAnswer("reject"))
	app.Post("/children/:id/transfer/cancel", in, s.handleChildTransferAnswer("cancel"))
	app.Get("/children/:id/opt-out", in, view, s.handleChildOptOutForm)
	app.Post("/children/:id/opt-out", in, s.handleChildOptOut)
	app.Get("/children/:id/delete", in, view, s.handleChildDeleteForm)
	app.Post("/children/:id/delete", in, s.handleChildDelete)
	app.Post("/children/:id/restore", in, s.handleChildRestore)
	app.Get("/children/:id/audit", in, view, s.handleAuditTasks)
	app.Get("/children/:id/history", in, view, s.handleAuditHistory)
	app.Get("/children/:id/kpis", in, view, s.handleAuditKPIs)
	app.Get("/children/:id/forms/:form", in, view, s.handleAuditForm)
	app.Get("/children/:id/forms/:form/question", in, s.handleAuditQuestion)
	app.Post("/children/:id/forms/:form/answer", in, s.handleAuditAnswer)
	app.Post("/children/:id/forms/:form/rows", in, s.handleAuditAddRow)
	app.Post("/children/:id/forms/:form/rows/:row/remove", in, s.handleAuditRemoveRow)

	// The registry (registry*.go): registry roles and superusers; package
	// registry decides the rest (identifiers, changes) call by call.
	reg := s.requireRegistry
	app.Get("/registry", in, reg, s.handleRegistryHome)
	app.Get("/registry/patients", in, reg, s.handleRegistryPatients)
	app.Get("/registry/patients/new", in, reg, s.handlePatientNew)
	app.Post("/registry/patients", in, reg, s.handlePatientCreate)
	app.Get("/registry/patients/:id", in, reg, s.handlePatientShow)
	app.Get("/registry/patients/:id/field", in, reg, s.handlePatientFieldShow)
	app.Post("/registry/patients/:id/field", in, reg, s.handlePatientField)
	app.Get("/registry/patients/:id/history", in, reg, s.handleRegistryHistory(registry.EntityPatient))
	app.Post("/registry/patients/:id/findings", in, reg, s.handleFindingAdd)
	app.Post("/registry/patients/:id/findings/:finding/remove", in, reg, s.handleFindingRemove())
	app.Get("/registry/patients/:id/link", in, reg, s.handleLinkForm)
	app.Post("/registry/patients/:id/link", in, reg, s.handleLink)
	app.Post("/registry/patients/:id/relationships/:rel/remove", in, reg, s.handleRelationshipRemove())
	app.Post("/registry/patients/:id/delete", in, reg, s.handleRegistryLifecycle(registry.EntityPatient, "delete"))
	app.Post("/registry/patients/:id/restore", in, reg, s.handleRegistryLifecycle(registry.EntityPatient, "restore"))
	app.Get("/registry/contacts", in, reg, s.handleRegistryContacts)
	app.Get("/registry/reports", in, reg, s.handleRegistryReports)
	app.Get("/registry/contacts/new", in, reg, s.handleContactNew)
	app.Post("/registry/contacts", in, reg, s.handleContactCreate)
	app.Get("/registry/contacts/:id", in, reg, s.handleContactShow)
	app.Get("/registry/contacts/:id/field", in, reg, s.handleContactFieldShow)
	app.Post("/registry/contacts/:id/field", in, reg, s.handleContactField)
	app.Get("/registry/contacts/:id/history", in, reg, s.handleRegistryHistory(registry.EntityContact))
	app.Get("/registry/contacts/:id/merge", in, reg, s.handleMergePreview)
	app.Post("/registry/contacts/:id/merge", in, reg, s.handleMerge)
	app.Post("/registry/contacts/:id/delete", in, reg, s.handleRegistryLifecycle(registry.EntityContact, "delete"))
	app.Post("/registry/contacts/:id/restore", in, reg, s.handleRegistryLifecycle(registry.EntityContact, "restore"))
	// Onboarding's review queue, consent and subject access (issue 17:
	// registry_onboarding.go, registry_consent.go).
	app.Get("/registry/onboarding", in, reg, s.handleOnboardingList)
	app.Get("/registry/onboarding/:id", in, reg, s.handleSubmissionShow)
	app.Post("/registry/onboarding/:id/decide", in, reg, s.handleSubmissionDecide)
	app.Get("/registry/consent", in, reg, s.handleConsentPage)
	app.Post("/registry/consent", in, reg, s.handleConsentPublish)
	app.Post("/registry/settings", in, reg, s.handleSettingsSave)
	app.Get("/registry/patients/:id/consent", in, reg, s.handlePatientConsent)
	app.Post("/registry/patients/:id/consent", in, reg, s.handlePatientConsentRecord)
	app.Post("/registry/patients/:id/withdraw", in, reg, s.handlePatientWithdraw)
	app.Get("/registry/contacts/:id/subject-access", in, reg, s.handleSubjectAccess)
	// Surveys (registry_surveys.go): managers write and send them; every
	// registry role sees the results, which carry no names.
	app.Get("/registry/surveys", in, reg, s.handleSurveys)
	app.Post("/registry/surveys", in, reg, s.handleSurveyCreate)
	app.Get("/registry/surveys/:id", in, reg, s.handleSurveyShow)
	app.Post("/registry/surveys/:id", in, reg, s.handleSurveySave)
	app.Post("/registry/surveys/:id/publish", in, reg, s.handleSurveyPublish)
	app.Post("/registry/surveys/:id/send", in, reg, s.handleSurveySend)
	app.Post("/registry/surveys/:id/close", in, reg, s.handleSurveyClose)
	app.Get("/registry/surveys/:id/results", in, reg, s.handleSurveyResults)
	app.Get("/registry/surveys/:id/results/download", in, reg, s.handleSurveyDownload)
	// A survey's public pages: the personal link is the only key
	// (survey_public.go).
	app.Get("/s/:token", s.handleSurveyAnswerPage)
	app.Post("/s/:token", s.handleSurveySaveAll)
	app.Post("/s/:token/answer", s.handleSurveyAnswer)
	app.Post("/s/:token/finish", s.handleSurveyFinish)

	// Published results (public), publishing, KPI downloads and record
	// exports: public.go, publish.go, downloads.go, exports.go. Downloads
	// decide per level and organisation (export.MayDownload*); an export
	// is its owner's alone (export.Open).
	app.Get("/public", s.handlePublicList)
	app.Get("/public/organisations/:ods", s.handlePublicOrganisation)
	app.Get("/dashboards/publish", in, s.requireAction(access.Publish), s.handlePublishPage)
	app.Post("/dashboards/publish", in, s.requireAction(access.Publish), s.handlePublish)
	app.Get("/dashboards/download", in, s.requireAction(access.ViewDashboards), s.handleKPIDownload)
	app.Get("/exports", in, s.requireAction(access.ExportRecords), s.handleExportList)
	app.Post("/exports", in, s.requireAction(access.ExportRecords), s.handleExportCreate)
	app.Get("/exports/:id/download", in, s.handleExportDownload)

	// Files (files.go): package files decides access by the record's own
	// rules; uploads and downloads go through signed links bound to the
	// user, checked again when used.
	app.Get("/files/download/:token", in, s.handleFileDownload)
	app.Post("/files/upload/:token", in, s.handleFileUpload)
	app.Get("/files/:id", in, s.handleFileShow)
	app.Post("/files/proposals/:id/confirm", in, s.handleProposal(true))
	app.Post("/files/proposals/:id/reject", in, s.handleProposal(false))
	// The families' sign-in and private area (family_*.go): a family
	// session of its own kind, under its own cookie; no staff guard
	// accepts it and these accept no staff session.
	fam := app.Group("/family", s.loadFamily)
	fam.Get("/sign-in", s.handleFamilySignInForm)
	fam.Post("/sign-in", s.handleFamilySignIn)
	fam.Post("/sign-in/code", s.handleFamilyCode)
	fam.Get("/sign-in/link/:token", s.handleFamilyLinkForm)
	fam.Post("/sign-in/link/:token", s.handleFamilyLink)
	fam.Get("/join/:token", s.handleFamilyJoinForm)
	fam.Post("/join/:token", s.handleFamilyJoin)
	fam.Post("/sign-out", s.handleFamilySignOut)
	fam.Get("/two-factor", s.requireFamilyAny, s.handleFamilyTwoFactorForm)
	fam.Post("/two-factor", s.requireFamilyAny, s.handleFamilyTwoFactor)
	fam.Post("/two-factor/sms", s.requireFamilyAny, s.handleFamilySMS) // family_sms.go
	fin := s.requireFamily
	fam.Get("", fin, s.handleFamilyHome)
	fam.Get("/profile", fin, s.handleFamilyProfile)
	fam.Get("/profile/field", fin, s.handleFamilyProfileFieldShow)
	fam.Post("/profile/field", fin, s.handleFamilyProfileField)
	fam.Get("/patients/new", fin, s.handleFamilyPatientNew)
	fam.Post("/patients", fin, s.handleFamilyPatientCreate)
	fam.Get("/patients/:id", fin, s.handleFamilyPatient)
	fam.Get("/patients/:id/field", fin, s.handleFamilyPatientFieldShow)
	fam.Post("/patients/:id/field", fin, s.handleFamilyPatientField)
	fam.Get("/patients/:id/delete", fin, s.handleFamilyDeleteForm)
	fam.Post("/patients/:id/delete", fin, s.handleFamilyDelete)
	fam.Get("/patients/:id/invite", fin, s.handleFamilyInviteForm)
	fam.Post("/patients/:id/invite", fin, s.handleFamilyInvite)
	fam.Get("/patients/:id/consent", fin, s.handleFamilyConsent)
	fam.Post("/patients/:id/consent", fin, s.handleFamilyConsentGive)
	fam.Post("/patients/:id/withdraw", fin, s.handleFamilyWithdraw)
	fam.Get("/data", fin, s.handleFamilyData)
	fam.Post("/surveys/:id", fin, s.handleFamilySurvey)
	// A patient's files (family_files.go): links of the family's own,
	// checked again when used.
	fam.Get("/files/download/:token", fin, s.handleFamilyFileDownload)

	app.Use(s.notFound)
}

// middleware runs on every request, in this order.
func (s *server) middleware(app *fiber.App) {
	app.Use(s.requestID, s.accessLog, s.recoverPanic, s.securityHeaders, cleanUserAgent, s.deadline)
}
