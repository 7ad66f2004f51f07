package state_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/state"
)

func openStore(t *testing.T) *state.Store {
	t.Helper()
	s, err := state.Open(filepath.Join(t.TempDir(), "state"))
	require.NoError(t, err)
	return s
}

func TestARunResumesTheUnfinishedOneAndStartsOverAfterSuccess(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	id := []byte(`{"job":1}`)
	r, err := s.Begin("job.json", id, state.BeginOptions{})
	require.NoError(t, err)
	assert.False(t, r.Resuming())
	task := r.Task(0)
	plan := []datasync.Split{{ID: "a"}, {ID: "b"}}
	require.NoError(t, task.SavePlan(ctx, plan))
	require.NoError(t, task.SaveCheckpoint(ctx, "a", datasync.SplitProgress{Checkpoint: datasync.Checkpoint("10"), Done: true}))
	require.NoError(t, task.SaveCheckpoint(ctx, "b", datasync.SplitProgress{Checkpoint: datasync.Checkpoint("5")}))
	require.NoError(t, r.Close()) // as a killed run: no Finish

	r, err = s.Begin("job.json", id, state.BeginOptions{})
	require.NoError(t, err)
	assert.True(t, r.Resuming())
	got, ok, err := r.Task(0).SavedPlan(ctx)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, plan, got)
	p, ok, err := r.Task(0).LoadCheckpoint(ctx, "b")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, datasync.SplitProgress{Checkpoint: datasync.Checkpoint("5")}, p)
	assert.Equal(t, 2, r.State().Runs)
	done, planned := r.State().SplitsDone()
	assert.Equal(t, [2]int{1, 2}, [2]int{done, planned})
	require.NoError(t, r.Finish(nil))
	require.NoError(t, r.Close())

	r, err = s.Begin("job.json", id, state.BeginOptions{})
	require.NoError(t, err)
	defer r.Close()
	assert.False(t, r.Resuming(), "a finished job starts over")
	_, ok, err = r.Task(0).SavedPlan(ctx)
	require.NoError(t, err)
	assert.False(t, ok)
}

func TestTwoRunsOfOneJobAreRefused(t *testing.T) {
	s := openStore(t)
	r, err := s.Begin("job.json", []byte("x"), state.BeginOptions{})
	require.NoError(t, err)
	_, err = s.Begin("job.json", []byte("x"), state.BeginOptions{})
	require.ErrorIs(t, err, state.ErrLocked)
	assert.Contains(t, err.Error(), "pid ")
	require.ErrorIs(t, s.Clear("job.json"), state.ErrLocked)
	other, err := s.Begin("other.json", []byte("x"), state.BeginOptions{})
	require.NoError(t, err, "another job is not locked")
	require.NoError(t, other.Close())
	require.NoError(t, r.Close())
	r, err = s.Begin("job.json", []byte("x"), state.BeginOptions{})
	require.NoError(t, err, "the lock is released by Close")
	require.NoError(t, r.Close())
}

func TestAChangedJobRefusesToResumeUnlessFresh(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	r, err := s.Begin("job.json", []byte("v1"), state.BeginOptions{})
	require.NoError(t, err)
	require.NoError(t, r.Task(0).SavePlan(ctx, []datasync.Split{{ID: "a"}}))
	require.NoError(t, r.Finish(assert.AnError))
	require.NoError(t, r.Close())

	_, err = s.Begin("job.json", []byte("v2"), state.BeginOptions{})
	require.ErrorIs(t, err, state.ErrJobChanged)
	assert.Contains(t, err.Error(), "--fresh")

	r, err = s.Begin("job.json", []byte("v2"), state.BeginOptions{Fresh: true})
	require.NoError(t, err)
	defer r.Close()
	assert.False(t, r.Resuming())
	_, ok, err := r.Task(0).SavedPlan(ctx)
	require.NoError(t, err)
	assert.False(t, ok)
}

func TestListGetClear(t *testing.T) {
	s := openStore(t)
	for _, name := range []string{"b.json", "a.json"} {
		r, err := s.Begin(name, []byte(name), state.BeginOptions{})
		require.NoError(t, err)
		require.NoError(t, r.Finish(nil))
		require.NoError(t, r.Close())
	}
	jobs, err := s.List()
	require.NoError(t, err)
	require.Len(t, jobs, 2)
	assert.Equal(t, "a.json", jobs[0].Name)
	assert.Equal(t, state.StatusFinished, jobs[0].Status)
	require.NoError(t, s.Clear("a.json"))
	_, ok, err := s.Get("a.json")
	require.NoError(t, err)
	assert.False(t, ok)
	_, ok, err = s.Get("b.json")
	require.NoError(t, err)
	assert.True(t, ok)
}

func TestADamagedStateFileIsReportedWithItsPath(t *testing.T) {
	s := openStore(t)
	r, err := s.Begin("job.json", []byte("x"), state.BeginOptions{})
	require.NoError(t, err)
	require.NoError(t, r.Close())
	jobs, err := s.List()
	require.NoError(t, err)
	require.Len(t, jobs, 1)
	entries, err := os.ReadDir(s.Dir())
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(s.Dir(), entries[0].Name(), "state.json"), []byte("{"), 0o600))
	_, err = s.Begin("job.json", []byte("x"), state.BeginOptions{})
	require.ErrorContains(t, err, "state.json is damaged")
	r, err = s.Begin("job.json", []byte("x"), state.BeginOptions{Fresh: true})
	require.NoError(t, err)
	require.NoError(t, r.Close())
}
