package temporal

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/datasync-go/datasync"
)

// QueryProgress is the query that returns a running job's Progress.
const QueryProgress = "datasync.progress"

// The phases of a job, as Progress.Phase names them.
const (
	PhasePrepare  = "prepare"
	PhasePlan     = "plan"
	PhaseSplits   = "splits"
	PhaseFinalize = "finalize"
	PhaseAbort    = "abort"
	PhaseDone     = "done"
	PhaseFailed   = "failed"
)

// Progress is a snapshot of a job's workflow, as the QueryProgress query
// returns it. Counts cover the whole job: the splits done, and the running
// ones as of their last report (JobInput.ReportEvery).
type Progress struct {
	Phase string `json:"phase"`
	Task  int    `json:"task"`  // the task running, from 0
	Tasks int    `json:"tasks"` // the job's tasks (1 until the first Prepare)
	// SplitsTotal is the number of splits planned so far (every task's
	// plan, once planned); SplitsDone those that succeeded; SplitsRunning
	// those being run now.
	SplitsTotal   int `json:"splitsTotal"`
	SplitsDone    int `json:"splitsDone"`
	SplitsRunning int `json:"splitsRunning"`
	Counts
	// RecordsPerSec and BytesPerSec are the running splits' current read
	// speeds added up.
	RecordsPerSec float64       `json:"recordsPerSec"`
	BytesPerSec   float64       `json:"bytesPerSec"`
	Elapsed       time.Duration `json:"elapsed"`
}

// String returns a one-line summary.
func (p Progress) String() string {
	return fmt.Sprintf("%s: %d records read, %d written, %d dirty, %d bytes; %.0f records/s; %d/%d splits done, %d running; task %d of %d; %s",
		p.Phase, p.RecordsRead, p.RecordsWritten, p.RecordsDirty, p.BytesRead, p.RecordsPerSec,
		p.SplitsDone, p.SplitsTotal, p.SplitsRunning, p.Task+1, p.Tasks, p.Elapsed.Round(time.Second))
}

// Result is what a job's workflow returns: what it did, over all tasks.
type Result struct {
	Tasks         int `json:"tasks"`
	SplitsPlanned int `json:"splitsPlanned"`
	SplitsDone    int `json:"splitsDone"`
	Counts
	// SplitsResumed counts the splits whose last attempt resumed from a
	// checkpoint an earlier one (on a lost worker) left; SplitAttempts the
	// activity attempts of all splits done.
	SplitsResumed int           `json:"splitsResumed"`
	SplitAttempts int           `json:"splitAttempts"`
	Start         time.Time     `json:"start"`
	Elapsed       time.Duration `json:"elapsed"`
}

// String returns a one-line summary.
func (r Result) String() string {
	return fmt.Sprintf("%d records read, %d written, %d dirty (%d bytes) in %s; %d/%d splits, %d resumed after a lost attempt",
		r.RecordsRead, r.RecordsWritten, r.RecordsDirty, r.BytesWritten, r.Elapsed.Round(time.Millisecond),
		r.SplitsDone, r.SplitsPlanned, r.SplitsResumed)
}

// jobState is the workflow's state, read by the progress query.
type jobState struct {
	start    time.Time
	phase    string
	task     int
	tasks    int
	settings TaskSettings
	expected int64 // the current task's estimate of all records

	splitsTotal int
	total       Counts // splits done, every task
	taskDone    Counts // splits done, current task
	outcomes    []SplitOutcome
	running     map[string]SplitReport // latest report of each running split
	finished    map[string]bool        // splits that ended, whose late reports are ignored
}

func splitKey(task int, split string) string { return fmt.Sprintf("%d/%s", task, split) }

func (st *jobState) planned(splits []datasync.Split) {
	st.splitsTotal += len(splits)
	st.expected = 0
	for _, s := range splits {
		st.expected += max(s.Rows, 0)
	}
	st.taskDone = Counts{}
}

func (st *jobState) started(task int, split string) {
	st.running[splitKey(task, split)] = SplitReport{Task: task, Split: split}
}

// report keeps a running split's newest report.
func (st *jobState) report(r SplitReport) {
	k := splitKey(r.Task, r.Split)
	if st.finished[k] {
		return
	}
	old, ok := st.running[k]
	if ok && (r.Attempt < old.Attempt || (r.Attempt == old.Attempt && r.Seq <= old.Seq)) {
		return
	}
	st.running[k] = r
}

func (st *jobState) stopped(task int, split string) {
	k := splitKey(task, split)
	st.finished[k] = true
	delete(st.running, k)
}

// done counts a split that succeeded.
func (st *jobState) done(out SplitOutcome) {
	st.stopped(out.Task, out.Split)
	st.total = st.total.plus(out.Counts)
	st.taskDone = st.taskDone.plus(out.Counts)
	st.outcomes = append(st.outcomes, out)
}

// taskCounts returns the current task's counts: its splits done and the
// running ones' last reports.
func (st *jobState) taskCounts() Counts {
	c := st.taskDone
	for _, r := range st.running {
		c = c.plus(r.Counts)
	}
	return c
}

// dirtyLimit is the workflow's error when the dirty records of the whole
// task pass its policy.
func (st *jobState) dirtyLimit(byRate bool, c Counts) error {
	d := DirtyLimitDetails{Dirty: c.RecordsDirty, Read: c.RecordsRead, MaxRecords: st.settings.MaxDirty, MaxRatio: st.settings.MaxRatio, ByRate: byRate}
	msg := (&DirtyLimitError{DirtyLimitDetails: d}).Error()
	return temporal.NewNonRetryableApplicationError(msg, ErrTypeDirtyLimit, nil, d)
}

func (st *jobState) progress(now time.Time) Progress {
	p := Progress{Phase: st.phase, Task: st.task, Tasks: st.tasks, SplitsTotal: st.splitsTotal,
		SplitsDone: len(st.outcomes), SplitsRunning: len(st.running), Counts: st.total, Elapsed: now.Sub(st.start)}
	for _, r := range st.running {
		p.Counts = p.Counts.plus(r.Counts)
		p.RecordsPerSec += r.RecordsPerSec
		p.BytesPerSec += r.BytesPerSec
	}
	return p
}

func (st *jobState) result(now time.Time) Result {
	r := Result{Tasks: st.tasks, SplitsPlanned: st.splitsTotal, SplitsDone: len(st.outcomes), Counts: st.total,
		Start: st.start, Elapsed: now.Sub(st.start)}
	for _, o := range st.outcomes {
		r.SplitAttempts += int(o.Attempts)
		if o.Resumed {
			r.SplitsResumed++
		}
	}
	return r
}
