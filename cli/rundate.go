package cli

import (
	"fmt"
	"time"
)

// runDate is the --run-date flag: the scheduled time of the run, in the
// local time zone, as DataWorks' scheduling parameters see it.
type runDate struct {
	t time.Time
}

// runDateLayouts are the forms --run-date accepts.
var runDateLayouts = []string{"2006-01-02", "2006-01-02 15:04:05", "2006-01-02T15:04:05", "20060102"}

func (d *runDate) String() string {
	if d.t.IsZero() {
		return ""
	}
	return d.t.Format("2006-01-02 15:04:05")
}

func (d *runDate) Set(s string) error {
	for _, layout := range runDateLayouts {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			d.t = t
			return nil
		}
	}
	return fmt.Errorf("want a date such as 2026-11-25 (or 2026-11-25 02:00:00), got %q", s)
}
