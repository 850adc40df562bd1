package children

import (
	"context"
	"errors"
	"fmt"

	"clinaudit/app/apperr"
	"clinaudit/app/progress"
	"clinaudit/app/store"
)

// Submission only when complete (spec §1.6, §5.2, §11.1). Epilepsy12 shows
// its submit button only once all seven forms are complete, but the server
// never checks; here Lock refuses a child whose audit is incomplete, and
// says what is missing. What the audit expects is app/progress over the
// stored answers, which this package cannot read (app/answers imports it):
// Service.Progress computes it, in the lock's transaction.

// ProgressFunc is the audit progress of child c as stored in q.
type ProgressFunc func(ctx context.Context, q store.Queries, c store.Child) (progress.Summary, error)

// ErrIncomplete refuses to lock a child whose audit is incomplete (409).
var ErrIncomplete = conflict("This child's audit is not complete, so their record cannot be locked. Answer the questions still missing, then lock it.")

// IncompleteError is ErrIncomplete with the audit's progress: Missing lists
// every expected answer not given, for the page to link to its question.
// Lock returns it inside an apperr.Conflict whose message is its Error().
type IncompleteError struct{ Progress progress.Summary }

func (e *IncompleteError) Error() string {
	return fmt.Sprintf("%s %d of %d sections are complete.", ErrIncomplete.Error(), e.Progress.CompletedForms, e.Progress.TotalForms)
}

func (e *IncompleteError) Is(target error) bool { return target == ErrIncomplete }

// Missing is every expected answer not given, form by form.
func (e *IncompleteError) Missing() []progress.Gap {
	var out []progress.Gap
	for _, f := range e.Progress.Forms {
		out = append(out, f.Missing...)
	}
	return out
}

// checkComplete refuses an incomplete audit. Without a Progress function
// it refuses every lock: it cannot tell, and a record locked incomplete is
// what this check is for.
func (s *Service) checkComplete(ctx context.Context, q store.Queries, c store.Child) error {
	if s.Progress == nil {
		return errors.New("children: locking needs Service.Progress to check the audit is complete")
	}
	p, err := s.Progress(ctx, q, c)
	if err != nil {
		return err
	}
	if !p.Complete {
		inc := &IncompleteError{Progress: p}
		return &apperr.Error{Code: apperr.Conflict, Message: inc.Error(), Err: inc}
	}
	return nil
}
