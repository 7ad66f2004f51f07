package file_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/file"
	"github.com/datasync-go/datasync/source"
)

// NameRandom names files as DataX's txtfilewriter does; the default keeps
// the split ID in the name.
func TestNaming(t *testing.T) {
	dir := t.TempDir()
	src := source.FromRecords(idName, idNameRows(0, 10), source.Splits(1))
	dst, err := file.NewSink(file.SinkConfig{Path: dir, FileName: "dx", Naming: file.NameRandom, Suffix: "none"})
	require.NoError(t, err)
	_, err = run(t, src, dst, datasync.WithParallelism(1))
	require.NoError(t, err)
	names, _ := filepath.Glob(filepath.Join(dir, "dx*"))
	require.Len(t, names, 1)
	assert.Regexp(t, `^dx__[0-9a-f]{8}_[0-9a-f]{4}_4[0-9a-f]{3}_[89ab][0-9a-f]{3}_[0-9a-f]{12}$`, filepath.Base(names[0]))

	dir = t.TempDir()
	dst, err = file.NewSink(file.SinkConfig{Path: dir, FileName: "go"})
	require.NoError(t, err)
	_, err = run(t, source.FromRecords(idName, idNameRows(0, 10), source.Splits(1)), dst, datasync.WithParallelism(1))
	require.NoError(t, err)
	names, _ = filepath.Glob(filepath.Join(dir, "go*"))
	require.Len(t, names, 1)
	assert.Regexp(t, `^go_.+\.csv$`, filepath.Base(names[0]), "the Go API's default names are unchanged")

	_, err = file.NewSink(file.SinkConfig{Path: dir, FileName: "x", Naming: "uuid"})
	assert.ErrorContains(t, err, `naming "uuid" is not "bySplit" or "random"`)
}
