//go:build unix

package file_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/connector/file"
	"github.com/datasync-go/datasync/source"
)

func TestFilesGetTheUsualPermissions(t *testing.T) {
	dir := t.TempDir()
	dst, err := file.NewSink(file.SinkConfig{Path: dir, FileName: "p"})
	require.NoError(t, err)
	_, err = run(t, source.FromRecords(idName, idNameRows(0, 3), source.Splits(1)), dst)
	require.NoError(t, err)
	info, err := os.Stat(filepath.Join(dir, "p_records-0.csv"))
	require.NoError(t, err)
	umask := syscall.Umask(0)
	syscall.Umask(umask)
	assert.Equal(t, os.FileMode(0o666&^umask), info.Mode().Perm())
}
