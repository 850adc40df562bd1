package web

import (
	"errors"
	"net/http"
	"strings"

	"clinaudit/app/aggregate"
	"clinaudit/app/api"
	"clinaudit/app/apperr"
	"clinaudit/app/files"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// Messages for an address or form value that is not what it should be.
// They say what was wrong without repeating what was sent: an error page
// that echoes its input lends the site's name to whatever text a link
// carries (a phishing line, a fake instruction).
const msgBadCohort = "The cohort in the address is not a cohort number, such as 8. Choose a cohort from the list."

// msgBadLevel names the levels there are (the application's words, never
// the request's).
func msgBadLevel() string {
	var names []string
	for _, l := range aggregate.Levels() {
		names = append(names, string(l))
	}
	return "The level in the address is not one of the levels: " + strings.Join(names, ", ") + "."
}

type errorPage struct {
	page
	Status    int
	Heading   string
	Message   string
	Help      string
	RequestID string
}

// statusOf is the one map from an error to its HTTP status and the words
// the user may see ("" for the page's standard words). Domain packages
// return apperr codes; the store's errors and Fiber's own (no such route,
// a body too large) are mapped here too. Anything else is a 500.
func statusOf(err error) (int, string) {
	var ae *apperr.Error
	var fe *fiber.Error
	switch {
	case store.IsUnavailable(err):
		return http.StatusServiceUnavailable, ""
	case errors.As(err, &ae):
		return statusOfCode[ae.Code], ae.Message
	case errors.As(err, &fe):
		return fe.Code, fe.Message
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, ""
	case errors.Is(err, store.ErrJobsNotConfigured):
		return http.StatusServiceUnavailable, "Background jobs are not running on this server."
	}
	return http.StatusInternalServerError, ""
}

var statusOfCode = map[apperr.Code]int{
	apperr.Invalid:       http.StatusBadRequest,
	apperr.Unprocessable: http.StatusUnprocessableEntity,
	apperr.Forbidden:     http.StatusForbidden,
	apperr.NotFound:      http.StatusNotFound,
	apperr.Conflict:      http.StatusConflict,
	apperr.Gone:          http.StatusGone,
	apperr.Unavailable:   http.StatusServiceUnavailable,
	apperr.Internal:      http.StatusInternalServerError,
}

// handleError renders every error the same way: a page for browsers, a short
// fragment with the right status for htmx. It never shows internal details;
// they are in the log under the same request ID.
func (s *server) handleError(c *fiber.Ctx, err error) error {
	status, message := statusOf(err)
	if status == 0 {
		status = http.StatusInternalServerError // a code missing from statusOfCode
	}
	unavailable := store.IsUnavailable(err)
	if unavailable {
		markUnavailable(c, err)
	}
	if requestIDOf(c) == "" {
		// The server refused the request before any middleware ran (a
		// body over the limit): give it what the middleware would have,
		// and the access log's line.
		s.setSecurityHeaders(c)
		setRequestID(c)
		s.log(c).Warn("request refused by the server", "method", c.Method(), "path", loggedPath(c), "status", status, "ip", c.IP())
	}
	if status >= 500 && !unavailable {
		s.log(c).Error("request failed", "err", err)
	}
	if strings.HasPrefix(c.Path(), api.Prefix+"/") {
		// Refused before the API's middleware (a body over the limit):
		// the API's clients read problem details, not pages.
		if status == http.StatusRequestEntityTooLarge {
			message = "The request body is over the server's limit of " + files.Bytes(int64(s.bodyLimit()))
		}
		return api.WriteProblem(c, status, message)
	}
	// A message written for the user by the code that refused: what is
	// not there, why it conflicts. Fiber's own repeat the status's name.
	written := message != "" && message != http.StatusText(status)
	data := errorPage{Status: status, RequestID: requestIDOf(c)}
	switch status {
	case http.StatusNotFound:
		data.Heading = "Page not found"
		data.Message = "If you typed the web address, check it is correct. If you pasted it, check you copied the whole address."
		if written {
			data.Message = message
		}
	case http.StatusForbidden:
		if errors.Is(err, errCSRF) {
			data.Heading = "Your form could not be sent"
			data.Message = "The page you sent it from had expired, or the request did not come from this service. Go back, reload the page, and try again. Nothing was changed."
			break
		}
		data.Heading = "You do not have access to this page"
		data.Message = "Your account does not allow this. Ask your organisation's lead clinician or the national audit team if you need access."
		if written { // a link made for someone else says so (docs/files.md)
			data.Message = message
		}
	default:
		if t, ok := statusTexts[status]; ok {
			data.Heading, data.Message = t.heading, t.message
		} else if status >= 500 {
			data.Heading = "Sorry, there is a problem with the service"
			data.Message = "Nothing you entered was lost by this error page, but the last action may not have been saved. Try again later."
		} else {
			data.Heading = "The request could not be completed"
			data.Message = http.StatusText(status)
			if written {
				data.Message = message
			}
		}
	}
	data.page = s.page(c, data.Heading, "")
	c.Status(status)
	var rerr error
	if isHTMX(c) {
		rerr = renderPartial(c, "partials/error_message", data)
	} else {
		rerr = renderPage(c, "pages/error", data)
	}
	if rerr != nil {
		// The error page itself failed: fall back to plain text.
		s.log(c).Error("render error page", "err", rerr)
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(status).SendString(data.Heading + ". Reference " + data.RequestID)
	}
	return nil
}

func (s *server) notFound(c *fiber.Ctx) error { return apperr.ErrNotFound }

// statusTexts are the error page's fixed heading and message for the
// statuses whose text never depends on who refused.
var statusTexts = map[int]struct{ heading, message string }{
	http.StatusTooManyRequests: {"Too many attempts", "Wait a few minutes, then try again."},
	http.StatusMethodNotAllowed: {"That action is not possible here",
		"The page you came from sent a request this address does not accept."},
	http.StatusRequestEntityTooLarge: {"What you sent is too large", "Send less at once, or split a file into smaller parts."},
	// The autosave shows "Not saved – retry" and retries by itself; this
	// text is what it puts under the question, once.
	http.StatusServiceUnavailable: {"Sorry, the service is unavailable",
		"This was not saved because the database is not answering. It will be tried again in a few seconds; your answer is still on the page."},
}
