package files

import (
	"context"
	"log/slog"
	"time"

	"clinaudit/app/jobargs"
	"clinaudit/app/registry"
	"clinaudit/app/store"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"
)

// PurgeDeleted removes for good the files whose record was deleted more
// than the restore window ago (the registry's and the audit's are both 30
// days): the object first, then the row, so a failure in between leaves
// a row that the next run finishes, never an object nobody can find.
func PurgeDeleted(ctx context.Context, st store.Store, b *blob.Bucket, now time.Time) (int64, error) {
	before := now.UTC().Add(-registry.RestoreWindow)
	var n int64
	for {
		fs, err := st.ListFilesToPurge(ctx, store.ListFilesToPurgeParams{Before: &before, PageLimit: 200})
		if err != nil || len(fs) == 0 {
			return n, err
		}
		for _, f := range fs {
			if err := b.Delete(ctx, f.ObjectName); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
				return n, err
			}
			k, err := st.DeleteFile(ctx, f.ID)
			if err != nil {
				return n, err
			}
			n += k
		}
	}
}

// NewPurgeWorker is the daily files_purge job.
func NewPurgeWorker(s *Service, log *slog.Logger) *jobargs.PurgeWorker[jobargs.PurgeFilesArgs] {
	return &jobargs.PurgeWorker[jobargs.PurgeFilesArgs]{
		Purge: func(ctx context.Context, now time.Time) (int64, error) {
			return PurgeDeleted(ctx, s.Store, s.Bucket, now)
		},
		Limit:   10 * time.Minute,
		Message: "purged deleted files", Key: "files",
		Logger: log,
	}
}

// Rewrap wraps every data key not under the current key again under it
// (after a new key is put first in --files-keys), and returns how many it
// rewrapped. The objects are not touched. Old keys may be removed from
// the configuration once it has run.
func Rewrap(ctx context.Context, st store.Store, k *Keyring) (int, error) {
	var n int
	var after int64
	for {
		fs, err := st.ListFileKeys(ctx, store.ListFileKeysParams{AfterID: after, PageLimit: 500})
		if err != nil || len(fs) == 0 {
			return n, err
		}
		for _, f := range fs {
			after = f.ID
			if f.KeyID == k.Current {
				continue
			}
			w, err := k.Rewrap(f.ObjectName, f.KeyID, f.WrappedKey)
			if err != nil {
				return n, err
			}
			rows, err := st.UpdateFileKey(ctx, store.UpdateFileKeyParams{KeyID: k.Current, WrappedKey: w, ID: f.ID, OldKeyID: f.KeyID})
			if err != nil {
				return n, err
			}
			n += int(rows)
		}
	}
}
