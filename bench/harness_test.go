package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/bench/internal/dataset"
	"github.com/datasync-go/datasync/bench/internal/report"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeVariant writes the CSV of the dataset's rows as edit changes them.
func writeVariant(t *testing.T, path string, g *dataset.Generator, edit func([]datasync.Record) []datasync.Record) {
	t.Helper()
	var rows []datasync.Record
	require.NoError(t, g.Each(func(_ int64, r datasync.Record) error {
		rows = append(rows, r.Clone())
		return nil
	}))
	b := dataset.AppendCSVHeader(nil)
	for _, r := range edit(rows) {
		b = dataset.AppendCSV(b, r)
	}
	require.NoError(t, os.WriteFile(path, b, 0o644))
}

// copyTo is a native tool that copies a prepared file into the target.
func copyTo(name, from string) native {
	return native{Name: name, Build: func(e *env) plan {
		return plan{Cmds: []*exec.Cmd{exec.Command("cp", from, filepath.Join(e.csvTargetDir, "bench.csv"))}}
	}}
}

// The harness itself, on a csv -> csv scenario whose "native tools" write
// a correct copy, copies with a missing, a duplicated or a changed row, fail,
// or are not installed: each is reported as it should be, and a failed run
// is not timed. The library row runs memory -> discard in a child process.
func TestHarnessReportsEachOutcome(t *testing.T) {
	dir := t.TempDir()
	cfg, err := parseConfig([]string{"-rows", "300", "-runs", "2", "-dir", dir, "-parallelism", "1,4"}, io.Discard)
	require.NoError(t, err)
	e, err := newEnv(cfg)
	require.NoError(t, err)
	g := dataset.New(dataset.Spec{Rows: cfg.Rows, Seed: cfg.Seed})
	variant := func(name string, edit func([]datasync.Record) []datasync.Record) string {
		p := filepath.Join(t.TempDir(), name+".csv")
		writeVariant(t, p, g, edit)
		return p
	}
	good := variant("good", func(rs []datasync.Record) []datasync.Record {
		// Another order is the same content.
		rs[0], rs[len(rs)-1] = rs[len(rs)-1], rs[0]
		return rs
	})
	missing := variant("missing", func(rs []datasync.Record) []datasync.Record { return rs[1:] })
	duplicated := variant("duplicated", func(rs []datasync.Record) []datasync.Record { return append(rs, rs[7]) })
	changed := variant("changed", func(rs []datasync.Record) []datasync.Record {
		rs[7][1] = datasync.Int(123456789)
		return rs
	})

	fake := scenario{Name: "csv->csv", From: csvEnd, To: csvEnd, Natives: []native{
		copyTo("good copy", good),
		copyTo("missing row", missing),
		copyTo("duplicated row", duplicated),
		copyTo("changed value", changed),
		{Name: "failing tool", Build: func(*env) plan {
			return plan{Cmds: []*exec.Cmd{exec.Command("sh", "-c", "echo 'ERROR: server refused' >&2; exit 3")}}
		}},
		{Name: "absent tool", Tools: []string{"pgloader-that-is-not-there"}},
	}}
	memory := scenarios[0]
	require.Equal(t, "memory->discard", memory.Name)

	ctx := context.Background()
	h := &harness{e: e, log: io.Discard}
	defer h.close(ctx)
	require.NoError(t, h.prepare(ctx, []scenario{memory, fake}))
	rows, groups := h.runners([]scenario{memory, fake})
	h.runAll(ctx, groups)
	report.Summarize(rows, cfg.Rows, h.size)

	byRunner := map[string]report.Row{}
	for _, r := range rows {
		byRunner[fmt.Sprintf("%s %s %d", r.Scenario, r.Runner, r.Parallelism)] = r
	}
	for _, p := range []string{"1", "4"} {
		lib := byRunner["memory->discard datasync "+p]
		assert.Equal(t, report.OK, lib.Status, lib.Reason)
		assert.Equal(t, 2, lib.Passed)
		assert.Positive(t, lib.RowsPerSec)
		assert.Positive(t, lib.PeakRSS)
		assert.Equal(t, "datasync", lib.ProcessPeaks[0].Name)
		assert.Positive(t, lib.Runs[0].LibraryElapsed)
	}
	notWired := byRunner["csv->csv datasync 1"]
	assert.Equal(t, report.NotWired, notWired.Status)

	ok := byRunner["csv->csv good copy 0"]
	assert.Equal(t, report.OK, ok.Status, ok.Reason)
	assert.Equal(t, 1.0, ok.Ratio)

	for name, want := range map[string]string{
		"missing row":    "check failed: 299 rows, want 300",
		"duplicated row": "check failed: 301 rows, want 300",
		"changed value":  "check failed: same row count (300) but the content checksum differs",
		"failing tool":   "ERROR: server refused",
	} {
		r := byRunner["csv->csv "+name+" 0"]
		assert.Equal(t, report.Failed, r.Status, name)
		assert.Equal(t, 2, r.Failed, name)
		assert.Contains(t, r.Reason, want, name)
		assert.Zero(t, r.RowsPerSec, "%s: a failed run is not timed", name)
		for _, run := range r.Runs {
			assert.False(t, run.OK)
			assert.Zero(t, run.Elapsed, name)
		}
	}
	absent := byRunner["csv->csv absent tool 0"]
	assert.Equal(t, report.Unavailable, absent.Status)
	assert.Contains(t, absent.Reason, "pgloader-that-is-not-there is not installed")
	assert.Empty(t, absent.Runs)

	var out bytes.Buffer
	require.NoError(t, report.WriteText(&out, report.Report{Runs: 2, Dataset: report.Dataset{Rows: 300}, Results: rows}))
	assert.Contains(t, out.String(), "FAILED 2 of 2")
	assert.Contains(t, out.String(), "unavailable")
}
