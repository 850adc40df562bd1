package api_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/api"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
	"clinaudit/app/survey"
)

const apiSurveyQuestions = `sleep : scale* : How well did your child sleep?
seizures : single* : Any seizures this month? | Yes | No
count : number* : How many? {if seizures = Yes}
seen : date : When were they last seen?
helps : multiple : What helps? | Music | Walks | Baths`

var apiSurveyLink = regexp.MustCompile(`/s/([A-Za-z0-9_-]{20,})`)

// surveyTokens sends a published survey to a family of two contacts and
// returns the survey's id and each contact's link token.
func surveyTokens(t *testing.T, e *env) (int64, *survey.Service, []string) {
	t.Helper()
	w := e.token(access.RegistryManager, api.AccessWrite, api.DomainRegistry)
	var p patient
	e.call("POST", api.Prefix+"/registries/"+e.slug+"/patients", w, ann(1)).json(t, &p)
	emails := []string{"mum@example.org", "dad@example.org"}
	for i, addr := range emails {
		var c contact
		e.call("POST", api.Prefix+"/registries/"+e.slug+"/contacts", w, map[string]any{"first_name": "P", "surname": fmt.Sprint("Parent", i),
			"email": addr, "preferred_channel": "email", "may_contact": true}).json(t, &c)
		if res := e.call("POST", fmt.Sprintf("%s/patients/%d/relationships", api.Prefix, p.ID), w,
			map[string]any{"contact_id": c.ID, "type": "mother"}); res.Status != 201 {
			t.Fatalf("relationship: %d %s", res.Status, res.Body)
		}
	}
	id, svc := sendSurvey(t, e, 2)
	var tokens []string
	for _, addr := range emails {
		tokens = append(tokens, surveyLinkToken(t, e, addr))
	}
	return id, svc, tokens
}

// sendSurvey creates, publishes and sends a survey of apiSurveyQuestions
// to the registry's contacts, as its page does, and checks how many were
// invited.
func sendSurvey(t *testing.T, e *env, invited int) (int64, *survey.Service) {
	t.Helper()
	ctx := context.Background()
	reg, err := e.s.GetRegistryBySlug(ctx, e.slug)
	if err != nil {
		t.Fatal(err)
	}
	svc := &survey.Service{Store: e.s}
	user := e.users[access.RegistryManager]
	id, probs, err := svc.Create(ctx, reg.ID, user, survey.Draft{Title: "Sleep", Questions: apiSurveyQuestions, Closes: time.Now().Add(30 * 24 * time.Hour)})
	if err != nil || len(probs) > 0 {
		t.Fatalf("create: %v %v", probs, err)
	}
	if err := svc.Publish(ctx, id); err != nil {
		t.Fatal(err)
	}
	if rep, err := svc.Send(ctx, id, user, reg.Name, survey.Filter{}); err != nil || rep.Invited != invited {
		t.Fatalf("send: %+v %v, want %d invited", rep, err, invited)
	}
	return id, svc
}

// surveyLinkToken is the token in the newest email's survey link to addr.
func surveyLinkToken(t *testing.T, e *env, addr string) string {
	t.Helper()
	ms, err := e.s.ListEmailsTo(context.Background(), store.ListEmailsToParams{ToAddress: addr, PageLimit: 1})
	if err != nil || len(ms) == 0 {
		t.Fatalf("no invitation to %s (%v)", addr, err)
	}
	m := apiSurveyLink.FindStringSubmatch(ms[0].BodyText)
	if m == nil {
		t.Fatalf("no link in %q", ms[0].BodyText)
	}
	return m[1]
}

type surveyState struct {
	Status   string `json:"status"`
	Answered int    `json:"answered"`
	Total    int    `json:"total"`
}

func TestSurveyResponses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		e := publicEnv(t, s)
		id, svc, tokens := surveyTokens(t, e)
		mum, dad := tokens[0], tokens[1]
		path := api.Prefix + "/survey-responses"
		send := func(token string, finish bool, answers ...map[string]any) answer {
			if answers == nil {
				answers = []map[string]any{}
			}
			return e.call("POST", path, "", map[string]any{"token": token, "answers": answers, "finish": finish})
		}
		saved := func(token string) survey.Answers {
			r, err := svc.ByToken(ctx, token)
			if err != nil {
				t.Fatal(err)
			}
			return r.Answers
		}

		// Refused answers name their question with the survey's message,
		// and nothing is saved.
		res := send(mum, false, map[string]any{"question": "seizures", "value": "No"}, map[string]any{"question": "sleep", "value": "11"},
			map[string]any{"question": "mood", "value": "good"}, map[string]any{"question": "count", "value": "2"},
			map[string]any{"question": "seen", "value": "2030-01-01"})
		if res.Status != 422 {
			t.Fatalf("bad answers: %d %s", res.Status, res.Body)
		}
		p := res.problem(t)
		q := map[string]survey.Question{}
		for _, x := range survey.MustParse(apiSurveyQuestions) {
			q[x.Key] = x
		}
		_, sleepMsg := survey.Normalise(q["sleep"], []string{"11"}, time.Now())
		_, seenMsg := survey.Normalise(q["seen"], []string{"1", "1", "2030"}, time.Now())
		want := map[string]string{"mood": survey.MsgNotInSurvey, "sleep": sleepMsg, "count": "This question is not asked, given the answers before it", "seen": seenMsg}
		got := map[string]string{}
		for _, fe := range p.Errors {
			got[fe.Field] = fe.Message
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || sleepMsg == "" || seenMsg == "" {
			t.Errorf("errors %v, want %v", got, want)
		}
		if a := saved(mum); len(a) != 0 {
			t.Errorf("a refused response saved %v", a)
		}
		if res = send(mum, false, map[string]any{"question": "seen", "value": "1 Jan 2020"}); res.Status != 422 || res.problem(t).Errors[0].Field != "seen" {
			t.Errorf("a date not as YYYY-MM-DD: %d %s", res.Status, res.Body)
		}
		if res = send(mum, false, map[string]any{"question": "sleep", "choices": []string{"3"}}); res.Status != 422 || res.problem(t).Errors[0].Field != "sleep" {
			t.Errorf("choices for a scale: %d %s", res.Status, res.Body)
		}
		if res = send(mum, false, map[string]any{"question": "sleep", "value": "3"}, map[string]any{"question": "sleep", "value": "4"}); res.Status != 422 {
			t.Errorf("a question answered twice: %d", res.Status)
		}

		// Saved as the page saves them; "show if" sees the answers sent.
		res = send(mum, false, map[string]any{"question": "seizures", "value": "Yes"}, map[string]any{"question": "count", "value": "1,000"},
			map[string]any{"question": "seen", "value": "2024-05-01"}, map[string]any{"question": "helps", "choices": []string{"Walks", "Music"}})
		var st surveyState
		if res.json(t, &st); res.Status != 200 || st.Status != "in_progress" || st.Answered != 4 || st.Total != 5 {
			t.Fatalf("saving: %d %s", res.Status, res.Body)
		}
		if a := saved(mum); a["count"] != "1000" || a["seen"] != "2024-05-01" || a["helps"] != "Music\nWalks" {
			t.Errorf("saved %v", a)
		}

		// Finishing with a required question unanswered: 422 naming it; the
		// answers sent stay saved.
		res = send(mum, true, map[string]any{"question": "helps", "choices": []string{"Baths"}})
		if res.Status != 422 {
			t.Fatalf("finishing without sleep: %d %s", res.Status, res.Body)
		}
		if p := res.problem(t); len(p.Errors) != 1 || p.Errors[0].Field != "sleep" || p.Errors[0].Message != survey.MsgMissing {
			t.Errorf("finishing without sleep: %+v", p)
		}
		if a := saved(mum); a["helps"] != "Baths" {
			t.Errorf("the answer sent with a refused finish was not kept: %v", a)
		}
		res = send(mum, true, map[string]any{"question": "sleep", "value": "7"}, map[string]any{"question": "seen", "value": ""})
		if res.json(t, &st); res.Status != 200 || st.Status != "completed" || st.Answered != 4 {
			t.Fatalf("finishing: %d %s", res.Status, res.Body)
		}
		// A finished response takes no more answers.
		if res = send(mum, false, map[string]any{"question": "sleep", "value": "2"}); res.Status != 409 {
			t.Errorf("answering a finished response: %d", res.Status)
		}

		// Unknown links, the contract, a closed survey.
		if res = send("not-a-real-token-at-all-000000", false); res.Status != 404 {
			t.Errorf("an unknown link: %d", res.Status)
		}
		if res = e.call("POST", path, "", map[string]any{"answers": []any{}}); res.Status != 400 {
			t.Errorf("no token: %d", res.Status)
		}
		if res = e.call("POST", path, "", map[string]any{"token": dad, "answers": map[string]any{"sleep": 3}}); res.Status != 400 {
			t.Errorf("answers not a list: %d", res.Status)
		}
		if err := svc.Close(ctx, id); err != nil {
			t.Fatal(err)
		}
		if res = send(dad, false, map[string]any{"question": "sleep", "value": "3"}); res.Status != 410 {
			t.Errorf("a closed survey: %d %s", res.Status, res.Body)
		} else {
			res.problem(t)
		}
	})
}
