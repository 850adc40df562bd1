-- +goose Up
-- What the extraction job read in a genetic report (docs/files.md): a gene
-- and variant proposed for a person to confirm (it becomes a registry
-- finding) or reject. Nothing reaches the record unconfirmed.
CREATE TABLE file_proposals (
    id             INTEGER PRIMARY KEY,
    file_id        INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    gene           TEXT NOT NULL,            -- '' when the report names none
    variant        TEXT NOT NULL,            -- HGVS, c. or p.
    transcript     TEXT NOT NULL DEFAULT '', -- NM_004992.4
    protein        TEXT NOT NULL DEFAULT '', -- p.(Thr158Met)
    classification TEXT NOT NULL DEFAULT '', -- a code: pathogenic, uncertain...
    evidence       TEXT NOT NULL DEFAULT '', -- the report's line it was read from
    status         TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'confirmed', 'rejected')),
    decided_at     TIMESTAMP,
    decided_by     INTEGER REFERENCES users (id),
    finding_id     INTEGER -- the registry finding a confirmation made
);
CREATE INDEX file_proposals_file_idx ON file_proposals (file_id, id);

-- +goose Down
DROP TABLE file_proposals;
