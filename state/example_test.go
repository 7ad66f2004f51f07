package state_test

import (
	"context"
	"fmt"
	"os"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/source"
	"github.com/datasync-go/datasync/state"
)

// A job run with a local state: run again after a crash, it resumes with the
// interrupted run's plan, skips the splits that finished and restarts the
// others from their last checkpoint.
func ExampleStore_Begin() {
	dir, _ := os.MkdirTemp("", "state")
	defer os.RemoveAll(dir)
	store, err := state.Open(dir)
	if err != nil {
		panic(err)
	}
	// The name finds the state again; the identity (the job without
	// secrets) tells whether the job changed since.
	run, err := store.Begin("orders-to-warehouse", []byte(`{"from":"orders","to":"warehouse"}`), state.BeginOptions{})
	if err != nil {
		panic(err) // state.ErrLocked: running already; state.ErrJobChanged: use Fresh
	}
	defer run.Close()

	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt}}
	src := source.Generate(schema, 1000, func(i int64, r datasync.Record) error {
		r[0] = datasync.Int(i)
		return nil
	}, source.Splits(4))
	p, err := datasync.NewPipeline(src, sink.Collect(), datasync.WithCheckpointStore(run.Task(0)))
	if err != nil {
		panic(err)
	}
	res, err := p.Run(context.Background())
	if ferr := run.Finish(err); ferr != nil { // success: the next run starts over
		panic(ferr)
	}
	fmt.Println(res.RecordsWritten, err, run.Resuming())
	st, _, _ := store.Get("orders-to-warehouse")
	fmt.Println(st.Status)
	// Output:
	// 1000 <nil> false
	// finished
}
