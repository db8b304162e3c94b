//go:build race

package decoders

// raceEnabled: the race detector instruments the code, and its own
// allocations count in testing.AllocsPerRun.
const raceEnabled = true
