package store

// BulkKPIResult is one element of UpsertKPIResults' JSON. S holds the 21
// stored measures in the spec's order (nil: not scored). ComputedAt is
// written in the form both engines read back (BulkTimeFormat).
type BulkKPIResult struct {
	ChildID      int64      `json:"child_id"`
	RulesVersion string     `json:"rules_version"`
	DataVersion  int64      `json:"data_version"`
	ComputedAt   string     `json:"computed_at"`
	S            [21]*int64 `json:"s"`
	Complete     bool       `json:"complete"`    // the audit's completeness (kpi_results.audit_complete)
	ValidUntil   *string    `json:"valid_until"` // kpi_results.valid_until, "2006-01-02"
}

// BulkTimeFormat is how a time goes into UpsertKPIResults: the SQLite
// driver's own format, which PostgreSQL reads too.
const BulkTimeFormat = "2006-01-02 15:04:05.999999999-07:00"
