-- +goose Up
-- Publishing (spec §8.4, docs/publishing.md): a national full-access user
-- publishes a cohort's current KPI aggregation for the public pages. A
-- publication is a snapshot: the figures of the run are copied, so it
-- outlives the run (aggregation runs are deleted as new ones replace them)
-- and later runs never change what was published. Every publication is
-- kept; the public pages show the latest of each cohort.
CREATE TABLE kpi_publications (
    id           INTEGER PRIMARY KEY,
    cohort       INTEGER NOT NULL,
    -- The aggregation run the figures came from, with what the public
    -- page says about it. No foreign key: the run is deleted in time.
    run_id       INTEGER NOT NULL,
    as_of        date NOT NULL,
    computed_at  TIMESTAMP NOT NULL,
    children     INTEGER NOT NULL,
    published_at TIMESTAMP NOT NULL,
    published_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX kpi_publications_cohort_idx ON kpi_publications (cohort, id);

-- The run's entities and counts, copied (kpi_aggregate_entities and
-- kpi_aggregate_results, publication for run).
CREATE TABLE kpi_publication_entities (
    publication_id INTEGER NOT NULL REFERENCES kpi_publications (id) ON DELETE CASCADE,
    level          TEXT NOT NULL,
    entity         TEXT NOT NULL,
    name           TEXT NOT NULL,
    registered     INTEGER NOT NULL,
    complete       INTEGER NOT NULL,
    counted        INTEGER NOT NULL,
    PRIMARY KEY (publication_id, level, entity)
);

CREATE TABLE kpi_publication_results (
    publication_id INTEGER NOT NULL REFERENCES kpi_publications (id) ON DELETE CASCADE,
    level          TEXT NOT NULL,
    entity         TEXT NOT NULL,
    measure        TEXT NOT NULL,
    passed         INTEGER NOT NULL,
    total_eligible INTEGER NOT NULL,
    ineligible     INTEGER NOT NULL,
    incomplete     INTEGER NOT NULL,
    PRIMARY KEY (publication_id, level, entity, measure)
);

-- +goose Down
DROP TABLE kpi_publication_results;
DROP TABLE kpi_publication_entities;
DROP TABLE kpi_publications;
