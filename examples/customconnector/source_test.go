package customconnector_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	_ "github.com/datasync-go/datasync/connector/stream"
	"github.com/datasync-go/datasync/examples/customconnector"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/job/builtin"
	"github.com/datasync-go/datasync/sink"
)

// ordersAPI serves three pages of ten orders; one line is garbage.
func ordersAPI(t *testing.T) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer s3cret-token" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		var page int
		fmt.Sscan(r.URL.Query().Get("page"), &page)
		for i := range 10 {
			id := (page-1)*10 + i + 1
			if id == 17 {
				fmt.Fprintln(w, `{"id": 17, "total": "twelve"}`)
				continue
			}
			fmt.Fprintf(w, `{"id": %d, "customer": "c%d", "total": "%d.50"}`+"\n", id, id%4, id)
		}
	}))
}

func TestFromGo(t *testing.T) {
	api := ordersAPI(t)
	defer api.Close()
	src, err := customconnector.NewSource(customconnector.Config{URL: api.URL, Pages: 3, Token: "s3cret-token"})
	require.NoError(t, err)
	dst := sink.Collect()
	var dirty []datasync.DirtyRecord
	p, err := datasync.NewPipeline(src, dst, datasync.WithDirtyPolicy(datasync.DirtyPolicy{
		MaxRecords: 1,
		Collector:  datasync.DirtyFunc(func(_ context.Context, d datasync.DirtyRecord) error { dirty = append(dirty, d); return nil }),
	}))
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(29), res.RecordsWritten)
	require.Len(t, dirty, 1)
	assert.Equal(t, "page-2", dirty[0].Split)
	assert.Equal(t, int64(7), dirty[0].Row, "line 7 of page 2")
	assert.Equal(t, "total", dirty[0].Column)
	assert.Len(t, dst.Split("page-3"), 10)
}

func TestFromAJobFile(t *testing.T) {
	api := ordersAPI(t)
	defer api.Close()
	registry := job.NewRegistry()
	builtin.Register(registry)
	customconnector.Register(registry)
	opts := job.Options{Registry: registry}
	j, err := job.Parse([]byte(`{"job": {
		"setting": {"errorLimit": {"record": 1}, "dirty": {"path": "`+t.TempDir()+`/dirty.jsonl"}},
		"content": [{
			"reader": {"name": "httpjson", "parameter": {"url": "`+api.URL+`", "pages": 3, "token": "s3cret-token"}},
			"writer": {"name": "streamwriter", "parameter": {"print": false}}
		}]}}`), opts)
	require.NoError(t, err)
	defer j.Close()
	assert.Equal(t, "token ******", j.Redact("token s3cret-token"), "the secret tag keeps the token out of output")
	pipelines, err := j.Pipelines()
	require.NoError(t, err)
	res, err := pipelines[0].Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(29), res.RecordsWritten)

	_, err = job.Parse([]byte(`{"job": {"content": [{
		"reader": {"name": "httpjson", "parameter": {"url": "x", "page": 3}},
		"writer": {"name": "streamwriter"}}]}}`), opts)
	assert.ErrorContains(t, err, `job.content[0].reader.parameter.page: unknown setting "page"; did you mean "pages"?`)
	assert.True(t, strings.Contains(err.Error(), "pages: missing required setting"))
}
