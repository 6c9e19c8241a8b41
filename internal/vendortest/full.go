package vendortest

import (
	"hash/fnv"
	"os"
)

// FullEnv is the switch that runs the long matrices and sweeps in full.
// CI sets it; a user's go test ./... runs a fixed sample of each (Seeds,
// Sampled), so the suite stays fast where people wait for it and complete
// where a landing is decided.
const FullEnv = "CREATORKIT_FULL_TESTS"

// Full reports whether FullEnv is set to anything but "" or "0".
func Full() bool {
	v := os.Getenv(FullEnv)
	return v != "" && v != "0"
}

// Seeds is the seeds cell number cell of a matrix runs on: all of them
// under Full, else the one at cell modulo their number, so a default run
// still meets every seed, each in other cells, for a fraction of the cost.
// The choice depends only on cell: a failure reproduces run after run.
func Seeds(cell int, seeds ...uint64) []uint64 {
	if Full() || len(seeds) == 0 {
		return seeds
	}
	return seeds[cell%len(seeds) : cell%len(seeds)+1]
}

// Sampled reports whether the case named key runs: always under Full,
// else for one key in oneIn, picked by a hash of the key (stable from run
// to run, spread over the cases whatever their order).
func Sampled(key string, oneIn uint32) bool {
	if Full() || oneIn <= 1 {
		return true
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	return h.Sum32()%oneIn == 0
}
