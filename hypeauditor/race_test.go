//go:build race

package hypeauditor_test

// raceEnabled is true under the race detector, which slows the tests that
// decode thousands of bodies tenfold.
const raceEnabled = true
