package incremental

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
)

func TestBack(t *testing.T) {
	intCol := datasync.Column{Name: "id", Kind: datasync.KindInt}
	decCol := datasync.Column{Name: "d", Kind: datasync.KindDecimal}
	tsCol := datasync.Column{Name: "ts", Kind: datasync.KindTimestamp}
	dateCol := datasync.Column{Name: "day", Kind: datasync.KindDate}
	for _, c := range []struct {
		mark string
		col  datasync.Column
		inc  datasync.Incremental
		want string
	}{
		{"100", intCol, datasync.Incremental{}, "100"},
		{"100", intCol, datasync.Incremental{LookbackUnits: 30}, "70"},
		{"12.50", decCol, datasync.Incremental{LookbackUnits: 20}, "-7.50"},
		{"2026-01-02T03:04:05.123456+00:00", tsCol, datasync.Incremental{Lookback: time.Hour}, "2026-01-02T02:04:05.123456+00:00"},
		{"2026-01-02T03:04:05", tsCol, datasync.Incremental{Lookback: 5 * time.Second}, "2026-01-02T03:04:00.000000"},
		{"2026-01-02 00:00:00.5", tsCol, datasync.Incremental{Lookback: time.Second}, "2026-01-01 23:59:59.500000"},
		{"2026-03-01", dateCol, datasync.Incremental{Lookback: 48 * time.Hour}, "2026-02-27"},
	} {
		got, err := Back(c.mark, c.col, c.inc)
		require.NoError(t, err, c.mark)
		assert.Equal(t, c.want, got, c.mark)
	}
	_, err := Back("1", intCol, datasync.Incremental{Lookback: time.Hour})
	assert.ErrorContains(t, err, "lookbackUnits")
	_, err = Back("2026-01-01", dateCol, datasync.Incremental{Lookback: time.Hour})
	assert.ErrorContains(t, err, "whole days")
	_, err = Back("x", datasync.Column{Name: "b", Kind: datasync.KindBytes}, datasync.Incremental{})
	assert.ErrorContains(t, err, "kind")
}
