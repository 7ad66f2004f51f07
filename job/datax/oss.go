package datax

import (
	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/oss"
	"github.com/datasync-go/datasync/job"
)

// ossReaderParams is ossreader's parameter object: the connector's own
// config, and "datasource" naming an OSS data source in place of the
// endpoint and credentials.
type ossReaderParams struct {
	oss.SourceConfig
	Datasource string `json:"datasource"`
}

// ossWriterParams is osswriter's parameter object: the connector's own
// config, and "datasource" naming an OSS data source in place of the
// endpoint and credentials.
type ossWriterParams struct {
	oss.SinkConfig
	Datasource string `json:"datasource"`
}

// ResolveDataSources fills the endpoint, credentials, region and bucket
// from the data source named, if any (the bucket and region given here
// win).
func (p *ossReaderParams) ResolveDataSources(lookup job.DataSourceLookup) error {
	c := &p.SourceConfig
	return useOSSDataSource(p.Datasource, lookup, ossConnection{&c.Endpoint, &c.Bucket, &c.Region, &c.AccessID, &c.AccessKey, &c.SecurityToken})
}

// ResolveDataSources fills the endpoint, credentials, region and bucket
// from the data source named, if any (the bucket and region given here
// win).
func (p *ossWriterParams) ResolveDataSources(lookup job.DataSourceLookup) error {
	c := &p.SinkConfig
	return useOSSDataSource(p.Datasource, lookup, ossConnection{&c.Endpoint, &c.Bucket, &c.Region, &c.AccessID, &c.AccessKey, &c.SecurityToken})
}

// registerOSS registers DataX's "ossreader" and "osswriter". Their
// parameter objects are the connector's own configs, with "datasource".
func registerOSS(r *job.Registry) {
	r.Register("ossreader", job.Connector{Source: job.SourceFunc(func(p *ossReaderParams) (datasync.Source, error) { return oss.NewSource(p.SourceConfig) })})
	r.Register("osswriter", job.Connector{Sink: job.SinkFunc(func(p *ossWriterParams) (datasync.Sink, error) { return oss.NewSink(p.SinkConfig) })})
}
