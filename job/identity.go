package job

// Resolve returns the text of a job file as Parse reads it: with its
// variables and scheduling parameters substituted from o. Passed through
// Job.Redact, it is the job's identity for durable state (package state):
// the same for the same resolved job, different when the file, a variable
// or the run date changes what the job does.
func Resolve(data []byte, o Options) ([]byte, error) {
	return substitute(data, o.filler())
}
