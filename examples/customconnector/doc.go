// Package customconnector shows how to write a connector of your own and
// make it available to job files: a Source that reads records from a paged
// HTTP API returning JSON lines, registered as "httpjson".
//
// The pieces, in the order to write them:
//
//   - a config struct whose json tags are the job file's parameter names
//     (Config), with `datasync:"required"` and `datasync:"secret"` tags so
//     that job files are validated and secrets never shown;
//   - the Source: Schema, Plan (one split per page, so pages load in
//     parallel) and Open;
//   - the Reader: Read fills a batch and reports lines it cannot decode as
//     dirty rows; Checkpoint says where a retried split resumes;
//   - the registration, Register, which adds "httpjson" to a job.Registry
//     (a program's own, or job.DefaultRegistry) so that job files read with
//     that registry can name it.
//
// Its cmd/datasync-httpjson is the datasync command with "httpjson" added,
// built from package cli in a few lines.
//
// Its test serves an API with net/http/httptest and runs the connector both
// from Go and from a job file.
package customconnector
