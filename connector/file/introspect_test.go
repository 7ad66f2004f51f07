package file_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/file"
	"github.com/datasync-go/datasync/connector/text"
)

func TestIntrospectListsFilesAndSamplesTheHeader(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "b.txt"), []byte("id\tname\n1\tann\n"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte("1\t2\t3\n"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "skip.csv"), []byte("q\n"), 0o600))
	src, err := file.NewSource(file.SourceConfig{Path: []string{filepath.Join(dir, "*.txt")},
		ReadOptions: text.ReadOptions{Format: text.Format{FieldDelimiter: "\t"}}})
	require.NoError(t, err)
	var in datasync.Introspector = src
	ctx := context.Background()

	tables, err := in.Tables(ctx, "")
	require.NoError(t, err)
	assert.Equal(t, []datasync.TableInfo{
		{Name: filepath.Join(dir, "a.txt"), Type: datasync.TableTypeObject, Bytes: 6},
		{Name: filepath.Join(dir, "b.txt"), Type: datasync.TableTypeObject, Bytes: 14},
	}, tables)
	cols, err := in.Columns(ctx, "", filepath.Join(dir, "a.txt"))
	require.NoError(t, err)
	assert.Equal(t, []string{"col0", "col1", "col2"}, cols.Names(), "no header: named by position")

	withHeader, err := file.NewSource(file.SourceConfig{Path: []string{filepath.Join(dir, "*.txt")},
		ReadOptions: text.ReadOptions{Format: text.Format{FieldDelimiter: "\t"}, SkipHeader: true}})
	require.NoError(t, err)
	cols, err = withHeader.Columns(ctx, "", filepath.Join(dir, "b.txt"))
	require.NoError(t, err)
	assert.Equal(t, []string{"id", "name"}, cols.Names())
	assert.Equal(t, datasync.KindString, cols[0].Kind)

	_, err = in.Columns(ctx, "", filepath.Join(dir, "skip.csv"))
	require.ErrorContains(t, err, "is not among the files")
}
