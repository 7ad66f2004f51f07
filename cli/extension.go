package cli

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Extension is a command a program adds to the command line through
// Command.Commands, such as the Temporal module's "temporal worker" and
// "temporal run".
type Extension struct {
	// Summary is the one line the usage text shows beside the name.
	Summary string
	// Run runs the command with the arguments after its name and returns
	// the exit code (ExitOK, ExitFailed, ExitInvalid, ExitDirty).
	Run func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// extensionUsage lists the extra commands for the usage text.
func (c *Command) extensionUsage() string {
	if len(c.Commands) == 0 {
		return ""
	}
	names := make([]string, 0, len(c.Commands))
	for n := range c.Commands {
		names = append(names, n)
	}
	slices.Sort(names)
	var b strings.Builder
	b.WriteString("\nMore commands:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-11s %s\n", n, c.Commands[n].Summary)
	}
	return b.String()
}
