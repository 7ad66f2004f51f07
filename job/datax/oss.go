package datax

import (
	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/oss"
	"github.com/datasync-go/datasync/connector/text"
	"github.com/datasync-go/datasync/job"
)

// ossConnection is how ossreader and osswriter reach a bucket: directly,
// or through "datasource", an OSS data source of the catalog in place of
// the endpoint and credentials.
type ossConnection struct {
	Datasource    string `json:"datasource"`
	Endpoint      string `json:"endpoint"`
	Bucket        string `json:"bucket"`
	AccessID      string `json:"accessId"`
	AccessKey     string `json:"accessKey" datasync:"secret"`
	SecurityToken string `json:"securityToken" datasync:"secret"`
	Region        string `json:"region"`
	AuthVersion   string `json:"authVersion"`
}

// ResolveDataSources fills the endpoint, credentials, region and bucket
// from the data source named, if any (the bucket and region given here
// win).
func (c *ossConnection) ResolveDataSources(lookup job.DataSourceLookup) error {
	return useOSSDataSource(c.Datasource, lookup, ossTarget{&c.Endpoint, &c.Bucket, &c.Region, &c.AccessID, &c.AccessKey, &c.SecurityToken})
}

// ossReaderParams is ossreader's parameter object: DataX's, with datasync's
// own settings beside it.
type ossReaderParams struct {
	ossConnection
	Object []string `json:"object"`
	textReadParams
}

// ossWriterParams is osswriter's parameter object: DataX's, with datasync's
// own settings (maxFileBytes, partSize, suffix, ...) beside it.
type ossWriterParams struct {
	ossConnection
	Object    string `json:"object"`
	WriteMode string `json:"writeMode"`
	// MaxFileSize is DataX's roll size in MiB; MaxFileBytes, datasync's,
	// gives it in bytes and wins when set.
	MaxFileSize  int64  `json:"maxFileSize"`
	MaxFileBytes int64  `json:"maxFileBytes"`
	PartSize     int64  `json:"partSize"`
	Suffix       string `json:"suffix"`
	textWriteParams
}

// registerOSS registers DataX's "ossreader" and "osswriter".
func registerOSS(r *job.Registry) {
	r.Register("ossreader", job.Connector{Source: job.SourceFunc(newOSSSource).Accepting(acceptedFor("ossreader", textReaderAccepted)...).Refusing(refuseTextFormat("read"))})
	r.Register("osswriter", job.Connector{Sink: job.SinkFunc(newOSSSink).Accepting(acceptedFor("osswriter", textWriterAccepted)...).Refusing(refuseTextFormat("write"))})
}

func newOSSSource(p *ossReaderParams) (datasync.Source, error) {
	opts, err := p.textReadParams.native()
	if err != nil {
		return nil, err
	}
	c := p.ossConnection
	return oss.NewSource(oss.SourceConfig{
		Endpoint: c.Endpoint, Bucket: c.Bucket, AccessID: c.AccessID, AccessKey: c.AccessKey,
		SecurityToken: c.SecurityToken, Region: c.Region, AuthVersion: oss.AuthVersion(c.AuthVersion),
		Object:      p.Object,
		ReadOptions: opts,
	})
}

func newOSSSink(p *ossWriterParams) (datasync.Sink, error) {
	size, err := rollBytes(p.MaxFileSize, p.MaxFileBytes)
	if err != nil {
		return nil, err
	}
	opts, err := p.textWriteParams.native()
	if err != nil {
		return nil, err
	}
	suffix := p.Suffix
	if suffix == "" {
		suffix = "none" // DataX's keys have no extension
	}
	c := p.ossConnection
	return oss.NewSink(oss.SinkConfig{
		Endpoint: c.Endpoint, Bucket: c.Bucket, AccessID: c.AccessID, AccessKey: c.AccessKey,
		SecurityToken: c.SecurityToken, Region: c.Region, AuthVersion: oss.AuthVersion(c.AuthVersion),
		Object:       p.Object,
		WriteMode:    text.WriteMode(p.WriteMode),
		MaxFileBytes: size,
		PartSize:     p.PartSize,
		Suffix:       suffix,
		Naming:       oss.NameRandom,
		WriteOptions: opts,
	})
}
