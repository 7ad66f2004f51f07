package cli

import (
	"errors"
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
)

const versionHelp = `Usage: datasync version

Prints the version of datasync (the module version when it was installed
with go install ...@version), the commit it was built from when known, and
the Go version. A program built on datasync's cli package prints its own
version and the datasync library's.

Example:
  datasync version
`

func (e *env) versionCommand(args []string) int {
	fs := e.newFlagSet("version", versionHelp)
	if _, err := e.parseArgs(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitInvalid
	}
	fmt.Fprintln(e.stdout, versionString(e.name, e.version))
	return ExitOK
}

// versionString is "name version [commit c] go-version os/arch", with the
// datasync module's version added when the program is not datasync itself.
func versionString(name, version string) string {
	commit, library := "", ""
	if info, ok := debug.ReadBuildInfo(); ok {
		if version == "" {
			version = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				commit = " commit " + s.Value[:12]
			}
		}
		for _, d := range info.Deps {
			if d.Path == modulePath {
				library = " (datasync " + d.Version + ")"
			}
		}
	}
	if version == "" {
		version = "(devel)"
	}
	return fmt.Sprintf("%s %s%s%s %s %s/%s", name, version, commit, library, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// modulePath is datasync's module, looked up among a program's
// dependencies for its version.
const modulePath = "github.com/datasync-go/datasync"
