package ui

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/datasync-go/datasync"
)

// runs are the jobs started from the UI, by ID.
type runs struct {
	mu   sync.Mutex
	byID map[string]*run
	wg   sync.WaitGroup
}

func newRuns() *runs { return &runs{byID: map[string]*run{}} }

func (rs *runs) wait() { rs.wg.Wait() }

func (rs *runs) get(id string) *run {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return rs.byID[id]
}

// run is one job running or run: its progress, then its report.
type run struct {
	id        string
	cancel    context.CancelFunc
	dirtyPath string // where its dirty records go, "" when none are tolerated

	mu       sync.Mutex
	state    string // running, succeeded, failed, cancelled
	progress datasync.Progress
	report   *report
	err      string
}

// report is a finished run's figures, as the command's report shows them.
type report struct {
	Start          time.Time     `json:"start"`
	End            time.Time     `json:"end"`
	ElapsedMillis  int64         `json:"elapsedMs"`
	RecordsRead    int64         `json:"recordsRead"`
	RecordsWritten int64         `json:"recordsWritten"`
	RecordsDirty   int64         `json:"recordsDirty"`
	BytesRead      int64         `json:"bytesRead"`
	BytesWritten   int64         `json:"bytesWritten"`
	RecordsPerSec  float64       `json:"recordsPerSec"`
	BytesPerSec    float64       `json:"bytesPerSec"`
	SplitsPlanned  int           `json:"splitsPlanned"`
	SplitsDone     int           `json:"splitsDone"`
	Retries        int           `json:"retries"`
	Splits         []splitReport `json:"splits"`
}

type splitReport struct {
	ID             string `json:"id"`
	RecordsWritten int64  `json:"recordsWritten"`
	RecordsDirty   int64  `json:"recordsDirty"`
	Attempts       int    `json:"attempts"`
	Error          string `json:"error,omitempty"`
}

func newReport(res datasync.Result, redact func(string) string) *report {
	rep := &report{Start: res.Start, End: res.End, ElapsedMillis: res.Elapsed.Milliseconds(),
		RecordsRead: res.RecordsRead, RecordsWritten: res.RecordsWritten, RecordsDirty: res.RecordsDirty,
		BytesRead: res.BytesRead, BytesWritten: res.BytesWritten, RecordsPerSec: res.RecordsPerSec(), BytesPerSec: res.BytesPerSec(),
		SplitsPlanned: res.SplitsPlanned, SplitsDone: res.SplitsDone(), Retries: res.Retries, Splits: []splitReport{}}
	for _, sp := range res.Splits {
		sr := splitReport{ID: sp.ID, RecordsWritten: sp.RecordsWritten, RecordsDirty: sp.RecordsDirty, Attempts: sp.Attempts}
		if sp.Err != nil {
			sr.Error = redact(sp.Err.Error())
		}
		rep.Splits = append(rep.Splits, sr)
	}
	return rep
}

// runStatusReply is what the page polls.
type runStatusReply struct {
	ID       string    `json:"id"`
	State    string    `json:"state"`
	Progress progress  `json:"progress"`
	Report   *report   `json:"report,omitempty"`
	Error    string    `json:"error,omitempty"`
	Dirty    bool      `json:"dirty"` // the dirty records can be fetched
	Updated  time.Time `json:"updated"`
}

type progress struct {
	ElapsedMillis    int64   `json:"elapsedMs"`
	RecordsRead      int64   `json:"recordsRead"`
	RecordsWritten   int64   `json:"recordsWritten"`
	RecordsDirty     int64   `json:"recordsDirty"`
	BytesRead        int64   `json:"bytesRead"`
	BytesWritten     int64   `json:"bytesWritten"`
	RecordsPerSec    float64 `json:"recordsPerSec"`
	BytesPerSec      float64 `json:"bytesPerSec"`
	SplitsDone       int     `json:"splitsDone"`
	SplitsTotal      int     `json:"splitsTotal"`
	EstimatedRecords int64   `json:"estimatedRecords"`
}

func (r *run) status() runStatusReply {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.progress
	out := runStatusReply{ID: r.id, State: r.state, Report: r.report, Error: r.err, Updated: time.Now(),
		Progress: progress{ElapsedMillis: p.Elapsed.Milliseconds(), RecordsRead: p.RecordsRead, RecordsWritten: p.RecordsWritten,
			RecordsDirty: p.RecordsDirty, BytesRead: p.BytesRead, BytesWritten: p.BytesWritten, RecordsPerSec: p.RecordsPerSec,
			BytesPerSec: p.BytesPerSec, SplitsDone: p.SplitsDone, SplitsTotal: p.SplitsTotal, EstimatedRecords: p.EstimatedRecords}}
	if r.dirtyPath != "" && r.state != "running" {
		if _, err := os.Stat(r.dirtyPath); err == nil {
			out.Dirty = true
		}
	}
	return out
}

// progressEvery is how often a run's progress is taken.
const progressEvery = 200 * time.Millisecond

// startRun checks the model as the check does, then runs its script in the
// background and answers with the run's ID at once.
func (s *Server) startRun(w http.ResponseWriter, r *http.Request) {
	var in modelRequest
	if !decode(w, r, &in) {
		return
	}
	cat, ok := s.catalog(w)
	if !ok {
		return
	}
	m := &in.Model
	if errs := m.validate(cat); len(errs) > 0 {
		reply(w, http.StatusBadRequest, failure{Error: "the job is not complete", Fields: errs})
		return
	}
	qctx, cancelQuery := context.WithTimeout(r.Context(), introspectTimeout)
	errs := s.orderQueryMapping(qctx, cat, m)
	cancelQuery()
	if len(errs) > 0 {
		reply(w, http.StatusBadRequest, failure{Error: "the mapping does not fit the query", Fields: errs})
		return
	}
	text, err := m.Script(cat, s.dir)
	if err != nil {
		fail(w, http.StatusBadRequest, "%v", err)
		return
	}
	j, err := s.parse(cat, text)
	if err != nil {
		fail(w, http.StatusBadRequest, "%v", err)
		return
	}
	b := make([]byte, 8)
	rand.Read(b)
	ctx, cancel := context.WithCancel(s.base)
	rn := &run{id: hex.EncodeToString(b), cancel: cancel, state: "running"}
	show := func(p datasync.Progress) {
		rn.mu.Lock()
		rn.progress = p
		rn.mu.Unlock()
	}
	pipelines, err := j.Pipelines(datasync.WithProgress(show, progressEvery), datasync.WithLogger(s.log))
	if err != nil {
		cancel()
		j.Close()
		fail(w, http.StatusBadRequest, "%s", j.Redact(err.Error()))
		return
	}
	rn.dirtyPath = j.DirtyPath // known once the pipelines are made
	s.runs.mu.Lock()
	s.runs.byID[rn.id] = rn
	s.runs.wg.Add(1)
	s.runs.mu.Unlock()
	s.log.Info("run started", "run", rn.id, "source", m.Source.DataSource, "target", m.Target.DataSource)
	go func() {
		defer s.runs.wg.Done()
		defer cancel()
		defer j.Close()
		res, err := pipelines[0].Run(ctx)
		rn.mu.Lock()
		defer rn.mu.Unlock()
		rn.report = newReport(res, j.Redact)
		switch {
		case err == nil:
			rn.state = "succeeded"
		case errors.Is(err, context.Canceled):
			rn.state, rn.err = "cancelled", "cancelled: what the unfinished splits wrote after their last commit was rolled back or discarded"
		default:
			rn.state, rn.err = "failed", j.Redact(err.Error())
		}
		s.log.Info("run ended", "run", rn.id, "state", rn.state)
	}()
	reply(w, http.StatusAccepted, map[string]string{"id": rn.id})
}

func (s *Server) runOf(w http.ResponseWriter, r *http.Request) *run {
	rn := s.runs.get(r.PathValue("id"))
	if rn == nil {
		fail(w, http.StatusNotFound, "no run %q", r.PathValue("id"))
	}
	return rn
}

func (s *Server) runStatus(w http.ResponseWriter, r *http.Request) {
	if rn := s.runOf(w, r); rn != nil {
		reply(w, http.StatusOK, rn.status())
	}
}

func (s *Server) cancelRun(w http.ResponseWriter, r *http.Request) {
	if rn := s.runOf(w, r); rn != nil {
		rn.cancel()
		reply(w, http.StatusOK, rn.status())
	}
}

// maxDirtyShown bounds the dirty records sent to the page.
const maxDirtyShown = 1 << 20

// runDirty sends the run's dirty records (JSON lines, the first MiB).
func (s *Server) runDirty(w http.ResponseWriter, r *http.Request) {
	rn := s.runOf(w, r)
	if rn == nil {
		return
	}
	if !rn.status().Dirty {
		fail(w, http.StatusNotFound, "run %s has no dirty records", rn.id)
		return
	}
	f, err := os.Open(rn.dirtyPath)
	if err != nil {
		fail(w, http.StatusInternalServerError, "%v", err)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/x-ndjson; charset=utf-8")
	io.Copy(w, io.LimitReader(f, maxDirtyShown))
}
