package cli

import (
	"flag"
	"strings"
)

// parseArgs parses a command's flags as parseInterspersed does; when the
// arguments ask for help (-h, -help, --help), the help goes to standard
// output, as "datasync --help" does, rather than to standard error with
// the usage mistakes.
func (e *env) parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	if helpRequested(args) {
		fs.SetOutput(e.stdout)
	}
	return parseInterspersed(fs, args)
}

// helpRequested reports whether args hold a help flag before "--".
func helpRequested(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && (name == "h" || name == "help") {
			return true
		}
	}
	return false
}
