package main

// The connectors a job file can name: the built-in ones, registered in
// job.DefaultRegistry when job/builtin is imported.
import _ "github.com/datasync-go/datasync/job/builtin"
