package file

import (
	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector"
)

// Importing the package registers "file" and DataX's "txtfilereader" and
// "txtfilewriter" for job files.
func init() {
	source := connector.SourceFunc(func(c *SourceConfig) (datasync.Source, error) { return NewSource(*c) })
	sink := connector.SinkFunc(func(c *SinkConfig) (datasync.Sink, error) { return NewSink(*c) })
	connector.Register("file", connector.Connector{Source: source, Sink: sink})
	connector.Register("txtfilereader", connector.Connector{Source: source})
	connector.Register("txtfilewriter", connector.Connector{Sink: sink})
}
