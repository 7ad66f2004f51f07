package datax

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/job"
)

// IncrementalParams are datasync's settings for incremental sync, beside
// DataX's in the parameter of mysqlreader and postgresqlreader (and of a
// DataWorks script's mysql and postgresql reader steps):
//
//	"incrementalColumn": "updated_at",  the column past whose mark each run reads
//	"incrementalLookback": "10m"        a duration for date and time columns,
//	                                    or a whole number for numeric ones
//
// The marks are kept by `datasync run` in its state directory (see package
// state); each run copies the rows past the mark of the last successful
// run.
type IncrementalParams struct {
	IncrementalColumn   string `json:"incrementalColumn"`
	IncrementalLookback string `json:"incrementalLookback"`
}

// Incremental returns the settings as datasync.Incremental.
func (p IncrementalParams) Incremental() (datasync.Incremental, error) {
	inc := datasync.Incremental{Column: strings.TrimSpace(p.IncrementalColumn)}
	lb := strings.TrimSpace(p.IncrementalLookback)
	if lb == "" {
		return inc, nil
	}
	if inc.Column == "" {
		return inc, &job.ParamError{Path: "incrementalLookback", Err: errors.New("set incrementalColumn too: a lookback is of the incremental column")}
	}
	if n, err := strconv.ParseInt(lb, 10, 64); err == nil && n >= 0 {
		inc.LookbackUnits = n
		return inc, nil
	}
	d, err := time.ParseDuration(lb)
	if err != nil || d < 0 {
		return inc, &job.ParamError{Path: "incrementalLookback", Err: errors.New(strconv.Quote(lb) + " is neither a duration such as \"10m\" or \"36h\" nor a whole number")}
	}
	inc.Lookback = d
	return inc, nil
}

// AtomicRefreshParams is datasync's setting for atomic full refresh, beside
// DataX's in the parameter of mysqlwriter and postgresqlwriter:
//
//	"atomicRefresh": true   load a staging table and swap it in at the end
type AtomicRefreshParams struct {
	AtomicRefresh bool `json:"atomicRefresh"`
}
