//go:build !race

package mime

// raceEnabled: the race detector instruments the code, and its own
// allocations count in testing.AllocsPerRun.
const raceEnabled = false
