package cli

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
)

// logFlags are run's logging flags: -v, --quiet and --log-format.
type logFlags struct {
	verbose, quiet bool
	format         string
}

func addLogFlags(fs *flag.FlagSet) *logFlags {
	f := &logFlags{}
	fs.BoolVar(&f.quiet, "quiet", false, "show no progress and log only warnings and errors; the report is still printed")
	fs.BoolVar(&f.verbose, "v", false, "log more: debug lines with the plan, split boundaries, connection setup, retries and flushes")
	fs.StringVar(&f.format, "log-format", "text", "log lines as `text` (key=value) or json (one JSON object per line)")
	return f
}

// level is the lowest level logged.
func (f *logFlags) level() slog.Level {
	switch {
	case f.verbose:
		return slog.LevelDebug
	case f.quiet:
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

// check reports flags that do not go together.
func (f *logFlags) check() error {
	if f.verbose && f.quiet {
		return fmt.Errorf("-v and --quiet contradict each other: give one")
	}
	if f.format != "text" && f.format != "json" {
		return fmt.Errorf("--log-format %q: want text or json", f.format)
	}
	return nil
}

// logger returns the logger the flags ask for, writing to w.
func (f *logFlags) logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: f.level()}
	if f.format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// newLogger logs text lines to w, at debug level when verbose.
func newLogger(w io.Writer, verbose bool) *slog.Logger {
	return (&logFlags{verbose: verbose, format: "text"}).logger(w)
}
