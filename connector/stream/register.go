package stream

import (
	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector"
)

func init() {
	source := connector.SourceFunc(func(p *SourceConfig) (datasync.Source, error) { return NewSource(*p) })
	sink := connector.SinkFunc(func(p *SinkConfig) (datasync.Sink, error) { return NewSink(*p) })
	connector.Register("streamreader", connector.Connector{Source: source})
	connector.Register("streamwriter", connector.Connector{Sink: sink})
	connector.Register("memory", connector.Connector{Source: source, Sink: sink})
}
