package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// RecalculateKPIsArgs rescores every child's KPIs under the current rules
// (after a rule change), recording its progress in the kpi_recalculations
// row it names. A national administrator asks for it.
type RecalculateKPIsArgs struct {
	RecalculationID int64 `json:"recalculation_id"`
}

func (RecalculateKPIsArgs) Kind() string { return "kpi_recalculate" }

// KPIRecalculator runs one recalculation; a retry resumes where the last
// attempt stopped.
type KPIRecalculator interface {
	Recalculate(ctx context.Context, recalculationID int64) error
}

type RecalculateKPIsWorker struct {
	river.WorkerDefaults[RecalculateKPIsArgs]
	Recalculator KPIRecalculator
}

// Timeout: a national rescore takes seconds per hundred thousand children;
// River's default would cut a large one short. Ten minutes, not more: a
// run that died with its process is taken back only after it, and a
// retry resumes where the last attempt stopped.
func (w *RecalculateKPIsWorker) Timeout(*river.Job[RecalculateKPIsArgs]) time.Duration {
	return 10 * time.Minute
}

func (w *RecalculateKPIsWorker) Work(ctx context.Context, job *river.Job[RecalculateKPIsArgs]) error {
	return w.Recalculator.Recalculate(ctx, job.Args.RecalculationID)
}
