package datasync_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/encoded"
	"github.com/datasync-go/datasync/sink"
)

// toySource produces rows "id|name" in the "toy" encoding when it is
// offered, and values otherwise.
type toySource struct{ n int }

func (s toySource) Schema(context.Context) (ds.Schema, error) { return idName, nil }
func (s toySource) Plan(context.Context, ds.PlanHint) ([]ds.Split, error) {
	return []ds.Split{{ID: "toy"}}, nil
}
func (s toySource) Open(context.Context, ds.Split, ds.Checkpoint) (ds.Reader, error) {
	return &toyReader{n: s.n}, nil
}

type toyReader struct{ next, n int }

func decodeToy(row []byte, dst ds.Record, b *ds.Batch) error {
	id, name, ok := bytes.Cut(row, []byte("|"))
	if !ok {
		return errors.New("no separator")
	}
	n, err := strconv.ParseInt(string(id), 10, 64)
	dst[0], dst[1] = ds.Int(n), b.CopyString(name)
	return err
}

func (r *toyReader) Read(_ context.Context, b *ds.Batch) error {
	asEncoded := encoded.Offered(b) == "toy"
	for r.next < r.n && !b.Full() {
		row := []byte(strconv.Itoa(r.next) + "|name")
		if asEncoded {
			encoded.Append(b, row, 12, decodeToy)
		} else {
			_ = decodeToy(row, b.Append(), b)
		}
		r.next++
	}
	if r.next == r.n {
		return io.EOF
	}
	return nil
}
func (r *toyReader) Checkpoint() ds.Checkpoint { return ds.Checkpoint(strconv.Itoa(r.next)) }
func (r *toyReader) Close() error              { return nil }

// toySink accepts the toy encoding, and rejects row 13 in either form.
type toySink struct {
	accept string
	mu     sync.Mutex
	raw    int
	values int
}

func (s *toySink) Prepare(context.Context, ds.Schema) error { return nil }
func (s *toySink) Open(context.Context, ds.Split) (ds.Writer, error) {
	return &toyWriter{s: s}, nil
}

type toyWriter struct{ s *toySink }

func (w *toyWriter) AcceptedEncoding() string { return w.s.accept }
func (w *toyWriter) Write(_ context.Context, b *ds.Batch) error {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	var rejected []*ds.RowError
	for i := range b.Len() {
		var is13 bool
		if encoded.Of(b) == "toy" {
			w.s.raw++
			is13 = bytes.HasPrefix(encoded.Row(b, i), []byte("13|"))
		} else {
			w.s.values++
			id, _ := b.Row(i)[0].AsInt()
			is13 = id == 13
		}
		if is13 {
			rejected = append(rejected, &ds.RowError{Row: int64(i), Column: "id", Err: errors.New("unlucky")})
		}
	}
	if len(rejected) > 0 {
		return &ds.RowErrors{Errors: rejected}
	}
	return nil
}
func (w *toyWriter) Flush(context.Context) error { return nil }
func (w *toyWriter) Close() error                { return nil }

func TestEncodedRowsPassThroughWhenBothSidesAgree(t *testing.T) {
	for _, c := range []struct {
		accept          string
		wantRaw, values int
	}{{"toy", 100, 0}, {"other", 0, 100}, {"", 0, 100}} {
		t.Run(c.accept, func(t *testing.T) {
			dst := &toySink{accept: c.accept}
			var dirty []ds.DirtyRecord
			p, err := ds.NewPipeline(toySource{n: 100}, dst, ds.WithBatchSize(30, 1<<20),
				ds.WithDirtyPolicy(ds.DirtyPolicy{MaxRecords: 1, Collector: ds.DirtyFunc(func(_ context.Context, d ds.DirtyRecord) error {
					dirty = append(dirty, d)
					return nil
				})}))
			require.NoError(t, err)
			res, err := p.Run(context.Background())
			require.NoError(t, err)
			assert.Equal(t, c.wantRaw, dst.raw)
			assert.Equal(t, c.values, dst.values)
			assert.Equal(t, int64(99), res.RecordsWritten)
			require.Len(t, dirty, 1)
			assert.Equal(t, "(13, name)", dirty[0].Record.String(), "an encoded row is decoded for the collector")
			assert.Equal(t, "13", dirty[0].Value)
		})
	}
}

func TestEncodedBatchesCountTheirBytes(t *testing.T) {
	dst := sink.Discard()
	p, err := ds.NewPipeline(toySource{n: 10}, dst)
	require.NoError(t, err)
	_, err = p.Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(10*12), dst.Bytes(), "value batches: 8 for the id, 4 for the name")

	b := ds.NewBatch(idName, 10, 1<<20)
	assert.Panics(t, func() { encoded.Append(b, []byte("1|x"), 9, decodeToy) }, "no encoding was offered")
}
