-- +goose Up
-- An organisation with the names of the bodies it belongs to, '' where it
-- has no such body: the one definition behind GetOrganisation,
-- GetOrganisationByODS and ListOrganisations (store.Organisation).
CREATE VIEW organisation_details AS
SELECT o.id, o.ods_code, o.name, o.city, o.postcode, o.country_code,
    o.trust_ods_code, coalesce(t.name, '') AS trust_name,
    o.local_health_board_ods_code, coalesce(h.name, '') AS health_board_name,
    o.icb_ods_code, coalesce(i.name, '') AS icb_name,
    o.nhs_england_region_code, coalesce(r.name, '') AS region_name,
    o.openuk_network_code, coalesce(n.name, '') AS network_name,
    c.name AS country_name
FROM organisations o
LEFT JOIN trusts t ON t.ods_code = o.trust_ods_code
LEFT JOIN local_health_boards h ON h.ods_code = o.local_health_board_ods_code
LEFT JOIN integrated_care_boards i ON i.ods_code = o.icb_ods_code
LEFT JOIN nhs_england_regions r ON r.code = o.nhs_england_region_code
LEFT JOIN open_uk_networks n ON n.code = o.openuk_network_code
JOIN countries c ON c.code = o.country_code;

-- +goose Down
DROP VIEW organisation_details;
