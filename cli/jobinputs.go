package cli

import (
	"fmt"

	"github.com/datasync-go/datasync/job"
)

// jobInputs are what a job file is read with, from the shared flags.
type jobInputs struct {
	vars    params
	catalog *catalogFlag
	runDate runDate
}

// options returns the job.Options of the flags. The catalog is read here
// only when --datasources names one (which must exist); otherwise the job
// reads the default catalog if, and only if, it names a data source.
func (in *jobInputs) options(registry *job.Registry) (job.Options, error) {
	o := job.Options{Registry: registry, Vars: in.vars, RunDate: in.runDate.t}
	if in.catalog.path != "" {
		cat, err := in.catalog.load(false)
		if err != nil {
			return o, &job.InvalidError{Problems: []error{fmt.Errorf("--datasources: %w", err)}}
		}
		o.DataSources = cat
	}
	return o, nil
}
