package oss

import (
	"encoding/json"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector"
)

// jobSourceParams is the reader's parameter object in a job file: DataX's
// ossreader parameters. csvReaderConfig (the tuning of DataX's Java CSV
// reader) is accepted and ignored: this reader needs no such switches.
type jobSourceParams struct {
	SourceConfig
	CSVReaderConfig json.RawMessage `json:"csvReaderConfig"`
}

// Importing the package registers "oss" and DataX's "ossreader" and
// "osswriter" for job files.
func init() {
	source := connector.SourceFunc(func(p *jobSourceParams) (datasync.Source, error) { return NewSource(p.SourceConfig) })
	sink := connector.SinkFunc(func(c *SinkConfig) (datasync.Sink, error) { return NewSink(*c) })
	connector.Register("oss", connector.Connector{Source: source, Sink: sink})
	connector.Register("ossreader", connector.Connector{Source: source})
	connector.Register("osswriter", connector.Connector{Sink: sink})
}
