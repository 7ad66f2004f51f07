package oss_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/oss"
	"github.com/datasync-go/datasync/source"
)

// NameRandom keys objects as DataX's osswriter does; the default keeps the
// split ID in the key.
func TestNaming(t *testing.T) {
	srv := newServer(t)
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt}}
	rows := []datasync.Record{{datasync.Int(1)}, {datasync.Int(2)}}

	cfg := sinkConfig(srv, false, "dx/out")
	cfg.Naming, cfg.Suffix = oss.NameRandom, "none"
	dst, err := oss.NewSink(cfg)
	require.NoError(t, err)
	_, err = run(t, source.FromRecords(schema, rows, source.Splits(1)), dst)
	require.NoError(t, err)
	keys := srv.Keys(bkt, "dx/")
	require.Len(t, keys, 1)
	assert.Regexp(t, `^dx/out__[0-9a-f]{32}$`, keys[0])

	dst, err = oss.NewSink(sinkConfig(srv, false, "go/out"))
	require.NoError(t, err)
	_, err = run(t, source.FromRecords(schema, rows, source.Splits(1)), dst)
	require.NoError(t, err)
	keys = srv.Keys(bkt, "go/")
	require.Len(t, keys, 1)
	assert.Regexp(t, `^go/out_.+\.csv$`, keys[0], "the Go API's default keys are unchanged")

	cfg.Naming = "uuid"
	_, err = oss.NewSink(cfg)
	assert.ErrorContains(t, err, `naming "uuid" is not "bySplit" or "random"`)
}
