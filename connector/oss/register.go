package oss

import (
	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector"
)

// Importing the package registers "oss" and DataX's "ossreader" and
// "osswriter" for job files.
func init() {
	source := connector.SourceFunc(func(c *SourceConfig) (datasync.Source, error) { return NewSource(*c) })
	sink := connector.SinkFunc(func(c *SinkConfig) (datasync.Sink, error) { return NewSink(*c) })
	connector.Register("oss", connector.Connector{Source: source, Sink: sink})
	connector.Register("ossreader", connector.Connector{Source: source})
	connector.Register("osswriter", connector.Connector{Sink: sink})
}
