package datax

import (
	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/stream"
	"github.com/datasync-go/datasync/job"
)

// registerStream registers DataX's "streamreader" and "streamwriter". Their
// parameter objects are the connector's own configs.
func registerStream(r *job.Registry) {
	r.Register("streamreader", job.Connector{Source: job.SourceFunc(func(c *stream.SourceConfig) (datasync.Source, error) { return stream.NewSource(*c) })})
	r.Register("streamwriter", job.Connector{Sink: job.SinkFunc(func(c *stream.SinkConfig) (datasync.Sink, error) { return stream.NewSink(*c) })})
}
