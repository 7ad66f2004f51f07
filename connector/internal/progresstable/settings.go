// Package progresstable resolves the exactly-once settings the PostgreSQL
// and MySQL sinks share: whether a progress table is asked for, its name,
// and the job's identity in it. Each sink parses the name in its own
// dialect and keeps its own SQL.
package progresstable

import (
	"errors"
	"strings"
)

// DefaultName is the progress table's name when a config says "default".
const DefaultName = "datasync_progress"

// Settings returns the progress table's name (DefaultName for "default")
// and the job's identity (target, the sink's table, when job is blank);
// on is false when table is blank, exactly-once being off. A job given
// without a table is an error: it would silently do nothing.
func Settings(table, job, target string) (name, identity string, on bool, err error) {
	if strings.TrimSpace(table) == "" {
		if job != "" {
			return "", "", false, errors.New("progressJob is set but progressTable is not: set progressTable to turn exactly-once on")
		}
		return "", "", false, nil
	}
	name = table
	if strings.EqualFold(strings.TrimSpace(table), "default") {
		name = DefaultName
	}
	identity = job
	if strings.TrimSpace(identity) == "" {
		identity = target
	}
	return name, identity, true, nil
}
