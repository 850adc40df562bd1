// Package data holds the reference data files, embedded. It is its own
// package so that plain-Go packages (the forms' choice lists) can read them
// without importing the loader and the store behind it.
package data

import "embed"

// Files are the CSV files of this directory, at their bare names
// ("choice_lists.csv").
//
//go:embed *.csv
var Files embed.FS
