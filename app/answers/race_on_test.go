//go:build race

package answers_test

// raceDetector: the race detector makes the consistency test several times
// slower (SQLite most), so it churns fewer children for less time.
const raceDetector = true
