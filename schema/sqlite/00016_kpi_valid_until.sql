-- +goose Up
-- The first date on which a child's stored KPI result could change with no
-- write to the child: a girl's 12th birthday (her valproate questions become
-- due), the end of her first year of care, her cohort's submission deadline
-- (app/validity). The daily reconciliation job rescores children whose date
-- has come, as it does those whose result is missing or of an older version
-- of the child or of the rules (docs/kpi.md). NULL: no such date ahead.
ALTER TABLE kpi_results ADD COLUMN valid_until date;
CREATE INDEX kpi_results_valid_until ON kpi_results (valid_until);
-- Results stored before this column existed are rechecked once, by the
-- first reconciliation.
UPDATE kpi_results SET valid_until = '2000-01-01';

-- +goose Down
DROP INDEX kpi_results_valid_until;
ALTER TABLE kpi_results DROP COLUMN valid_until;
