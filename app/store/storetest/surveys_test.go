package storetest_test

import (
	"context"
	"testing"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

func TestSurveyQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		reg := newRegistry(t, s, "rett")
		amy := get[int64](t)(s.InsertRegistryPatient(ctx, patientParams(reg, "R0000001", "Smith", nil)))
		ben := get[int64](t)(s.InsertRegistryPatient(ctx, patientParams(reg, "R0000002", "Jones", nil)))
		contact := func(first string, may bool) int64 {
			return get[int64](t)(s.InsertRegistryContact(ctx, store.InsertRegistryContactParams{RegistryID: reg, FirstName: first, Surname: "C",
				Email: first + "@example.org", PreferredChannel: "email", MayContact: may, CreatedAt: at(0)}))
		}
		jo, kim, lee := contact("jo", true), contact("kim", false), contact("lee", true)
		link := func(p, c int64, typ string, primary bool) {
			get[int64](t)(s.InsertRegistryRelationship(ctx, store.InsertRegistryRelationshipParams{PatientID: p, ContactID: c, Type: typ, IsPrimary: primary, CreatedAt: at(0)}))
		}
		link(amy, jo, "mother", true)
		link(ben, jo, "mother", true) // two patients: listed once
		link(ben, kim, "father", false)
		_ = lee // linked to nobody: never a recipient

		rs := get[[]store.SurveyRecipient](t)(s.ListSurveyRecipients(ctx, store.ListSurveyRecipientsParams{RegistryID: reg}))
		if len(rs) != 2 || rs[0].ID != jo || rs[1].ID != kim || rs[1].MayContact {
			t.Errorf("ListSurveyRecipients = %+v, want jo and kim once each", rs)
		}
		if rs := get[[]store.SurveyRecipient](t)(s.ListSurveyRecipients(ctx, store.ListSurveyRecipientsParams{RegistryID: reg, Relationship: ptr("father")})); len(rs) != 1 || rs[0].ID != kim {
			t.Errorf("fathers = %+v", rs)
		}
		if rs := get[[]store.SurveyRecipient](t)(s.ListSurveyRecipients(ctx, store.ListSurveyRecipientsParams{RegistryID: reg, PrimaryOnly: true})); len(rs) != 1 || rs[0].ID != jo {
			t.Errorf("primary contacts = %+v", rs)
		}

		sid := get[int64](t)(s.InsertSurvey(ctx, store.InsertSurveyParams{RegistryID: reg, Title: "Sleep", ClosesAt: at(100), CreatedAt: at(0)}))
		check(t, s.UpdateSurvey(ctx, store.UpdateSurveyParams{Title: "Sleep 2", ClosesAt: at(200), ID: sid}))
		if sv := get[store.Survey](t)(s.GetSurvey(ctx, sid)); sv.Title != "Sleep 2" || !sv.ClosesAt.Equal(at(200)) || sv.ClosedAt != nil {
			t.Errorf("GetSurvey = %+v", sv)
		}
		_, err := s.GetSurvey(ctx, sid+99)
		wantNotFound(t, "GetSurvey", err)
		if l := get[[]store.Survey](t)(s.ListSurveys(ctx, reg)); len(l) != 1 {
			t.Errorf("ListSurveys = %+v", l)
		}
		v1 := get[int64](t)(s.InsertSurveyVersion(ctx, store.InsertSurveyVersionParams{SurveyID: sid, Version: 1, Title: "Sleep", Questions: "a : text : A?", UpdatedAt: at(0)}))
		_, err = s.InsertSurveyVersion(ctx, store.InsertSurveyVersionParams{SurveyID: sid, Version: 1, Title: "x", Questions: "x", UpdatedAt: at(0)})
		wantConflict(t, "InsertSurveyVersion with a taken number", err)
		_, err = s.GetPublishedSurveyVersion(ctx, sid)
		wantNotFound(t, "GetPublishedSurveyVersion of a draft", err)
		n, err := s.UpdateSurveyDraft(ctx, store.UpdateSurveyDraftParams{Title: "Sleep", Intro: "Hi", Questions: "b : text : B?", UpdatedAt: at(1), ID: v1})
		wantRows(t, "UpdateSurveyDraft of a draft", n, err, 1)
		n, err = s.PublishSurveyVersion(ctx, store.PublishSurveyVersionParams{PublishedAt: ptr(at(2)), ID: v1})
		wantRows(t, "PublishSurveyVersion", n, err, 1)
		n, err = s.PublishSurveyVersion(ctx, store.PublishSurveyVersionParams{PublishedAt: ptr(at(3)), ID: v1})
		wantRows(t, "PublishSurveyVersion again", n, err, 0)
		n, err = s.UpdateSurveyDraft(ctx, store.UpdateSurveyDraftParams{Title: "Changed", Questions: "c : text : C?", UpdatedAt: at(3), ID: v1})
		wantRows(t, "UpdateSurveyDraft of a published version", n, err, 0)
		v2 := get[int64](t)(s.InsertSurveyVersion(ctx, store.InsertSurveyVersionParams{SurveyID: sid, Version: 2, Title: "Sleep", Questions: "d : text : D?", UpdatedAt: at(4)}))
		if v := get[store.SurveyVersion](t)(s.GetLatestSurveyVersion(ctx, sid)); v.ID != v2 || v.PublishedAt != nil {
			t.Errorf("GetLatestSurveyVersion = %+v", v)
		}
		if v := get[store.SurveyVersion](t)(s.GetPublishedSurveyVersion(ctx, sid)); v.ID != v1 || v.Questions != "b : text : B?" || v.Intro != "Hi" {
			t.Errorf("GetPublishedSurveyVersion = %+v", v)
		}
		if v := get[store.SurveyVersion](t)(s.GetSurveyVersion(ctx, v2)); v.Version != 2 {
			t.Errorf("GetSurveyVersion = %+v", v)
		}

		inv := get[int64](t)(s.InsertSurveyInvitation(ctx, store.InsertSurveyInvitationParams{SurveyID: sid, VersionID: v1, ContactID: jo, Channel: "email", CreatedAt: at(5), ExpiresAt: at(200)}))
		_, err = s.InsertSurveyInvitation(ctx, store.InsertSurveyInvitationParams{SurveyID: sid, VersionID: v1, ContactID: jo, Channel: "sms", CreatedAt: at(6), ExpiresAt: at(200)})
		wantNotFound(t, "InsertSurveyInvitation of a contact invited already", err)
		inv2 := get[int64](t)(s.InsertSurveyInvitation(ctx, store.InsertSurveyInvitationParams{SurveyID: sid, VersionID: v1, ContactID: kim, Channel: "sms", CreatedAt: at(5), ExpiresAt: at(200)}))
		check(t, s.InsertSurveyToken(ctx, store.InsertSurveyTokenParams{Hash: "h1", InvitationID: inv, CreatedAt: at(5)}))
		check(t, s.InsertSurveyToken(ctx, store.InsertSurveyTokenParams{Hash: "h2", InvitationID: inv, CreatedAt: at(9)}))
		if i := get[store.SurveyInvitation](t)(s.GetSurveyInvitationByToken(ctx, "h2")); i.ID != inv || i.Channel != "email" {
			t.Errorf("GetSurveyInvitationByToken = %+v", i)
		}
		_, err = s.GetSurveyInvitationByToken(ctx, "nope")
		wantNotFound(t, "GetSurveyInvitationByToken", err)

		check(t, s.UpsertSurveyAnswer(ctx, store.UpsertSurveyAnswerParams{InvitationID: inv, Question: "b", Answer: "one", UpdatedAt: at(6)}))
		check(t, s.UpsertSurveyAnswer(ctx, store.UpsertSurveyAnswerParams{InvitationID: inv, Question: "b", Answer: "two", UpdatedAt: at(7)}))
		check(t, s.UpsertSurveyAnswer(ctx, store.UpsertSurveyAnswerParams{InvitationID: inv, Question: "c", Answer: "x", UpdatedAt: at(7)}))
		check(t, s.DeleteSurveyAnswer(ctx, store.DeleteSurveyAnswerParams{InvitationID: inv, Question: "c"}))
		check(t, s.MarkSurveyStarted(ctx, store.MarkSurveyStartedParams{StartedAt: ptr(at(6)), ID: inv}))
		check(t, s.MarkSurveyStarted(ctx, store.MarkSurveyStartedParams{StartedAt: ptr(at(8)), ID: inv}))
		if as := get[[]store.SurveyAnswer](t)(s.ListSurveyAnswers(ctx, inv)); len(as) != 1 || as[0].Answer != "two" || !as[0].UpdatedAt.Equal(at(7)) {
			t.Errorf("ListSurveyAnswers = %+v", as)
		}
		if as := get[[]store.SurveyAnswer](t)(s.ListSurveyAnswersForSurvey(ctx, sid)); len(as) != 1 || as[0].InvitationID != inv {
			t.Errorf("ListSurveyAnswersForSurvey = %+v", as)
		}

		// Reminders: due by the last message, open surveys, unfinished.
		due := func(now, before int) []store.SurveyReminderDue {
			return get[[]store.SurveyReminderDue](t)(s.ListSurveyRemindersDue(ctx, store.ListSurveyRemindersDueParams{Now: at(now), MaxReminders: 2, DueBefore: at(before), PageLimit: 10}))
		}
		if d := due(10, 4); len(d) != 0 {
			t.Errorf("due before the invitations were sent: %+v", d)
		}
		if d := due(10, 5); len(d) != 2 || d[0].ID != inv || d[0].RegistryName != "Registry rett" || d[0].Title != "Sleep 2" || d[0].Email != "jo@example.org" || d[1].MayContact {
			t.Errorf("ListSurveyRemindersDue = %+v", d)
		}
		check(t, s.MarkSurveyReminded(ctx, store.MarkSurveyRemindedParams{RemindedAt: ptr(at(10)), ID: inv}))
		if d := due(11, 9); len(d) != 1 || d[0].ID != inv2 {
			t.Errorf("after a reminder, due = %+v", d)
		}
		n, err = s.CompleteSurveyInvitation(ctx, store.CompleteSurveyInvitationParams{CompletedAt: ptr(at(12)), ID: inv})
		wantRows(t, "CompleteSurveyInvitation", n, err, 1)
		n, err = s.CompleteSurveyInvitation(ctx, store.CompleteSurveyInvitationParams{CompletedAt: ptr(at(13)), ID: inv})
		wantRows(t, "CompleteSurveyInvitation again", n, err, 0)
		if i := get[store.SurveyInvitation](t)(s.GetSurveyInvitation(ctx, inv)); !i.StartedAt.Equal(at(6)) || !i.CompletedAt.Equal(at(12)) || i.Reminders != 1 || !i.LastRemindedAt.Equal(at(10)) {
			t.Errorf("GetSurveyInvitation = %+v", i)
		}
		if d := due(20, 19); len(d) != 1 || d[0].ID != inv2 {
			t.Errorf("finished invitations are still due: %+v", d)
		}
		if c := get[store.SurveyResponseCounts](t)(s.CountSurveyResponses(ctx, sid)); c != (store.SurveyResponseCounts{Invited: 2, Started: 1, Completed: 1}) {
			t.Errorf("CountSurveyResponses = %+v", c)
		}
		if l := get[[]store.SurveyInvitationRow](t)(s.ListSurveyInvitations(ctx, sid)); len(l) != 2 || l[0].FirstName != "jo" || l[0].CompletedAt == nil {
			t.Errorf("ListSurveyInvitations = %+v", l)
		}
		if o := get[[]store.OpenSurvey](t)(s.ListOpenSurveysForContact(ctx, store.ListOpenSurveysForContactParams{ContactID: kim, Now: at(20)})); len(o) != 1 || o[0].InvitationID != inv2 || o[0].Title != "Sleep 2" {
			t.Errorf("ListOpenSurveysForContact = %+v", o)
		}
		if o := get[[]store.OpenSurvey](t)(s.ListOpenSurveysForContact(ctx, store.ListOpenSurveysForContactParams{ContactID: jo, Now: at(20)})); len(o) != 0 {
			t.Errorf("a finished survey is open: %+v", o)
		}
		n, err = s.CloseSurvey(ctx, store.CloseSurveyParams{ClosedAt: ptr(at(21)), ID: sid})
		wantRows(t, "CloseSurvey", n, err, 1)
		n, err = s.CloseSurvey(ctx, store.CloseSurveyParams{ClosedAt: ptr(at(22)), ID: sid})
		wantRows(t, "CloseSurvey again", n, err, 0)
		if d := due(22, 21); len(d) != 0 {
			t.Errorf("a closed survey's invitations are due: %+v", d)
		}
		if o := get[[]store.OpenSurvey](t)(s.ListOpenSurveysForContact(ctx, store.ListOpenSurveysForContactParams{ContactID: kim, Now: at(22)})); len(o) != 0 {
			t.Errorf("a closed survey is open: %+v", o)
		}
	})
}
