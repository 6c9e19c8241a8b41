//go:build race

package firstparty_test

// raceEnabled is true under the race detector.
const raceEnabled = true
