package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
)

// startProfile starts the CPU profile of a library run when p.Profile names
// a directory, and returns what stops it and writes the allocation profile
// beside it: <scenario>-p<parallelism>-run<n>.cpu.pprof and .allocs.pprof,
// the scenario's "->" written "-to-" (read them with go tool pprof).
func startProfile(p Params) (stop func() error, err error) {
	if p.Profile == "" {
		return func() error { return nil }, nil
	}
	if err := os.MkdirAll(p.Profile, 0o755); err != nil {
		return nil, fmt.Errorf("-profile: %w", err)
	}
	base := filepath.Join(p.Profile, fmt.Sprintf("%s-p%d-run%d", strings.ReplaceAll(p.Scenario, "->", "-to-"), p.Parallelism, p.Run))
	cpu, err := os.Create(base + ".cpu.pprof")
	if err != nil {
		return nil, fmt.Errorf("-profile: %w", err)
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		cpu.Close()
		return nil, fmt.Errorf("-profile: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		if err := cpu.Close(); err != nil {
			return fmt.Errorf("-profile: %w", err)
		}
		allocs, err := os.Create(base + ".allocs.pprof")
		if err != nil {
			return fmt.Errorf("-profile: %w", err)
		}
		runtime.GC() // the profile's in-use figures as of the end of the run
		if err := pprof.Lookup("allocs").WriteTo(allocs, 0); err != nil {
			allocs.Close()
			return fmt.Errorf("-profile: %w", err)
		}
		return allocs.Close()
	}, nil
}
