package progresstable

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSettings(t *testing.T) {
	name, job, on, err := Settings(" Default ", "", "public.orders")
	require.NoError(t, err)
	assert.Equal(t, [3]any{DefaultName, "public.orders", true}, [3]any{name, job, on})

	name, job, on, err = Settings("ops.progress", "nightly", "orders")
	require.NoError(t, err)
	assert.Equal(t, [3]any{"ops.progress", "nightly", true}, [3]any{name, job, on})

	_, _, on, err = Settings("  ", "", "orders")
	require.NoError(t, err)
	assert.False(t, on)

	_, _, _, err = Settings("", "nightly", "orders")
	assert.ErrorContains(t, err, "progressJob is set but progressTable is not")
}
