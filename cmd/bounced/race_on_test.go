//go:build race

package main

// raceEnabled: the race detector slows in-process decoding five to ten
// times; the accuracy tests that decode every corpus copy in-process
// (TestRobust_metamorphic, TestLeaveOneOut) then run in make test's
// second, uninstrumented line instead.
const raceEnabled = true
