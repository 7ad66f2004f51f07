package postgres

import (
	"bytes"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/source"
)

// TestSinkLogsItsNotices: the sink tells its Logger when it creates the
// table and when upserts merge without ON CONFLICT.
func TestSinkLogsItsNotices(t *testing.T) {
	forceMergeFallback = true
	t.Cleanup(func() { forceMergeFallback = false })
	db := newDB(t)
	var log bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&log, nil))
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "v", Kind: datasync.KindInt}}
	recs := []datasync.Record{{datasync.Int(1), datasync.Int(2)}}
	_, err := run(t, source.FromRecords(schema, recs), newSink(t, SinkConfig{DSN: db.dsn, Table: "made", CreateTable: true, Logger: logger}))
	require.NoError(t, err)
	assert.Contains(t, log.String(), `msg="created the target table" table=public.made`)

	db.exec(`CREATE TABLE t (id int PRIMARY KEY, v int)`)
	log.Reset()
	_, err = run(t, source.FromRecords(schema, recs), newSink(t, SinkConfig{DSN: db.dsn, Table: "t", WriteMode: WriteUpsert, Logger: logger}))
	require.NoError(t, err)
	assert.Contains(t, log.String(), "level=WARN")
	assert.Contains(t, log.String(), "upserts merge with an UPDATE and an INSERT")
}
