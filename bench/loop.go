package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/datasync-go/datasync/bench/internal/dataset"
	"github.com/datasync-go/datasync/bench/internal/report"
	"github.com/datasync-go/datasync/internal/checksum"
)

// runner is one row of the table being measured: the library at one
// parallelism, or one native tool, in a scenario.
type runner struct {
	sc     scenario
	native *native // nil for the library
	row    *report.Row
}

// runners returns the rows of the selected scenarios, in table order (per
// scenario, the library at each parallelism, then the native tools), and
// their runners grouped by scenario, each pointing at its row. Rows that
// cannot run here are marked so, with the reason.
func (h *harness) runners(selected []scenario) ([]report.Row, [][]*runner) {
	// The rows are all appended first, so that pointers to them stay valid.
	var rows []report.Row
	for _, s := range selected {
		for _, p := range h.e.cfg.Parallelism {
			rows = append(rows, report.Row{Scenario: s.Name, Runner: "datasync", Parallelism: p, Runs: []report.Run{}})
		}
		for _, n := range s.Natives {
			rows = append(rows, report.Row{Scenario: s.Name, Runner: n.Name, Native: true, Runs: []report.Run{}})
		}
	}
	var groups [][]*runner
	i := 0
	for _, s := range selected {
		var g []*runner
		for range h.e.cfg.Parallelism {
			r := &runner{sc: s, row: &rows[i]}
			if libraryScenarios[s.Name] == nil {
				r.row.Status = report.NotWired
				r.row.Reason = "the library side of this scenario waits for its connectors: add it to libraryScenarios in bench/library.go"
			}
			g = append(g, r)
			i++
		}
		for j := range s.Natives {
			r := &runner{sc: s, native: &s.Natives[j], row: &rows[i]}
			if r.native.Build != nil {
				r.row.Command = r.native.Build(h.e).String()
			}
			if reason := h.unavailable(*r.native); reason != "" {
				r.row.Status, r.row.Reason = report.Unavailable, reason
			}
			g = append(g, r)
			i++
		}
		groups = append(groups, g)
	}
	return rows, groups
}

// unavailable says why a native tool cannot run here, "" when it can.
func (h *harness) unavailable(n native) string {
	for _, t := range n.Tools {
		if h.e.tools[t] == "" {
			hint := ""
			if t == "pgloader" {
				hint = " (Debian/Ubuntu: apt-get install pgloader)"
			}
			return fmt.Sprintf("%s is not installed%s", t, hint)
		}
	}
	if n.LocalInfile && h.localInfileOK && !h.localInfile {
		return "the MySQL server refuses LOAD DATA LOCAL INFILE (local_infile=OFF); enable it with SET GLOBAL local_infile = 1"
	}
	return ""
}

// runAll runs every runnable row -runs times, interleaved: for each run
// index, each scenario's rows run back to back, so that whatever else the
// machine does affects the library and the tools alike. The order of a
// scenario's rows rotates from one run index to the next, so that none is
// always first after another scenario.
func (h *harness) runAll(ctx context.Context, groups [][]*runner) {
	runs := h.e.cfg.Runs
	for run := 1; run <= runs; run++ {
		for _, g := range groups {
			var active []*runner
			for _, r := range g {
				if r.row.Status != report.NotWired && r.row.Status != report.Unavailable {
					active = append(active, r)
				}
			}
			if len(active) == 0 {
				continue
			}
			k := (run - 1) % len(active)
			for _, r := range append(slices.Clone(active[k:]), active[:k]...) {
				if ctx.Err() != nil {
					return
				}
				res := h.runOnce(ctx, r, run)
				if ctx.Err() != nil {
					return // interrupted: the run killed midway is not a result
				}
				r.row.Runs = append(r.row.Runs, res)
				status := fmt.Sprintf("%s, ok", res.Elapsed.Round(time.Millisecond))
				if !res.OK {
					status = "FAILED: " + res.Failure
				}
				h.step("run %d/%d  %-15s %-42s %s", run, runs, r.sc.Name, label(r), status)
			}
		}
	}
}

// label names a runner in progress lines.
func label(r *runner) string {
	if r.native != nil {
		return r.native.Name
	}
	return fmt.Sprintf("datasync, parallelism %d", r.row.Parallelism)
}

// runOnce empties the target, runs r once in its own process(es), and
// verifies the target. A run that errs or fails its check is not timed.
func (h *harness) runOnce(ctx context.Context, r *runner, index int) report.Run {
	res := report.Run{Index: index}
	fail := func(format string, args ...any) report.Run {
		res.OK, res.Elapsed, res.Failure = false, 0, fmt.Sprintf(format, args...)
		return res
	}
	if err := h.emptyTarget(ctx, r.sc); err != nil {
		return fail("%v", err)
	}
	var p plan
	dialect := checksum.CSV
	if r.native != nil {
		p = r.native.Build(h.e)
		dialect = r.native.Output
	} else {
		params := h.params(r)
		params.Run = index
		cmd, err := libraryCommand(params)
		if err != nil {
			return fail("%v", err)
		}
		p = plan{Cmds: []*exec.Cmd{cmd}}
	}
	closeFiles, err := p.open()
	if err != nil {
		closeFiles()
		return fail("%v", err)
	}
	runCtx, cancel := context.WithTimeout(ctx, h.e.cfg.Timeout)
	out := h.procs.Run(runCtx, p.Cmds)
	cancel()
	closeFiles()
	res.Processes = out.Procs
	if r.native == nil && len(res.Processes) == 1 {
		res.Processes[0].Name = "datasync"
	}
	if out.Err != nil {
		return fail("%s", explain(out.Err.Error()))
	}

	var mismatch string
	if r.native == nil {
		var child childResult
		if err := json.Unmarshal(out.Stdout, &child); err != nil {
			return fail("the library child's result is unreadable: %v (%q)", err, out.Stdout)
		}
		res.LibraryElapsed = child.Elapsed
		res.LibraryCPU = child.UserCPU + child.SysCPU
		if r.sc.To == discardEnd {
			mismatch = h.verifyDiscard(child)
		}
	}
	if r.sc.To != discardEnd {
		if mismatch, err = h.verifyTarget(ctx, r.sc, dialect); err != nil {
			return fail("verification could not read the target: %v", err)
		}
	}
	if mismatch != "" {
		return fail("check failed: %s", mismatch)
	}
	res.OK, res.Elapsed = true, out.Elapsed
	return res
}

// params are the library child's parameters for r.
func (h *harness) params(r *runner) Params {
	e := h.e
	return Params{
		Scenario: r.sc.Name, Parallelism: r.row.Parallelism,
		Rows: e.cfg.Rows, Seed: e.cfg.Seed, Table: dataset.Table,
		PostgresSource: e.pgSource, PostgresTarget: e.pgTarget,
		MySQLSource: e.mysqlSource, MySQLTarget: e.mysqlTarget,
		CSVSource: e.csvSource, CSVTargetDir: e.csvTargetDir, CSVTargetName: "bench",
		RedisAddr: e.cfg.Redis, RedisDB: e.cfg.RedisDB,
		Profile: e.cfg.Profile,
	}
}

// explain adds what to do to the tools' errors that have a known cause.
func explain(msg string) string {
	for _, s := range []string{
		"local infile capability",          // MariaDB, ERROR 4166
		"Loading local data is disabled",   // MySQL 8, ERROR 3948
		"command is not allowed with this", // older MySQL, ERROR 1148
	} {
		if strings.Contains(msg, s) {
			return msg + " (LOAD DATA LOCAL refused: the server needs local_infile=ON, the client --local-infile=1)"
		}
	}
	return msg
}
