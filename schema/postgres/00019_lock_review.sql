-- +goose Up
-- Records locked before locking required a complete audit (issue 13) are
-- reviewed once by the children_lock_review job: each whose audit is
-- incomplete is unlocked, with a trail entry saying why (docs/forms.md).
-- Completeness is computed from the answers in Go, not read from
-- kpi_results, which may be stale. Rows leave as the job reviews them.
CREATE TABLE children_lock_review (
    child_id BIGINT PRIMARY KEY REFERENCES children (id) ON DELETE CASCADE
);
INSERT INTO children_lock_review (child_id) SELECT id FROM children WHERE locked_at IS NOT NULL;

-- +goose Down
DROP TABLE children_lock_review;
