package web

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/gofiber/fiber/v2"
)

// A family verifies a mobile number from its details page; its next
// sign-in texts a code, which it types to get in.
func TestFamilySMSPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		familyFixture(t, s, "sarah@example.org", "Amy")
		b := newBrowser(t, app)
		familySignIn(t, s, a, b, "sarah@example.org")
		if p := b.get("/family/profile"); p.doc.Find("#manage-sms").Length() != 0 {
			t.Error("SMS codes offered without an SMS provider")
		}
		a.Config.SMS = true
		p := b.get("/family/profile")
		href := p.doc.Find("#manage-sms").AttrOr("href", "")
		if href == "" {
			t.Fatal("no SMS link on the details page")
		}
		if p = b.get(href); p.doc.Find("#sms_phone").Length() != 1 {
			t.Fatalf("SMS set-up page: %d", p.status)
		}
		p = b.post("/family/two-factor/sms", url.Values{"action": {"start"}, "sms_phone": {"12"}})
		if p.status != 422 || !strings.Contains(p.doc.Find(".nhsuk-error-summary").Text(), "Enter a mobile number") {
			t.Errorf("a bad number: %d", p.status)
		}
		p = b.post("/family/two-factor/sms", url.Values{"action": {"start"}, "sms_phone": {"07700 900123"}})
		if p.status != 200 || !strings.Contains(p.doc.Find("label[for=sms_code]").Text(), "+44*******123") {
			t.Fatalf("number sent: %d", p.status)
		}
		code, _ := textedCode(t, s, "+447700900123")
		p = b.post("/family/two-factor/sms", url.Values{"action": {"confirm"}, "sms_code": {"99999"}})
		if p.status != 422 {
			t.Errorf("a wrong code: %d", p.status)
		}
		p = b.post("/family/two-factor/sms", url.Values{"action": {"confirm"}, "sms_code": {code}})
		if p.status != 200 || !strings.Contains(p.doc.Find("#sms-verified").Text(), "+44*******123") || strings.Contains(p.body, "7700900123") {
			t.Fatalf("verified: %d %q", p.status, p.doc.Find("main").Text())
		}

		// The next sign-in texts a code.
		b2 := newBrowser(t, app)
		b2.get("/family/sign-in")
		b2.post("/family/sign-in", url.Values{"email": {"sarah@example.org"}})
		if err := a.SendFamilySignIn(context.Background(), registrySlug(), "sarah@example.org"); err != nil {
			t.Fatal(err)
		}
		m := familyLinkRE.FindStringSubmatch(lastEmail(t, s, "sarah@example.org"))
		b2.get("/family/sign-in/link/" + m[1])
		p = b2.post("/family/sign-in/link/"+m[1], nil)
		if p.status != fiber.StatusSeeOther || p.header.Get("Location") != "/family/two-factor?sms=sent" {
			t.Fatalf("following the link = %d %q", p.status, p.header.Get("Location"))
		}
		if p = b2.get("/family"); p.status != fiber.StatusSeeOther {
			t.Errorf("the private area before the code: %d", p.status)
		}
		p = b2.get("/family/two-factor?sms=sent")
		if !strings.Contains(p.doc.Find("h1").Text(), "texted") || !strings.Contains(p.doc.Find("label[for=code]").Text(), "+44*******123") {
			t.Errorf("code page: %q", p.doc.Find("main").Text())
		}
		code, _ = textedCode(t, s, "+447700900123")
		if p = b2.post("/family/two-factor", url.Values{"method": {"sms"}, "code": {"000000x"}}); p.status != fiber.StatusUnauthorized {
			t.Errorf("a wrong code: %d", p.status)
		}
		p = b2.post("/family/two-factor", url.Values{"method": {"sms"}, "code": {code}})
		if p.status != fiber.StatusSeeOther || p.header.Get("Location") != "/family" {
			t.Fatalf("the texted code: %d %q", p.status, p.header.Get("Location"))
		}
		if p = b2.get("/family"); p.status != 200 {
			t.Errorf("signed in with SMS: %d", p.status)
		}
	})
}
