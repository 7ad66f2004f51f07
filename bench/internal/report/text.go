package report

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/datasync-go/datasync/bench/internal/proc"
	"github.com/datasync-go/datasync/internal/numfmt"
)

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, r Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // "pg->pg", not "pg-\u003epg"
	return enc.Encode(r)
}

// WriteText writes the report for people: what ran where, the table, and
// numbered notes giving the reason of every row that did not simply pass.
func WriteText(w io.Writer, r Report) error {
	var b strings.Builder
	m := r.Machine
	fmt.Fprintf(&b, "datasync benchmark, %s\n", r.Date.UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&b, "machine:  %s, %d cores, %s RAM, %s, %s\n", m.CPU, m.Cores, numfmt.Bytes(m.Memory), m.OS, m.Go)
	if len(m.Servers) > 0 {
		fmt.Fprintf(&b, "servers:  %s\n", joinMap(m.Servers))
	}
	if len(m.Tools) > 0 {
		fmt.Fprintf(&b, "tools:    %s\n", joinMap(m.Tools))
	}
	d := r.Dataset
	fmt.Fprintf(&b, "dataset:  %s rows (seed %d), %s logical", numfmt.Group(d.Rows), d.Seed, numfmt.Bytes(d.Bytes))
	if d.CSVBytes > 0 {
		fmt.Fprintf(&b, ", CSV file %s", numfmt.Bytes(d.CSVBytes))
	}
	fmt.Fprintf(&b, ", checksum %s\n", d.Checksum)
	fmt.Fprintf(&b, "runs:     %d per row, interleaved; rates are medians of the passing runs\n", r.Runs)
	if r.PeakRSS != "" {
		fmt.Fprintf(&b, "memory:   peak RSS of each process (%s); a pipeline's is the sum of its processes'\n", r.PeakRSS)
	}
	b.WriteString("cpu:      CPU s/M is user + system CPU seconds per million rows of all the runner's processes together (wait4, their children included; median)\n")
	b.WriteString("\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	table, notes := Tabulate(r.Results)
	if err := table.Render(w); err != nil {
		return err
	}
	if len(notes) == 0 {
		return nil
	}
	var n strings.Builder
	n.WriteString("\n")
	for i, note := range notes {
		fmt.Fprintf(&n, "[%d] %s\n", i+1, note)
	}
	_, err := io.WriteString(w, n.String())
	return err
}

// Tabulate turns rows into the table, and the notes its check column
// refers to as [n].
func Tabulate(rows []Row) (Table, []string) {
	t := Table{Columns: []Column{
		{Title: "scenario"}, {Title: "runner"}, {Title: "par", Align: Right},
		{Title: "rows/s", Align: Right}, {Title: "MB/s", Align: Right}, {Title: "vs native", Align: Right},
		{Title: "CPU s/M", Align: Right}, {Title: "CPU per process"},
		{Title: "peak RSS", Align: Right}, {Title: "per process"}, {Title: "check"},
	}}
	var notes []string
	note := func(s string) string {
		if i := slices.Index(notes, s); i >= 0 {
			return fmt.Sprintf(" [%d]", i+1)
		}
		notes = append(notes, s)
		return fmt.Sprintf(" [%d]", len(notes))
	}
	for _, r := range rows {
		par := "-" // native tools: one stream
		if !r.Native {
			par = strconv.Itoa(r.Parallelism)
		}
		cells := []string{r.Scenario, r.Runner, par, "-", "-", "-", "-", "", "-", "", ""}
		if r.Passed > 0 {
			cells[3] = numfmt.Group(int64(r.RowsPerSec + 0.5))
			cells[4] = strconv.FormatFloat(r.MBPerSec, 'f', 1, 64)
			if r.Ratio > 0 {
				cells[5] = strconv.FormatFloat(r.Ratio, 'f', 2, 64) + "x"
			}
			if r.CPUPerMRows > 0 {
				cells[6] = strconv.FormatFloat(r.CPUPerMRows, 'f', 2, 64)
			}
			if len(r.ProcessCPUPerMRows) > 1 {
				cpus := make([]string, len(r.ProcessCPUPerMRows))
				for i, c := range r.ProcessCPUPerMRows {
					cpus[i] = r.ProcessPeaks[i].Name + " " + strconv.FormatFloat(c, 'f', 2, 64)
				}
				cells[7] = strings.Join(cpus, " + ")
			}
			mark := ""
			parts := make([]string, len(r.ProcessPeaks))
			for i, p := range r.ProcessPeaks {
				parts[i] = p.Name + " " + formatPeak(p)
				if m := peakMark(p); m == "≤" || mark == "" {
					mark = m
				}
			}
			cells[8] = mark + numfmt.Bytes(r.PeakRSS)
			if len(parts) > 1 {
				cells[9] = strings.Join(parts, " + ")
			}
		}
		switch r.Status {
		case OK:
			cells[10] = fmt.Sprintf("ok %d/%d", r.Passed, r.Passed+r.Failed)
		case Failed:
			cells[10] = fmt.Sprintf("FAILED %d of %d", r.Failed, r.Passed+r.Failed) + note(r.Reason)
		case Unavailable:
			cells[10] = "unavailable" + note(r.Reason)
		case NotWired:
			cells[10] = "not wired yet" + note(r.Reason)
		case NotRun:
			cells[10] = "not run (interrupted)"
		}
		t.Rows = append(t.Rows, cells)
	}
	return t, notes
}

// formatPeak formats a process's peak RSS with its mark.
func formatPeak(u proc.Usage) string { return peakMark(u) + numfmt.Bytes(u.PeakRSS) }

// peakMark is "" for an exact peak RSS, "~" for one sampled from /proc
// (it may miss the last milliseconds) and "≤" for an upper bound.
func peakMark(u proc.Usage) string {
	switch u.PeakSource {
	case proc.PeakSampled:
		return "~"
	case proc.PeakBound:
		return "≤"
	}
	return ""
}

func joinMap(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + m[k]
	}
	return strings.Join(parts, ", ")
}
