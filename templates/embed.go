// Package templates embeds the HTML templates. Fiber's html engine parses
// them all into one namespace, so names are paths ("pages/home") and pages
// take their title from data (.Title) instead of defining blocks that would
// collide.
//
// Pages share one partial per convention: a paged, sortable list has
// partials/sort_headers and partials/paging (data: web's listNav); a form
// shows its errors with partials/error_summary at the top and, next to each
// field, partials/field_error, or partials/text_field and
// partials/date_input, which include it (data: web's fieldErrs); a change
// done is confirmed by partials/success_banner.
package templates

import "embed"

//go:embed layouts pages partials
var FS embed.FS
