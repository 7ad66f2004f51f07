package datax

import (
	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/oss"
	"github.com/datasync-go/datasync/job"
)

// registerOSS registers DataX's "ossreader" and "osswriter". Their parameter
// objects are the connector's own configs.
func registerOSS(r *job.Registry) {
	r.Register("ossreader", job.Connector{Source: job.SourceFunc(func(c *oss.SourceConfig) (datasync.Source, error) { return oss.NewSource(*c) })})
	r.Register("osswriter", job.Connector{Sink: job.SinkFunc(func(c *oss.SinkConfig) (datasync.Sink, error) { return oss.NewSink(*c) })})
}
