package temporal

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"go.temporal.io/sdk/temporal"

	"github.com/datasync-go/datasync"
)

// The workflow applies a job's dirty policy to the sums as
// datasync.DirtyPolicy says.
func TestDirtyPolicyOverTheWholeJob(t *testing.T) {
	for _, c := range []struct {
		name                  string
		s                     TaskSettings
		dirty, read, expected int64
		final, over, byRate   bool
	}{
		{"none allowed, none found", TaskSettings{}, 0, 100, 0, false, false, false},
		{"none allowed, one found", TaskSettings{}, 1, 100, 0, false, true, false},
		{"count: at the limit", TaskSettings{MaxDirty: 5}, 5, 100, 0, false, false, false},
		{"count: past the limit", TaskSettings{MaxDirty: 5}, 6, 100, 0, false, true, false},
		{"ratio only, early: over 1000 at least", TaskSettings{MaxDirty: -1, MaxRatio: 0.01}, 5, 10, 0, false, false, false},
		{"ratio only, early: over the estimate", TaskSettings{MaxDirty: -1, MaxRatio: 0.01}, 50, 100, 10_000, false, false, false},
		{"ratio only, final: exact", TaskSettings{MaxDirty: -1, MaxRatio: 0.01}, 5, 10, 10_000, true, true, true},
		{"count and ratio: count passed", TaskSettings{MaxDirty: 3, MaxRatio: 0.5}, 4, 100, 0, false, true, false},
		{"no limit", TaskSettings{MaxDirty: -1}, 1e6, 1e6, 0, true, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			over, byRate := c.s.over(c.dirty, c.read, c.expected, c.final)
			assert.Equal(t, c.over, over)
			assert.Equal(t, c.byRate, byRate)
		})
	}
}

// A dirty-limit failure is found however the workflow wrapped it.
func TestJobErrorFindsTheDirtyLimitThroughWrapping(t *testing.T) {
	app := temporal.NewNonRetryableApplicationError("over", ErrTypeDirtyLimit, nil, DirtyLimitDetails{Dirty: 7, MaxRecords: 5})
	for _, err := range []error{app, fmt.Errorf("task 0: %w", app), errors.Join(fmt.Errorf("x: %w", app), errors.New("abort failed"))} {
		got := JobError(err)
		assert.ErrorIs(t, got, datasync.ErrDirtyLimit)
		var d *DirtyLimitError
		if assert.ErrorAs(t, got, &d) {
			assert.Equal(t, int64(7), d.Dirty)
			assert.Equal(t, int64(5), d.MaxRecords)
		}
	}
	other := errors.New("boom")
	assert.Equal(t, other, JobError(other))
	assert.Equal(t, 1, exitCode(other))
	assert.Equal(t, 2, exitCode(fmt.Errorf("w: %w", temporal.NewNonRetryableApplicationError("bad", ErrTypeInvalidJob, nil))))
}
