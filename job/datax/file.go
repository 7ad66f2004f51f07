package datax

import (
	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/file"
	"github.com/datasync-go/datasync/job"
)

// registerFile registers DataX's "txtfilereader" and "txtfilewriter". Their parameter
// objects are the connector's own configs.
func registerFile(r *job.Registry) {
	r.Register("txtfilereader", job.Connector{Source: job.SourceFunc(func(c *file.SourceConfig) (datasync.Source, error) { return file.NewSource(*c) })})
	r.Register("txtfilewriter", job.Connector{Sink: job.SinkFunc(func(c *file.SinkConfig) (datasync.Sink, error) { return file.NewSink(*c) })})
}
