package main

import (
	"os"
	"testing"
)

// TestMain lets the test binary stand in for the harness's binary when a
// test runs a library scenario: the harness re-executes os.Executable(),
// which in a test is this binary.
func TestMain(m *testing.M) {
	if len(os.Args) == 3 && os.Args[1] == childArg {
		os.Exit(runChild(os.Args[2]))
	}
	os.Exit(m.Run())
}
