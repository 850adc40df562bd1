-- +goose Up
-- A soft-deleted child waiting to be purged, with its lead organisation and
-- who deleted it (the last to change it): the one definition behind
-- GetDeletedChild and ListDeletedChildren (store.DeletedChild).
CREATE VIEW deleted_children AS
SELECT c.id, c.audit_id, coalesce(c.nhs_number, '') AS nhs_number,
    coalesce(c.unique_reference_number, '') AS unique_reference_number,
    coalesce(c.first_name, '') AS first_name, coalesce(c.surname, '') AS surname, c.date_of_birth,
    c.lead_organisation_id, o.ods_code AS organisation_ods, o.name AS organisation_name,
    c.deleted_at, CAST(coalesce(u.first_name || ' ' || u.surname, '') AS TEXT) AS deleted_by_name
FROM children c
JOIN organisations o ON o.id = c.lead_organisation_id
LEFT JOIN users u ON u.id = c.updated_by
WHERE c.deleted_at IS NOT NULL;

-- +goose Down
DROP VIEW deleted_children;
