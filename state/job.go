package state

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/datasync-go/datasync"
)

// Status is where a job's last run stands.
type Status string

// The statuses.
const (
	// StatusRunning: a run is under way, or was killed (then the next run
	// resumes it).
	StatusRunning Status = "running"
	// StatusFailed: the last run failed; the next run resumes it.
	StatusFailed Status = "failed"
	// StatusFinished: the last run succeeded; the next run starts over.
	StatusFinished Status = "finished"
)

// ErrLocked is returned by Store.Begin (and Store.Clear) when another run of
// the job holds it.
var ErrLocked = errors.New("state: the job is being run by another process")

// ErrJobChanged is returned by Store.Begin when the job has an unfinished
// run whose job differs from the one given (its identity changed): its
// checkpoints may not fit the new job. Begin with Fresh set to start over.
var ErrJobChanged = errors.New("state: the job changed since its unfinished run")

// JobState is what a store keeps of one job: its last run and, while that
// run is unfinished, its plan and split progress. It is stored as JSON.
type JobState struct {
	// Name is the job's name as given to Begin (the CLI uses the job file's
	// absolute path).
	Name string `json:"name"`
	// Fingerprint is the SHA-256 of the job's identity, in hexadecimal.
	Fingerprint string `json:"fingerprint"`
	// Identity is the job as Begin was given it: the resolved job without
	// secrets.
	Identity string `json:"identity,omitempty"`
	Status   Status `json:"status"`
	// Error is why the last run failed.
	Error string `json:"error,omitempty"`
	// Runs counts the runs of the current attempt at the job: 1, plus one
	// per resume.
	Runs    int       `json:"runs"`
	Started time.Time `json:"started"`
	Updated time.Time `json:"updated"`
	// PID is the process of the last run.
	PID int `json:"pid"`
	// Tasks holds the plan and split progress of each task (a job file's
	// content entries), by index.
	Tasks []TaskState `json:"tasks,omitempty"`
}

// TaskState is the plan and split progress of one task of a job.
type TaskState struct {
	Plan   []datasync.Split                  `json:"plan,omitempty"`
	Splits map[string]datasync.SplitProgress `json:"splits,omitempty"`
	// Finished is set when the task succeeded (Finalize included): a
	// resumed run skips it.
	Finished bool `json:"finished,omitempty"`
}

// SplitsDone counts, over every task, the splits recorded done, and all the
// splits planned.
func (s JobState) SplitsDone() (done, planned int) {
	for _, t := range s.Tasks {
		planned += len(t.Plan)
		for _, p := range t.Splits {
			if p.Done {
				done++
			}
		}
	}
	return done, planned
}

// fingerprint returns the hexadecimal SHA-256 of identity.
func fingerprint(identity []byte) string {
	sum := sha256.Sum256(identity)
	return hex.EncodeToString(sum[:])
}

const stateFile = "state.json"

// load reads the state of the job in directory dir; ok is false when it has
// none.
func load(dir string) (JobState, bool, error) {
	data, err := os.ReadFile(filepath.Join(dir, stateFile))
	if errors.Is(err, fs.ErrNotExist) {
		return JobState{}, false, nil
	}
	if err != nil {
		return JobState{}, false, fmt.Errorf("state: %w", err)
	}
	var s JobState
	if err := json.Unmarshal(data, &s); err != nil {
		return JobState{}, false, fmt.Errorf("state: %s is damaged (%v): remove it, or run the job with --fresh", filepath.Join(dir, stateFile), err)
	}
	return s, true, nil
}

func save(dir string, s *JobState) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("state: %w", err)
	}
	if err := writeFileAtomic(filepath.Join(dir, stateFile), data); err != nil {
		return fmt.Errorf("state: save the state of job %q: %w", s.Name, err)
	}
	return nil
}

// lockName is the lock file of a job directory; it holds the pid of the
// process that has the job.
const lockName = "lock"

// lock takes the job directory's lock, or returns an error wrapping
// ErrLocked naming the process that holds it.
func lock(dir, name string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	path := filepath.Join(dir, lockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	ok, err := lockFile(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("state: lock %s: %w", path, err)
	}
	if !ok {
		holder, _ := os.ReadFile(path)
		f.Close()
		who := strings.TrimSpace(string(holder))
		if who == "" {
			who = "another process"
		}
		return nil, fmt.Errorf("%w: job %q is being run by %s; wait for it to end (or stop it) before running it again", ErrLocked, name, who)
	}
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte("pid "+strconv.Itoa(os.Getpid())+" since "+time.Now().UTC().Format(time.RFC3339)+"\n"), 0)
	return f, nil
}

func unlock(f *os.File) error {
	_ = f.Truncate(0)
	err := unlockFile(f)
	return errors.Join(err, f.Close())
}

// List returns the state of every job in the store, by name.
func (s *Store) List() ([]JobState, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	var out []JobState
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		st, ok, err := load(filepath.Join(s.dir, e.Name()))
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, st)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Get returns the state of the job called name; ok is false when the store
// has none.
func (s *Store) Get(name string) (JobState, bool, error) {
	return load(s.jobDir(name))
}

// Clear forgets the state of the job called name: its next run starts
// over. It fails with ErrLocked while the job runs. Files others keep in the
// job's directory are removed too.
func (s *Store) Clear(name string) error {
	dir := s.jobDir(name)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	f, err := lock(dir, name)
	if err != nil {
		return err
	}
	defer unlock(f)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("state: %w", err)
	}
	for _, e := range entries {
		if e.Name() != lockName {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return fmt.Errorf("state: clear job %q: %w", name, err)
			}
		}
	}
	return nil
}
