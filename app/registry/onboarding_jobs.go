package registry

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"clinaudit/app/jobargs"
	"clinaudit/app/outbox"
	"clinaudit/app/store"

	"github.com/riverqueue/river"
)

// NewOnboardingPurgeWorker is the daily registry_onboarding_purge job
// (PurgeOnboarding).
func NewOnboardingPurgeWorker(st store.Store, log *slog.Logger) *jobargs.PurgeWorker[jobargs.PurgeOnboardingArgs] {
	return &jobargs.PurgeWorker[jobargs.PurgeOnboardingArgs]{Purge: func(ctx context.Context, now time.Time) (int64, error) {
		return PurgeOnboarding(ctx, st, now)
	}, Limit: 10 * time.Minute, Message: "registry onboarding purged", Key: "rows", Logger: log}
}

// ReconsentWorker emails the contacts of every patient who takes part
// under an older consent version, once per contact and patient, all in
// one transaction (a retry after a failure sends nothing twice).
type ReconsentWorker struct {
	river.WorkerDefaults[jobargs.RegistryReconsentArgs]
	Store   store.Store
	BaseURL string
	Now     func() time.Time
}

func (w *ReconsentWorker) Timeout(*river.Job[jobargs.RegistryReconsentArgs]) time.Duration {
	return 10 * time.Minute
}

func (w *ReconsentWorker) Work(ctx context.Context, job *river.Job[jobargs.RegistryReconsentArgs]) error {
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	return w.Store.InTx(ctx, func(tx store.Tx) error {
		reg, err := registryOf(ctx, tx, job.Args.RegistryID)
		if err != nil {
			return err
		}
		rs, err := tx.ListReconsentRecipients(ctx, store.ListReconsentRecipientsParams{RegistryID: reg.ID, Version: job.Args.Version})
		if err != nil {
			return err
		}
		s := &Service{BaseURL: w.BaseURL}
		for _, r := range rs {
			if _, err := outbox.Enqueue(ctx, tx, reconsentEmail(reg, r, s.link(FamilySignInPath)), now().UTC()); err != nil {
				return err
			}
		}
		return nil
	})
}

func reconsentEmail(reg Registry, r store.ReconsentRecipient, signIn string) outbox.Message {
	return outbox.Message{To: r.Email, Subject: "The " + reg.Name + " has updated its consent form", Text: fmt.Sprintf(
		"Dear %s %s,\n\nThe %s has changed the words of its consent form. %s stays in the registry, "+
			"but we would like you to read the new version and tell us again what you agree to.\n\n"+
			"Sign in to the families' area to do so (we will also ask you next time you sign in):\n%s\n\n"+
			"If you no longer want %s to be in the registry, you can withdraw there too, or write to the registry team.\n",
		r.FirstName, r.Surname, reg.Name, r.PatientFirstName, signIn, r.PatientFirstName)}
}
