// Package archdoc holds the test that keeps docs/architecture.md's package
// table true: every Go package of the module is described there, and every
// package the table names exists. A package added, moved or deleted
// without its row fails the build's tests instead of letting the page
// drift.
package archdoc
