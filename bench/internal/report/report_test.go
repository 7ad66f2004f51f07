package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/datasync-go/datasync/bench/internal/proc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMedian(t *testing.T) {
	assert.Zero(t, Median(nil))
	assert.Equal(t, 5.0, Median([]float64{5}))
	assert.Equal(t, 2.0, Median([]float64{3, 1, 2}))
	assert.Equal(t, 2.5, Median([]float64{4, 1, 3, 2}))
	xs := []float64{3, 1, 2}
	Median(xs)
	assert.Equal(t, []float64{3, 1, 2}, xs, "the input is not sorted in place")
}

func TestTableAligns(t *testing.T) {
	tab := Table{
		Columns: []Column{{Title: "name"}, {Title: "n", Align: Right}, {Title: "note"}},
		Rows: [][]string{
			{"café", "1", ""},
			{"a", "1,000", "x"},
		},
	}
	var b bytes.Buffer
	require.NoError(t, tab.Render(&b))
	want := "" +
		"name      n  note\n" +
		"----  -----  ----\n" +
		"café      1\n" + // runes, not bytes, are counted; no trailing spaces
		"a     1,000  x\n"
	assert.Equal(t, want, b.String())
}

func run(index int, ok bool, elapsed time.Duration, peaks ...int64) Run {
	r := Run{Index: index, OK: ok}
	if ok {
		r.Elapsed = elapsed
	} else {
		r.Failure = "check failed: 9 rows, want 10"
	}
	for i, p := range peaks {
		r.Processes = append(r.Processes, proc.Usage{Name: []string{"a", "b"}[i], PeakRSS: p, PeakSource: proc.PeakGNUTime})
	}
	return r
}

func TestSummarize(t *testing.T) {
	rows := []Row{
		{Scenario: "x", Runner: "datasync", Parallelism: 1, Runs: []Run{run(1, true, 2*time.Second, 30), run(2, true, 1*time.Second, 50), run(3, true, 4*time.Second, 40)}},
		{Scenario: "x", Runner: "tool a", Native: true, Runs: []Run{run(1, true, 4*time.Second, 10, 20), run(2, false, 0, 99, 99), run(3, true, 4*time.Second, 15, 5)}},
		{Scenario: "x", Runner: "tool b", Native: true, Runs: []Run{run(1, true, 5*time.Second, 1)}},
		{Scenario: "x", Runner: "tool c", Native: true, Status: Unavailable, Reason: "c is not installed"},
		{Scenario: "y", Runner: "datasync", Parallelism: 1, Status: NotWired},
		{Scenario: "y", Runner: "tool d", Native: true, Runs: []Run{run(1, false, 0, 1)}},
		{Scenario: "y", Runner: "tool e", Native: true},
	}
	Summarize(rows, 1000, 200_000)

	lib := rows[0]
	assert.Equal(t, OK, lib.Status)
	assert.Equal(t, 500.0, lib.RowsPerSec, "median of 500, 1000 and 250 rows/s")
	assert.Equal(t, 0.1, lib.MBPerSec, "500 rows/s of 200 bytes")
	assert.Equal(t, int64(50), lib.PeakRSS, "the largest run's peak")
	assert.Equal(t, 2.0, lib.Ratio, "to the fastest native that passed: tool a, 250 rows/s")

	a := rows[1]
	assert.Equal(t, Failed, a.Status)
	assert.Equal(t, 2, a.Passed)
	assert.Equal(t, 1, a.Failed)
	assert.Equal(t, 250.0, a.RowsPerSec, "the failed run is not timed")
	assert.Equal(t, int64(30), a.PeakRSS, "peaks over passing runs, processes summed")
	assert.Equal(t, []int64{15, 20}, []int64{a.ProcessPeaks[0].PeakRSS, a.ProcessPeaks[1].PeakRSS})
	assert.Equal(t, "check failed: 9 rows, want 10", a.Reason)
	assert.Equal(t, 1.0, a.Ratio)

	assert.Equal(t, 0.8, rows[2].Ratio)
	assert.Equal(t, Unavailable, rows[3].Status)
	assert.Zero(t, rows[4].RowsPerSec)
	assert.Equal(t, Failed, rows[5].Status)
	assert.Zero(t, rows[5].RowsPerSec)
	assert.Zero(t, rows[4].Ratio, "no native passed in y: no ratio")
	assert.Equal(t, NotRun, rows[6].Status, "interrupted before its first run")

	table, notes := Tabulate(rows)
	var b bytes.Buffer
	require.NoError(t, table.Render(&b))
	text := b.String()
	assert.Contains(t, text, "FAILED 1 of 3 [1]")
	assert.Contains(t, text, "unavailable [2]")
	assert.Contains(t, text, "not wired yet [3]")
	assert.Contains(t, text, "FAILED 1 of 1 [1]", "the same reason is one note")
	assert.Contains(t, text, "not run (interrupted)")
	assert.Equal(t, []string{"check failed: 9 rows, want 10", "c is not installed", ""}, notes)
	assert.Contains(t, text, "a 15 B + b 20 B")
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		assert.Equal(t, strings.TrimRight(line, " "), line)
	}
	// A native row shows "-" for parallelism; a failed row shows no rate.
	assert.Regexp(t, `tool a\s+-\s+250\s+0\.1\s+1\.00x`, text)
	assert.Regexp(t, `y\s+tool d\s+-\s+-\s+-\s+-\s+-`, text)
}

func TestPeakMarks(t *testing.T) {
	assert.Equal(t, "1.5 MB", formatPeak(proc.Usage{PeakRSS: 1_500_000, PeakSource: proc.PeakGNUTime}))
	assert.Equal(t, "~1.5 MB", formatPeak(proc.Usage{PeakRSS: 1_500_000, PeakSource: proc.PeakSampled}))
	assert.Equal(t, "≤1.5 MB", formatPeak(proc.Usage{PeakRSS: 1_500_000, PeakSource: proc.PeakBound}))
}

func TestWriteJSONRoundTrips(t *testing.T) {
	r := Report{Runs: 1, Results: []Row{{Scenario: "pg->pg", Runner: "datasync", Parallelism: 4, Status: OK, Runs: []Run{run(1, true, time.Second, 7)}}}}
	var b bytes.Buffer
	require.NoError(t, WriteJSON(&b, r))
	assert.Contains(t, b.String(), `"scenario": "pg->pg"`)
	var back Report
	require.NoError(t, json.Unmarshal(b.Bytes(), &back))
	assert.Equal(t, r.Results, back.Results)
}

// cpuRun is a passing run whose processes used the given CPU times, user
// and system alternately (a, b: user; then system).
func cpuRun(index int, cpus ...time.Duration) Run {
	r := Run{Index: index, OK: true, Elapsed: time.Second}
	for i, c := range cpus {
		u := proc.Usage{Name: []string{"a", "b"}[i], PeakRSS: 1, PeakSource: proc.PeakGNUTime}
		if i%2 == 0 {
			u.UserCPU = c
		} else {
			u.UserCPU, u.SysCPU = c/2, c-c/2
		}
		r.Processes = append(r.Processes, u)
	}
	return r
}

func TestSummarizeCPU(t *testing.T) {
	lib := Row{Scenario: "x", Runner: "datasync", Parallelism: 1, Runs: []Run{
		cpuRun(1, 2*time.Second), cpuRun(2, 1*time.Second), cpuRun(3, 3*time.Second),
		{Index: 4, OK: false, Failure: "boom", Processes: []proc.Usage{{Name: "a", UserCPU: time.Hour}}},
	}}
	lib.Runs[0].LibraryCPU = 1500 * time.Millisecond
	lib.Runs[1].LibraryCPU = 500 * time.Millisecond
	lib.Runs[2].LibraryCPU = 2500 * time.Millisecond
	pipe := Row{Scenario: "x", Runner: "a | b", Native: true, Runs: []Run{
		cpuRun(1, 1*time.Second, 4*time.Second), cpuRun(2, 3*time.Second, 2*time.Second), cpuRun(3, 2*time.Second, 1*time.Second),
	}}
	rows := []Row{lib, pipe}
	Summarize(rows, 500_000, 1)

	assert.InDelta(t, 4.0, rows[0].CPUPerMRows, 1e-9, "median 2 s over half a million rows; the failed run's hour is not counted")
	assert.InDelta(t, 3.0, rows[0].LibraryCPUPerMRows, 1e-9)
	assert.InDelta(t, 10.0, rows[1].CPUPerMRows, 1e-9, "runs' totals 5, 5 and 3 s: median 5 s per half million, user and system summed")
	require.Len(t, rows[1].ProcessCPUPerMRows, 2)
	assert.InDelta(t, 4.0, rows[1].ProcessCPUPerMRows[0], 1e-9)
	assert.InDelta(t, 4.0, rows[1].ProcessCPUPerMRows[1], 1e-9, "b: 4, 2 and 1 s, median 2 s")

	table, _ := Tabulate(rows)
	var b bytes.Buffer
	require.NoError(t, table.Render(&b))
	text := b.String()
	assert.Contains(t, text, "CPU s/M")
	assert.Regexp(t, `datasync\s+1\s+500,000\s+\S+\s+\S+\s+4\.00\s`, text)
	assert.Regexp(t, `a \| b\s+-\s+500,000\s+\S+\s+\S+\s+10\.00\s+a 4\.00 \+ b 4\.00\s`, text)
}
