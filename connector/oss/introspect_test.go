package oss_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/oss"
	"github.com/datasync-go/datasync/connector/text"
)

func TestIntrospectListsObjectsAndSamplesTheHeader(t *testing.T) {
	srv := newServer(t)
	srv.PutObject(bkt, "in/b.csv", []byte("id,name,city\n1,ann,Paris\n"))
	srv.PutObject(bkt, "in/a.csv", []byte("x,y\n1,2\n"))
	srv.PutObject(bkt, "other/c.csv", []byte("z\n"))
	cfg := sourceConfig(srv, true, "in/*")
	cfg.ReadOptions = text.ReadOptions{Format: text.Format{FileFormat: text.FormatCSV}, SkipHeader: true,
		Column: []text.ColumnSpec{text.ColumnNamed("id", datasync.KindInt)}}
	src, err := oss.NewSource(cfg)
	require.NoError(t, err)
	var in datasync.Introspector = src
	ctx := context.Background()

	schemas, err := in.Schemas(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{""}, schemas)
	tables, err := in.Tables(ctx, "")
	require.NoError(t, err)
	assert.Equal(t, []datasync.TableInfo{
		{Name: "in/a.csv", Type: datasync.TableTypeObject, Bytes: 8},
		{Name: "in/b.csv", Type: datasync.TableTypeObject, Bytes: 25},
	}, tables)

	cols, err := in.Columns(ctx, "", "in/b.csv")
	require.NoError(t, err)
	assert.Equal(t, []string{"id", "name", "city"}, cols.Names(), "every field, not the configured columns")
	for _, c := range cols {
		assert.Equal(t, datasync.KindString, c.Kind)
	}
	_, err = in.Columns(ctx, "", "other/c.csv")
	require.ErrorContains(t, err, `"other/c.csv" is not among`)
	_, err = in.Tables(ctx, "s")
	require.Error(t, err)
}
