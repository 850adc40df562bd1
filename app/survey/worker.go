package survey

import (
	"context"
	"log/slog"
	"time"

	"clinaudit/app/jobargs"

	"github.com/riverqueue/river"
)

// ReminderWorker is the survey_reminders job: Service.SendReminders.
type ReminderWorker struct {
	river.WorkerDefaults[jobargs.SurveyRemindersArgs]
	Service *Service
	Logger  *slog.Logger
}

// Timeout: up to 500 reminders a run, each its own short transaction
// that queues an email, so seconds. Short, because a run whose process died
// is taken back only once it has passed (store.RescueStuckJobsAfter), and
// nothing is lost when one is cut short: the next run sends what is still
// due. (Five minutes left a run killed under load running for longer than
// the fault test's three minutes for the queue to drain.)
func (w *ReminderWorker) Timeout(*river.Job[jobargs.SurveyRemindersArgs]) time.Duration {
	return time.Minute
}

func (w *ReminderWorker) Work(ctx context.Context, _ *river.Job[jobargs.SurveyRemindersArgs]) error {
	n, err := w.Service.SendReminders(ctx)
	if n > 0 && w.Logger != nil {
		w.Logger.Info("survey reminders queued", "count", n)
	}
	return err
}
