//go:build !race

package decoders

// raceEnabled: see race_on_test.go.
const raceEnabled = false
