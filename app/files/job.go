package files

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"clinaudit/app/files/extract"
	"clinaudit/app/jobargs"
	"clinaudit/app/store"

	"github.com/riverqueue/river"
)

// ExtractWorker is the file_extract job: it reads a genetic report's text
// and writes what extract.Find proposes, replacing any proposals not yet
// decided (a retry writes them afresh). A report that cannot be read is
// recorded as such, not retried: it will not parse better next time. A
// panic anywhere in the reading is recovered and recorded the same way,
// so a hostile PDF cannot stop the workers.
type ExtractWorker struct {
	river.WorkerDefaults[jobargs.ExtractFileArgs]
	Files  *Service
	Logger *slog.Logger
}

func (w *ExtractWorker) Timeout(*river.Job[jobargs.ExtractFileArgs]) time.Duration {
	return time.Minute
}

func (w *ExtractWorker) Work(ctx context.Context, j *river.Job[jobargs.ExtractFileArgs]) error {
	s := w.Files
	f, err := s.Store.GetFile(ctx, j.Args.FileID)
	if errors.Is(err, store.ErrNotFound) {
		return nil // purged since
	}
	if err != nil {
		return err
	}
	data, err := s.read(ctx, f.ObjectName, f.KeyID, f.WrappedKey)
	if err != nil {
		return err
	}
	props, status, note := readReport(data, f.ContentType)
	if status == "failed" && w.Logger != nil {
		w.Logger.Warn("file extraction failed", "file_id", f.ID, "reason", note) // no content: just why
	}
	return s.Store.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.DeleteFileProposals(ctx, f.ID); err != nil {
			return err
		}
		for _, p := range props {
			if _, err := tx.InsertFileProposal(ctx, store.InsertFileProposalParams{FileID: f.ID, Gene: p.Gene, Variant: p.Variant,
				Transcript: p.Transcript, Protein: p.Protein, Classification: p.Classification, Evidence: cap500(p.Evidence)}); err != nil {
				return err
			}
		}
		_, err := tx.SetFileExtraction(ctx, store.SetFileExtractionParams{Extraction: status, ExtractionNote: note, ID: f.ID})
		return err
	})
}

// readReport runs the extractor, recovering from any panic.
func readReport(data []byte, contentType string) (props []extract.Proposal, status, note string) {
	defer func() {
		if r := recover(); r != nil {
			props, status, note = nil, "failed", fmt.Sprintf("The report could not be read (%v).", r)
		}
	}()
	text, err := extract.Text(data, contentType)
	switch {
	case errors.Is(err, extract.ErrNoText):
		return nil, "no_text", "No text found: the report may be a scanned image. Add its findings by hand."
	case err != nil:
		return nil, "failed", "The report could not be read: " + err.Error() + ". Add its findings by hand."
	}
	props = extract.Find(text)
	switch len(props) {
	case 0:
		note = "No variants found in the report's text."
	case 1:
		note = "1 variant proposed."
	default:
		note = strconv.Itoa(len(props)) + " variants proposed."
	}
	return props, "done", note
}

func cap500(s string) string {
	if r := []rune(s); len(r) > 500 {
		return string(r[:500])
	}
	return s
}
