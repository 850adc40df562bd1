//go:build !race

package answers_test

const raceDetector = false
