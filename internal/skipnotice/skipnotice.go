// Package skipnotice makes skipped database and service tests visible in
// a plain "go test ./...", which shows nothing but "ok" for a package
// whose tests passed or skipped: the first skip of a test binary (one per
// package) writes one line straight to the terminal (/dev/tty), naming the
// package, why its tests were skipped and how to run them. Without a
// terminal (CI, where DATASYNC_TEST_REQUIRE_DB=1 fails instead of
// skipping) nothing is written; "go test -v" shows the skip messages as
// usual.
package skipnotice

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
)

var once sync.Once

// terminal opens the terminal, or fails; a variable for the tests.
var terminal = func() (io.WriteCloser, error) { return os.OpenFile("/dev/tty", os.O_WRONLY, 0) }

// Note writes, once per process, a line saying that tests of this package
// are skipped because reason, and how to run them.
func Note(reason, howToRun string) {
	once.Do(func() {
		tty, err := terminal()
		if err != nil {
			return
		}
		defer tty.Close()
		fmt.Fprintln(tty, Line(packageName(), reason, howToRun))
	})
}

// Line is the notice for package pkg.
func Line(pkg, reason, howToRun string) string {
	return fmt.Sprintf("skip  \t%s\tsome tests skipped: %s; to run them, %s", pkg, reason, howToRun)
}

// packageName is the package under test: the test binary's main package
// path less ".test", or the binary's name.
func packageName() string {
	if info, ok := debug.ReadBuildInfo(); ok && strings.HasSuffix(info.Path, ".test") {
		return strings.TrimSuffix(info.Path, ".test")
	}
	return strings.TrimSuffix(filepath.Base(os.Args[0]), ".test")
}
