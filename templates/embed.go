// Package templates embeds the HTML templates. Fiber's html engine parses
// them all into one namespace, so names are paths ("pages/home") and pages
// take their title from data (.Title) instead of defining blocks that would
// collide.
package templates

import "embed"

//go:embed layouts pages partials
var FS embed.FS
