// Package report holds the benchmark's results, derives the figures of each
// row (medians, ratios, peaks) and prints them as an aligned table or JSON.
package report

import (
	"time"

	"github.com/datasync-go/datasync/bench/internal/proc"
)

// Report is the result of one invocation of the harness.
type Report struct {
	Date        time.Time `json:"date"`
	Machine     Machine   `json:"machine"`
	Dataset     Dataset   `json:"dataset"`
	Runs        int       `json:"runs"`        // timed runs per row (-runs)
	Parallelism []int     `json:"parallelism"` // the library's levels (-parallelism)
	// PeakRSS says how peak memory was measured: "GNU time" (exact) or
	// "sampled" (from /proc, when GNU time is not installed).
	PeakRSS string `json:"peak_rss_method"`
	Results []Row  `json:"results"`
}

// Machine describes where the benchmark ran.
type Machine struct {
	CPU      string            `json:"cpu"`
	Cores    int               `json:"cores"`
	Memory   int64             `json:"memory_bytes"`
	OS       string            `json:"os"`
	Go       string            `json:"go"`
	Servers  map[string]string `json:"servers"` // "postgres", "mysql" -> version
	Tools    map[string]string `json:"tools"`   // tool -> version, "not installed"
	Hostname string            `json:"hostname"`
}

// Dataset describes the generated table.
type Dataset struct {
	Rows     int64  `json:"rows"`
	Seed     uint64 `json:"seed"`
	Bytes    int64  `json:"bytes"`     // logical size: datasync.Value.Size summed over every value
	CSVBytes int64  `json:"csv_bytes"` // size of the CSV file, 0 when not generated
	Checksum string `json:"checksum"`  // the content checksum every target must match
}

// Status is the outcome of a row.
type Status string

// The statuses.
const (
	OK          Status = "ok"          // every run passed its check
	Failed      Status = "failed"      // some run failed: the tool errored or the target's check did not match
	Unavailable Status = "unavailable" // could not run here: a tool is missing or the server refuses what it needs
	NotWired    Status = "not wired"   // a library scenario whose connectors are not wired into the harness yet
	NotRun      Status = "not run"     // the harness was interrupted before any run of the row
)

// Row is one line of the table: the library at one parallelism, or one
// native tool, in one scenario.
type Row struct {
	Scenario    string `json:"scenario"`
	Runner      string `json:"runner"` // "datasync" or the native tool
	Native      bool   `json:"native"`
	Parallelism int    `json:"parallelism,omitempty"` // the library's; native tools run one stream (0)
	Status      Status `json:"status"`
	Reason      string `json:"reason,omitempty"`  // why it is unavailable, or its first failure
	Passed      int    `json:"passed"`            // runs whose check passed
	Failed      int    `json:"failed"`            // runs that failed
	Command     string `json:"command,omitempty"` // what a native row runs, as a shell command line

	// Over the passing runs only (set by Summarize).
	RowsPerSec float64 `json:"rows_per_sec"`              // median
	MBPerSec   float64 `json:"mb_per_sec"`                // median, of the dataset's logical size (MB = 10^6 bytes)
	Ratio      float64 `json:"ratio_to_native,omitempty"` // RowsPerSec / the scenario's fastest passing native tool's
	PeakRSS    int64   `json:"peak_rss"`                  // the largest of the runs' peak RSS (all processes summed), bytes
	// ProcessPeaks is the largest peak RSS of each process of the pipeline,
	// in pipeline order.
	ProcessPeaks []proc.Usage `json:"process_peaks,omitempty"`
	// CPUPerMRows is the CPU budget: the median, over the passing runs, of
	// the CPU time (user + system) of all the run's processes together,
	// in seconds per million dataset rows. Each process's figure is wait4's,
	// which holds the CPU of the children it waited for (the real program
	// under GNU time, a wrapper script's program), so nothing the client
	// side ran escapes it; the servers' work is in no row's.
	CPUPerMRows float64 `json:"cpu_s_per_m_rows"`
	// ProcessCPUPerMRows is the same median for each process of the
	// pipeline, in pipeline order.
	ProcessCPUPerMRows []float64 `json:"process_cpu_s_per_m_rows,omitempty"`
	// LibraryCPUPerMRows is, for a library row, the median of the runs'
	// LibraryCPU per million rows: the pipeline's own, without start-up.
	LibraryCPUPerMRows float64 `json:"library_cpu_s_per_m_rows,omitempty"`

	Runs []Run `json:"runs"`
}

// Run is one timed run of a row.
type Run struct {
	Index   int           `json:"index"` // 1-based run number
	OK      bool          `json:"ok"`
	Elapsed time.Duration `json:"elapsed,omitempty"` // wall clock, processes' start to exit; only when OK
	// LibraryElapsed is the pipeline's own elapsed time as the library
	// reported it (without process start-up), for library runs.
	LibraryElapsed time.Duration `json:"library_elapsed,omitempty"`
	// LibraryCPU is the CPU time (user + system) the library child used
	// during the pipeline's run alone, by getrusage around it: without its
	// start-up, which the processes' figures include.
	LibraryCPU time.Duration `json:"library_cpu,omitempty"`
	Processes  []proc.Usage  `json:"processes,omitempty"`
	Failure    string        `json:"failure,omitempty"` // the tool's error or the check's mismatch
}
