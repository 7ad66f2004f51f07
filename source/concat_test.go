package source_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/source"
)

func TestConcatReadsEverySourceOnce(t *testing.T) {
	shard := func(from, n int) ds.Source {
		recs := make([]ds.Record, n)
		for i := range recs {
			recs[i] = ds.Record{ds.Int(int64(from + i)), ds.String("x")}
		}
		return source.FromRecords(schema, recs, source.Splits(3))
	}
	src := source.Concat(shard(0, 100), shard(100, 50), shard(150, 0))
	dst, res, err := run(t, src, ds.WithParallelism(4))
	require.NoError(t, err)
	assert.Equal(t, seq(150), sortedIDs(dst.Records()))
	assert.Len(t, res.Splits, 7)

	splits, err := src.Plan(context.Background(), ds.PlanHint{Parallelism: 1})
	require.NoError(t, err)
	assert.Equal(t, "1/records-2", splits[5].ID)
	raw, _ := json.Marshal(splits[5])
	var back ds.Split
	require.NoError(t, json.Unmarshal(raw, &back))
	r, err := src.Open(context.Background(), back, nil)
	require.NoError(t, err, "a split that went through JSON opens")
	require.NoError(t, r.Close())
	_, err = src.Open(context.Background(), ds.Split{ID: "9/records-0"}, nil)
	assert.ErrorContains(t, err, "was not planned by this source")
}

func TestConcatChecksTheSchemasMatch(t *testing.T) {
	other := ds.Schema{{Name: "id", Kind: ds.KindInt}, {Name: "name", Kind: ds.KindInt}}
	src := source.Concat(source.FromRecords(schema, nil), source.FromRecords(other, nil))
	_, err := src.Schema(context.Background())
	assert.ErrorContains(t, err, "source 1 does not match source 0: column 1 is name Int instead of name String")
	_, err = source.Concat().Schema(context.Background())
	assert.Error(t, err)
}
