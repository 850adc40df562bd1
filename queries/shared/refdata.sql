-- name: GetMeta :one
SELECT value FROM app_meta WHERE key = @key;

-- name: SetMeta :exec
INSERT INTO app_meta (key, value, updated_at) VALUES (@key, @value, @updated_at)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at;

-- name: UpsertCountry :exec
INSERT INTO countries (code, name, welsh_name, takes_part_in_audit)
VALUES (@code, @name, @welsh_name, @takes_part_in_audit)
ON CONFLICT (code) DO UPDATE SET name = excluded.name, welsh_name = excluded.welsh_name,
    takes_part_in_audit = excluded.takes_part_in_audit;

-- name: UpsertRegion :exec
INSERT INTO nhs_england_regions (code, ons_code, name) VALUES (@code, @ons_code, @name)
ON CONFLICT (code) DO UPDATE SET ons_code = excluded.ons_code, name = excluded.name;

-- name: UpsertICB :exec
INSERT INTO integrated_care_boards (ods_code, gss_code, name) VALUES (@ods_code, @gss_code, @name)
ON CONFLICT (ods_code) DO UPDATE SET gss_code = excluded.gss_code, name = excluded.name;

-- name: UpsertHealthBoard :exec
INSERT INTO local_health_boards (ods_code, gss_code, name, welsh_name)
VALUES (@ods_code, @gss_code, @name, @welsh_name)
ON CONFLICT (ods_code) DO UPDATE SET gss_code = excluded.gss_code, name = excluded.name,
    welsh_name = excluded.welsh_name;

-- name: UpsertNetwork :exec
INSERT INTO open_uk_networks (code, name, country) VALUES (@code, @name, @country)
ON CONFLICT (code) DO UPDATE SET name = excluded.name, country = excluded.country;

-- name: UpsertLondonBorough :exec
INSERT INTO london_boroughs (gss_code, name, inner_london) VALUES (@gss_code, @name, @inner_london)
ON CONFLICT (gss_code) DO UPDATE SET name = excluded.name, inner_london = excluded.inner_london;

-- name: UpsertTrust :exec
INSERT INTO trusts (ods_code, name, address_line_1, address_line_2, town, postcode, country)
VALUES (@ods_code, @name, @address_line_1, @address_line_2, @town, @postcode, @country)
ON CONFLICT (ods_code) DO UPDATE SET name = excluded.name, address_line_1 = excluded.address_line_1,
    address_line_2 = excluded.address_line_2, town = excluded.town, postcode = excluded.postcode,
    country = excluded.country;

-- name: UpsertOrganisation :exec
INSERT INTO organisations (ods_code, name, address1, address2, address3, city, county, postcode,
    latitude, longitude, telephone, website, trust_ods_code, local_health_board_ods_code,
    icb_ods_code, nhs_england_region_code, openuk_network_code, country_code,
    london_borough_gss_code, icb_assignment_ambiguous)
VALUES (@ods_code, @name, @address1, @address2, @address3, @city, @county, @postcode,
    @latitude, @longitude, @telephone, @website, @trust_ods_code, @local_health_board_ods_code,
    @icb_ods_code, @nhs_england_region_code, @openuk_network_code, @country_code,
    @london_borough_gss_code, @icb_assignment_ambiguous)
ON CONFLICT (ods_code) DO UPDATE SET name = excluded.name, address1 = excluded.address1,
    address2 = excluded.address2, address3 = excluded.address3, city = excluded.city,
    county = excluded.county, postcode = excluded.postcode, latitude = excluded.latitude,
    longitude = excluded.longitude, telephone = excluded.telephone, website = excluded.website,
    trust_ods_code = excluded.trust_ods_code,
    local_health_board_ods_code = excluded.local_health_board_ods_code,
    icb_ods_code = excluded.icb_ods_code, nhs_england_region_code = excluded.nhs_england_region_code,
    openuk_network_code = excluded.openuk_network_code, country_code = excluded.country_code,
    london_borough_gss_code = excluded.london_borough_gss_code,
    icb_assignment_ambiguous = excluded.icb_assignment_ambiguous;

-- name: UpsertSyndrome :exec
INSERT INTO syndromes (name, excludes_from_mri_kpi) VALUES (@name, @excludes_from_mri_kpi)
ON CONFLICT (name) DO UPDATE SET excludes_from_mri_kpi = excluded.excludes_from_mri_kpi;

-- name: UpsertMedicine :exec
INSERT INTO medicines (name, is_rescue) VALUES (@name, @is_rescue)
ON CONFLICT (name, is_rescue) DO NOTHING;

-- name: UpsertKeyword :exec
INSERT INTO semiology_keywords (keyword, category) VALUES (@keyword, @category)
ON CONFLICT (keyword) DO UPDATE SET category = excluded.category;

-- name: UpsertCauseCategory :exec
INSERT INTO epilepsy_cause_categories (code, label) VALUES (@code, @label)
ON CONFLICT (code) DO UPDATE SET label = excluded.label;

-- ReferenceCounts is how many rows each reference table holds.

-- name: CountReferenceData :one
SELECT
    (SELECT count(*) FROM organisations) AS organisations,
    (SELECT count(*) FROM trusts) AS trusts,
    (SELECT count(*) FROM local_health_boards) AS health_boards,
    (SELECT count(*) FROM integrated_care_boards) AS icbs,
    (SELECT count(*) FROM nhs_england_regions) AS regions,
    (SELECT count(*) FROM open_uk_networks) AS networks,
    (SELECT count(*) FROM countries) AS countries,
    (SELECT count(*) FROM syndromes) AS syndromes,
    (SELECT count(*) FROM medicines) AS medicines;

-- name: GetOrganisationByODS :one
SELECT id, ods_code, name, city, postcode, country_code, trust_ods_code, trust_name,
    local_health_board_ods_code, health_board_name, icb_ods_code, icb_name,
    nhs_england_region_code, region_name, openuk_network_code, network_name, country_name
FROM organisation_details o
WHERE o.ods_code = @ods_code;

-- ListOrganisationsParams filters and pages the organisation directory.
-- Pattern is a lower-case LIKE pattern ("%" matches all); an empty
-- CountryCode matches every country.

-- name: ListOrganisations :many
SELECT id, ods_code, name, city, postcode, country_code, trust_ods_code, trust_name,
    local_health_board_ods_code, health_board_name, icb_ods_code, icb_name,
    nhs_england_region_code, region_name, openuk_network_code, network_name, country_name
FROM organisation_details o
WHERE (lower(o.name) LIKE @pattern OR lower(o.ods_code) LIKE @pattern
       OR lower(CASE WHEN o.trust_ods_code IS NULL THEN o.health_board_name ELSE o.trust_name END) LIKE @pattern)
  AND (o.country_code = @country_code OR @country_code = '')
ORDER BY o.name, o.ods_code
LIMIT @page_limit OFFSET @page_offset;

-- name: CountOrganisations :one
SELECT count(*) FROM organisation_details o
WHERE (lower(o.name) LIKE @pattern OR lower(o.ods_code) LIKE @pattern
       OR lower(CASE WHEN o.trust_ods_code IS NULL THEN o.health_board_name ELSE o.trust_name END) LIKE @pattern)
  AND (o.country_code = @country_code OR @country_code = '');

-- Country is a country of the UK or a Crown dependency.

-- name: ListAuditCountries :many
SELECT code, name, welsh_name, takes_part_in_audit FROM countries
WHERE takes_part_in_audit ORDER BY name;
