package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/cli"
)

func TestRunsAJobFileThatNamesTheCustomConnector(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer s3cret-token" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		var page int
		fmt.Sscan(r.URL.Query().Get("page"), &page)
		for i := range 5 {
			id := (page-1)*5 + i + 1
			fmt.Fprintf(w, `{"id": %d, "customer": "c%d", "total": "%d.50"}`+"\n", id, id, id)
		}
	}))
	defer api.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "job.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"job": {
	  "setting": {"speed": {"channel": 1}},
	  "content": [{
	    "reader": {"name": "httpjson", "parameter": {"url": "${api}", "pages": 2, "token": "s3cret-token"}},
	    "writer": {"name": "streamwriter", "parameter": {"print": false}}
	  }]}}`), 0o644))

	c := command()
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
	code := c.Run(context.Background(), []string{"run", path, "-p", "api=" + api.URL})
	require.Equal(t, cli.ExitOK, code, stderr.String())
	assert.Regexp(t, `Records written\s+:\s+10\n`, stderr.String())

	stderr.Reset()
	assert.Equal(t, cli.ExitInvalid, (&cli.Command{Stdout: &stdout, Stderr: &stderr}).Run(context.Background(), []string{"check", path, "-p", "api=x"}),
		"the plain datasync command has no httpjson")
	assert.Contains(t, stderr.String(), `no reader named "httpjson"`)
}
