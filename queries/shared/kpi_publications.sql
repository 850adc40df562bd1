-- Publishing (schema 00012, docs/publishing.md): a publication copies a
-- cohort's aggregation run, set-based, in the transaction that records it;
-- the public pages read the latest publication of each cohort.

-- name: InsertKPIPublication :one
INSERT INTO kpi_publications (cohort, run_id, as_of, computed_at, children, published_at, published_by)
VALUES (@cohort, @run_id, @as_of, @computed_at, @children, @published_at, @published_by)
RETURNING id;

-- name: CopyKPIPublicationEntities :execrows
INSERT INTO kpi_publication_entities (publication_id, level, entity, name, registered, complete, counted)
SELECT CAST(@publication_id AS BIGINT), e.level, e.entity, e.name, e.registered, e.complete, e.counted
FROM kpi_aggregate_entities e
WHERE e.run_id = @run_id;

-- name: CopyKPIPublicationResults :execrows
INSERT INTO kpi_publication_results (publication_id, level, entity, measure, passed, total_eligible, ineligible, incomplete)
SELECT CAST(@publication_id AS BIGINT), r.level, r.entity, r.measure, r.passed, r.total_eligible, r.ineligible, r.incomplete
FROM kpi_aggregate_results r
WHERE r.run_id = @run_id;

-- ListKPIPublications: a cohort's publications, newest first, with who
-- published each ('' once their account is gone).

-- KPIPublication is one published snapshot of a cohort: the run it copied
-- (RunID, AsOf, ComputedAt, Children counted nationally), when and by whom
-- (PublishedByName is empty once the account is deleted).

-- name: ListKPIPublications :many
SELECT p.id, p.cohort, p.run_id, p.as_of, p.computed_at, p.children, p.published_at, p.published_by,
    CAST(coalesce(u.first_name || ' ' || u.surname, '') AS TEXT) AS published_by_name
FROM kpi_publications p
LEFT JOIN users u ON u.id = p.published_by
WHERE p.cohort = @cohort
ORDER BY p.id DESC
LIMIT @max_rows;

-- ListLatestKPIPublications: the latest publication of every cohort that
-- has one, latest cohort first: what the public pages show.

-- name: ListLatestKPIPublications :many
SELECT p.id, p.cohort, p.run_id, p.as_of, p.computed_at, p.children, p.published_at, p.published_by,
    CAST(coalesce(u.first_name || ' ' || u.surname, '') AS TEXT) AS published_by_name
FROM kpi_publications p
LEFT JOIN users u ON u.id = p.published_by
WHERE p.id = (SELECT max(q.id) FROM kpi_publications q WHERE q.cohort = p.cohort)
ORDER BY p.cohort DESC;

-- ListPublishedOrganisations: the organisations in the latest publication
-- of any cohort, by name.

-- PublishedOrganisation is an organisation in a cohort's latest publication.

-- name: ListPublishedOrganisations :many
SELECT DISTINCT e.entity AS ods_code, e.name
FROM kpi_publication_entities e
WHERE e.level = 'organisation'
  AND e.publication_id IN (SELECT max(q.id) FROM kpi_publications q GROUP BY q.cohort)
ORDER BY e.name, e.entity;

-- ListKPIPublishedForOrganisation: a publication's figures for every
-- entity an organisation belongs to (one per level that applies), every
-- measure; the rows ListKPIAggregatesForOrganisation reads of a run.

-- name: ListKPIPublishedForOrganisation :many
SELECT e.level, e.entity, e.name, e.registered, e.complete, e.counted,
    r.measure, r.passed, r.total_eligible, r.ineligible, r.incomplete
FROM organisation_levels l
JOIN kpi_publication_entities e ON e.publication_id = @publication_id AND e.level = l.level AND e.entity = l.entity
JOIN kpi_publication_results r ON r.publication_id = e.publication_id AND r.level = e.level AND r.entity = e.entity
JOIN kpi_measures m ON m.code = r.measure
WHERE l.organisation_id = @organisation_id
ORDER BY e.level, m.position;

-- ListKPIAggregatesOfLevel: every entity of a level in a run, every
-- measure, by entity name then the measures' order: the KPI download.

-- name: ListKPIAggregatesOfLevel :many
SELECT e.level, e.entity, e.name, e.registered, e.complete, e.counted,
    r.measure, r.passed, r.total_eligible, r.ineligible, r.incomplete
FROM kpi_aggregate_entities e
JOIN kpi_aggregate_results r ON r.run_id = e.run_id AND r.level = e.level AND r.entity = e.entity
JOIN kpi_measures m ON m.code = r.measure
WHERE e.run_id = @run_id AND e.level = @level
ORDER BY e.name, e.entity, m.position;
