package web

import (
	"errors"
	"fmt"

	"clinaudit/app/answers"
	"clinaudit/app/jobargs"
	"clinaudit/app/kpi"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// KPI recalculation: a national administrator rescores every child after a
// rule change. The work is a River job (package answers does it); this
// page asks for one and shows each run's progress, refreshing itself while
// one is running.

type recalcView struct {
	ID                           int64
	RequestedBy, RequestedAt     string
	Rules                        string
	Done, Total, Percent         int64
	Status, Tag, Error, Finished string
	Running                      bool
}

type recalcPage struct {
	page
	Rules   string
	Runs    []recalcView
	Running bool
	// Stale is how many children's stored results are out of date today
	// (answers.CountStale, at most answers.StaleShownMax+1); Checking says
	// a reconciliation is waiting or running.
	Stale    int
	Checking bool
}

func (s *server) recalcRuns(c *fiber.Ctx) ([]recalcView, bool, error) {
	rows, err := s.Store.ListKPIRecalculations(c.UserContext(), 20)
	if err != nil {
		return nil, false, err
	}
	var out []recalcView
	anyRunning := false
	for _, r := range rows {
		v := recalcView{ID: r.ID, RequestedBy: r.RequestedByName, RequestedAt: r.RequestedAt.In(londonTime).Format("2 Jan 2006 15:04"),
			Rules: r.RulesVersion, Done: r.Done, Total: r.Total, Error: r.Error}
		if r.Total > 0 {
			v.Percent = r.Done * 100 / r.Total
		}
		switch {
		case r.FinishedAt != nil:
			v.Status, v.Tag, v.Percent = "Finished", "nhsuk-tag--green", 100
			v.Finished = r.FinishedAt.In(londonTime).Format("2 Jan 2006 15:04:05")
		case r.Error != "":
			v.Status, v.Tag, v.Running = "Retrying after an error", "nhsuk-tag--red", true
		case r.StartedAt == nil:
			v.Status, v.Tag, v.Running = "Waiting to start", "nhsuk-tag--grey", true
		default:
			v.Status, v.Tag, v.Running = "Running", "nhsuk-tag--blue", true
		}
		anyRunning = anyRunning || v.Running
		out = append(out, v)
	}
	return out, anyRunning, nil
}

func (s *server) handleRecalcList(c *fiber.Ctx) error {
	runs, running, err := s.recalcRuns(c)
	if err != nil {
		return err
	}
	stale, err := s.answers().CountStale(c.UserContext(), answers.StaleShownMax+1)
	if err != nil {
		return err
	}
	checking, err := s.jobWaiting(c, jobargs.ReconcileKPIsArgs{}.Kind())
	if err != nil {
		return err
	}
	p := recalcPage{page: s.page(c, "KPI recalculation", "recalc"), Rules: kpi.RulesVersion, Runs: runs, Running: running,
		Stale: stale, Checking: checking}
	if c.Get("HX-Request") == "true" {
		return renderPartial(c, "partials/kpi_recalc_runs", p)
	}
	return renderPage(c, "pages/kpi_recalc", p)
}

func (s *server) handleRecalcCreate(c *fiber.Ctx) error {
	me := signedIn(c)
	if _, err := s.answers().RequestRecalculation(c.UserContext(), me.User.ID); err != nil {
		return fmt.Errorf("requesting a KPI recalculation: %w", err)
	}
	return c.Redirect("/admin/kpi-recalculation", fiber.StatusSeeOther)
}

// handleReconcileCreate queues the reconciliation (jobargs.ReconcileKPIsArgs)
// now rather than at its daily time: it rescores the children whose stored
// results are out of date, and only those.
func (s *server) handleReconcileCreate(c *fiber.Ctx) error {
	if err := jobargs.ReconcileNow(c.UserContext(), s.Store); err != nil {
		return fmt.Errorf("queueing a KPI reconciliation: %w", err)
	}
	return c.Redirect("/admin/kpi-recalculation", fiber.StatusSeeOther)
}

// jobWaiting reports whether a job of kind is waiting to run or running.
func (s *server) jobWaiting(c *fiber.Ctx, kind string) (bool, error) {
	res, err := s.Store.ListJobs(c.UserContext(), river.NewJobListParams().Kinds(kind).States(rivertype.JobStateAvailable,
		rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled).First(1))
	if errors.Is(err, store.ErrJobsNotConfigured) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return len(res.Jobs) > 0, nil
}
