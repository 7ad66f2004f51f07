package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/job"
)

// ReportVersion is the version of the JSON report's layout (run
// --report). Fields are only ever added within a version; a field that
// changes meaning or goes away takes a new version.
const ReportVersion = 1

// The statuses of a report and of its tasks.
const (
	StatusSucceeded   = "succeeded"    // every task finished
	StatusFailed      = "failed"       // a task failed (exit code 1)
	StatusDirtyLimit  = "dirty_limit"  // a task passed the dirty-data limit (exit code 3)
	StatusInterrupted = "interrupted"  // SIGINT, SIGTERM or the context stopped it (exit code 1)
	StatusNotRun      = "not_run"      // a task after the one that stopped the job
	StatusDoneEarlier = "done_earlier" // finished by the earlier run this one resumed: skipped
)

// Report is the JSON report "run --report FILE" writes when the job ends
// (FILE "-" is standard output). Its fields are stable within
// ReportVersion; durations are in seconds, times in RFC 3339 with
// nanoseconds.
type Report struct {
	ReportVersion int        `json:"report_version"`
	Job           ReportJob  `json:"job"`
	Start         time.Time  `json:"start"`
	End           time.Time  `json:"end"`
	ElapsedSec    float64    `json:"elapsed_sec"`
	Status        string     `json:"status"`
	ExitCode      int        `json:"exit_code"`
	Error         string     `json:"error,omitempty"`
	Totals        *Figures   `json:"totals,omitempty"` // absent when no task started
	Tasks         []TaskInfo `json:"tasks"`
}

// ReportJob identifies the job.
type ReportJob struct {
	File     string `json:"file"`     // the job file as given
	Path     string `json:"path"`     // its absolute path
	Dialect  string `json:"dialect"`  // "datax" or "dataworks"
	Host     string `json:"host"`     // the machine that ran it
	PID      int    `json:"pid"`      // the process that ran it
	Program  string `json:"program"`  // the command's name
	RunDate  string `json:"run_date"` // --run-date as given, "" for now
	Channels int    `json:"channels"` // the job's parallelism setting, 0 for the default
}

// Figures are what a task, or the whole job, did.
type Figures struct {
	RecordsRead    int64   `json:"records_read"`
	RecordsWritten int64   `json:"records_written"`
	RecordsDirty   int64   `json:"records_dirty"`
	BytesRead      int64   `json:"bytes_read"`
	BytesWritten   int64   `json:"bytes_written"`
	RecordsPerSec  float64 `json:"records_per_sec"` // written per second of elapsed time
	BytesPerSec    float64 `json:"bytes_per_sec"`
	SplitsPlanned  int     `json:"splits_planned"`
	SplitsDone     int     `json:"splits_done"`
	Retries        int     `json:"retries"`
	// Waits: summed over workers; the shares are of worker_time_sec (see
	// datasync.Result.WaitShares).
	Workers           int     `json:"workers"`
	WorkerTimeSec     float64 `json:"worker_time_sec"`
	ReadWaitSec       float64 `json:"read_wait_sec"`
	WriteWaitSec      float64 `json:"write_wait_sec"`
	ThrottleWaitSec   float64 `json:"throttle_wait_sec"`
	ReadWaitShare     float64 `json:"read_wait_share"`
	WriteWaitShare    float64 `json:"write_wait_share"`
	ThrottleWaitShare float64 `json:"throttle_wait_share"`
}

// TaskInfo is one task of the job (a reader/writer pair).
type TaskInfo struct {
	Index  int       `json:"index"`
	Path   string    `json:"path"` // where it is in the job file
	Reader string    `json:"reader"`
	Writer string    `json:"writer"`
	Status string    `json:"status"`
	Error  string    `json:"error,omitempty"`
	Start  time.Time `json:"start,omitzero"`
	End    time.Time `json:"end,omitzero"`
	// ElapsedSec, Figures, Splits, Retries and Dirty are absent when the
	// task did not start (it failed before its first split, or did not run).
	ElapsedSec float64     `json:"elapsed_sec,omitempty"`
	Figures    *Figures    `json:"figures,omitempty"`
	Splits     []SplitInfo `json:"splits,omitempty"`
	Retries    []RetryInfo `json:"retries,omitempty"`
	Dirty      *DirtyInfo  `json:"dirty,omitempty"`
}

// SplitInfo is one split that ran.
type SplitInfo struct {
	ID              string  `json:"id"`
	Status          string  `json:"status"` // succeeded or failed
	Error           string  `json:"error,omitempty"`
	Attempts        int     `json:"attempts"`
	ElapsedSec      float64 `json:"elapsed_sec"`
	RecordsRead     int64   `json:"records_read"`
	RecordsWritten  int64   `json:"records_written"`
	RecordsDirty    int64   `json:"records_dirty"`
	BytesRead       int64   `json:"bytes_read"`
	BytesWritten    int64   `json:"bytes_written"`
	ReadWaitSec     float64 `json:"read_wait_sec"`
	WriteWaitSec    float64 `json:"write_wait_sec"`
	ThrottleWaitSec float64 `json:"throttle_wait_sec"`
}

// RetryInfo is one retry of a split, with its cause.
type RetryInfo struct {
	Split      string    `json:"split"`
	Attempt    int       `json:"attempt"` // the attempt that failed
	At         time.Time `json:"at"`
	BackoffSec float64   `json:"backoff_sec"`
	Cause      string    `json:"cause"`
}

// DirtyInfo is what became of a task's dirty records.
type DirtyInfo struct {
	Count int64 `json:"count"`
	// ByReason counts them by datasync.DirtyRecord.ReasonKey (as collected:
	// replays after a retry count again).
	ByReason []ReasonCount `json:"by_reason"`
	// Destination is where they went: the dirty file's path, or a
	// description of the collector.
	Destination string `json:"destination"`
}

// ReasonCount is one reason's count.
type ReasonCount struct {
	Reason string `json:"reason"`
	Count  int64  `json:"count"`
}

// newReport starts the report of job j, file as given on the command line.
func newReport(name, file string, j *job.Job, runDate string) *Report {
	r := &Report{ReportVersion: ReportVersion, Start: time.Now(), Tasks: []TaskInfo{}}
	r.Job.File, r.Job.Program, r.Job.RunDate, r.Job.PID = file, name, runDate, os.Getpid()
	if abs, err := filepath.Abs(file); err == nil {
		r.Job.Path = abs
	}
	r.Job.Host, _ = os.Hostname()
	r.Job.Dialect = string(j.Dialect)
	r.Job.Channels = j.Setting.Speed.Channel
	for _, t := range j.Tasks {
		r.Tasks = append(r.Tasks, TaskInfo{Index: t.Index, Path: t.Path, Reader: t.ReaderName, Writer: t.WriterName, Status: StatusNotRun})
	}
	return r
}

// taskStarted reports whether a task that ended with res and err started
// moving data: a failure before the first split (the schema, the plan,
// the sink's preparation) did not.
func taskStarted(res datasync.Result, err error) bool {
	return err == nil || len(res.Splits) > 0
}

// statusOf is the status an error gives.
func statusOf(err error) string {
	switch {
	case err == nil:
		return StatusSucceeded
	case errors.Is(err, context.Canceled):
		return StatusInterrupted
	case errors.Is(err, datasync.ErrDirtyLimit):
		return StatusDirtyLimit
	}
	return StatusFailed
}

// addTask records task i's outcome; dirtyPath is the job's dirty file.
func (r *Report) addTask(i int, res datasync.Result, err error, dirtyPath string) {
	t := &r.Tasks[i]
	t.Status = statusOf(err)
	if err != nil {
		t.Error = err.Error()
	}
	if !taskStarted(res, err) {
		return
	}
	t.Start, t.End, t.ElapsedSec = res.Start, res.End, res.Elapsed.Seconds()
	f := figures(res)
	t.Figures = &f
	for _, s := range res.Splits {
		si := SplitInfo{ID: s.ID, Status: StatusSucceeded, Attempts: s.Attempts, ElapsedSec: s.Elapsed.Seconds(),
			RecordsRead: s.RecordsRead, RecordsWritten: s.RecordsWritten, RecordsDirty: s.RecordsDirty,
			BytesRead: s.BytesRead, BytesWritten: s.BytesWritten, ReadWaitSec: s.ReadWait.Seconds(),
			WriteWaitSec: s.WriteWait.Seconds(), ThrottleWaitSec: s.ThrottleWait.Seconds()}
		if s.Err != nil {
			si.Status, si.Error = StatusFailed, s.Err.Error()
		}
		t.Splits = append(t.Splits, si)
	}
	for _, rt := range res.RetryLog {
		t.Retries = append(t.Retries, RetryInfo{Split: rt.Split, Attempt: rt.Attempt, At: rt.At,
			BackoffSec: rt.Backoff.Seconds(), Cause: rt.Err.Error()})
	}
	if res.RecordsDirty > 0 || len(res.DirtyReasons) > 0 {
		d := &DirtyInfo{Count: res.RecordsDirty, ByReason: []ReasonCount{}, Destination: res.DirtyDestination}
		if dirtyPath != "" {
			d.Destination = dirtyPath
		}
		for reason, n := range res.DirtyReasons {
			d.ByReason = append(d.ByReason, ReasonCount{Reason: reason, Count: n})
		}
		sort.Slice(d.ByReason, func(a, b int) bool {
			if d.ByReason[a].Count != d.ByReason[b].Count {
				return d.ByReason[a].Count > d.ByReason[b].Count
			}
			return d.ByReason[a].Reason < d.ByReason[b].Reason
		})
		t.Dirty = d
	}
}

// figures are res's figures.
func figures(res datasync.Result) Figures {
	rd, wr, th := res.WaitShares()
	return Figures{RecordsRead: res.RecordsRead, RecordsWritten: res.RecordsWritten, RecordsDirty: res.RecordsDirty,
		BytesRead: res.BytesRead, BytesWritten: res.BytesWritten, RecordsPerSec: res.RecordsPerSec(), BytesPerSec: res.BytesPerSec(),
		SplitsPlanned: res.SplitsPlanned, SplitsDone: res.SplitsDone(), Retries: res.Retries,
		Workers: res.Workers, WorkerTimeSec: res.WorkerTime().Seconds(), ReadWaitSec: res.ReadWait.Seconds(),
		WriteWaitSec: res.WriteWait.Seconds(), ThrottleWaitSec: res.ThrottleWait.Seconds(),
		ReadWaitShare: rd, WriteWaitShare: wr, ThrottleWaitShare: th}
}

// finish sets the job's outcome and totals: the sum of the tasks that
// started, with rates over the job's elapsed time and wait shares over
// the summed worker time.
func (r *Report) finish(err error, code int) {
	r.End = time.Now()
	r.ElapsedSec = r.End.Sub(r.Start).Seconds()
	r.Status, r.ExitCode = statusOf(err), code
	if err != nil {
		r.Error = err.Error()
	}
	var tot Figures
	started := false
	for _, t := range r.Tasks {
		f := t.Figures
		if f == nil {
			continue
		}
		started = true
		tot.RecordsRead += f.RecordsRead
		tot.RecordsWritten += f.RecordsWritten
		tot.RecordsDirty += f.RecordsDirty
		tot.BytesRead += f.BytesRead
		tot.BytesWritten += f.BytesWritten
		tot.SplitsPlanned += f.SplitsPlanned
		tot.SplitsDone += f.SplitsDone
		tot.Retries += f.Retries
		tot.Workers = max(tot.Workers, f.Workers)
		tot.WorkerTimeSec += f.WorkerTimeSec
		tot.ReadWaitSec += f.ReadWaitSec
		tot.WriteWaitSec += f.WriteWaitSec
		tot.ThrottleWaitSec += f.ThrottleWaitSec
	}
	if !started {
		return
	}
	if r.ElapsedSec > 0 {
		tot.RecordsPerSec = float64(tot.RecordsWritten) / r.ElapsedSec
		tot.BytesPerSec = float64(tot.BytesWritten) / r.ElapsedSec
	}
	if tot.WorkerTimeSec > 0 {
		share := func(s float64) float64 { return min(max(s/tot.WorkerTimeSec, 0), 1) }
		tot.ReadWaitShare, tot.WriteWaitShare, tot.ThrottleWaitShare = share(tot.ReadWaitSec), share(tot.WriteWaitSec), share(tot.ThrottleWaitSec)
	}
	r.Totals = &tot
}

// write writes the report as indented JSON to path ("-": stdout), with
// the job's secrets blotted out.
func (r *Report) write(path string, stdout io.Writer, redact func(string) string) error {
	r.redact(redact)
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	text := string(b) + "\n"
	if path == "-" {
		_, err = io.WriteString(stdout, text)
	} else {
		err = os.WriteFile(path, []byte(text), 0o644)
	}
	if err != nil {
		return fmt.Errorf("write the report: %w", err)
	}
	return nil
}

// redact blots the job's secrets out of the report's texts (before they
// are escaped as JSON, where a secret would no longer be found).
func (r *Report) redact(redact func(string) string) {
	r.Error = redact(r.Error)
	for i := range r.Tasks {
		t := &r.Tasks[i]
		t.Error = redact(t.Error)
		for k := range t.Splits {
			t.Splits[k].Error = redact(t.Splits[k].Error)
		}
		for k := range t.Retries {
			t.Retries[k].Cause = redact(t.Retries[k].Cause)
		}
		if t.Dirty != nil {
			t.Dirty.Destination = redact(t.Dirty.Destination)
			for k := range t.Dirty.ByReason {
				t.Dirty.ByReason[k].Reason = redact(t.Dirty.ByReason[k].Reason)
			}
		}
	}
}
