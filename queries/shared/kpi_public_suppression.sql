-- The public pages' small-number suppression (docs/publishing.md) looks at
-- a whole publication: whether a figure withheld for one organisation could
-- be worked out from its trust's (or any level's) figure less the other
-- organisations'.

-- ListKPIPublished: every entity of every level in a publication, every
-- measure; the rows ListKPIPublishedForOrganisation reads for one.

-- name: ListKPIPublished :many
SELECT e.level, e.entity, e.name, e.registered, e.complete, e.counted,
    r.measure, r.passed, r.total_eligible, r.ineligible, r.incomplete
FROM kpi_publication_entities e
JOIN kpi_publication_results r ON r.publication_id = e.publication_id AND r.level = e.level AND r.entity = e.entity
JOIN kpi_measures m ON m.code = r.measure
WHERE e.publication_id = @publication_id
ORDER BY e.level, e.entity, m.position;
