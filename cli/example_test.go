package cli_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/datasync-go/datasync/cli"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/job/builtin"
)

// A program builds the datasync command over a registry of its own: here
// the built-in connectors only (a real program would register its own
// connectors too and call Main instead of Run).
func ExampleCommand() {
	registry := job.NewRegistry()
	builtin.Register(registry)
	command := &cli.Command{Name: "mysync", Registry: registry, Stdout: os.Stdout, Stderr: io.Discard}

	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "job.json")
	_ = os.WriteFile(path, []byte(`{"job": {"setting": {"speed": {"channel": 2}}, "content": [{
	  "reader": {"name": "streamreader", "parameter": {"column": [{"value": "hello", "type": "string"}], "sliceRecordCount": 3}},
	  "writer": {"name": "streamwriter", "parameter": {"print": false}}}]}}`), 0o644)

	code := command.Run(context.Background(), []string{"check", path})
	fmt.Println("check: exit code", code)
	code = command.Run(context.Background(), []string{"run", path, "--quiet"})
	fmt.Println("run: exit code", code)
	// Output:
	// task 0 (streamreader -> streamwriter): ok, 2 splits
	// check: exit code 0
	// run: exit code 0
}
