//go:build race

package ylytic_test

// raceEnabled is true under the race detector.
const raceEnabled = true
