package oss

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	alioss "github.com/aliyun/aliyun-oss-go-sdk/oss"

	"github.com/datasync-go/datasync/connector/text"
	"github.com/datasync-go/datasync/internal/masking"
)

// AuthVersion is the version of the signatures of requests to OSS.
type AuthVersion string

// The signature versions.
const (
	AuthVersionV1 AuthVersion = "v1"
	AuthVersionV4 AuthVersion = "v4" // needs a Region
)

// The environment variables credentials are taken from when the
// configuration has none: the SDK's, then Alibaba Cloud's common ones.
var (
	envAccessKeyID     = []string{"OSS_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_ID"}
	envAccessKeySecret = []string{"OSS_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"}
	envSecurityToken   = []string{"OSS_SESSION_TOKEN", "ALIBABA_CLOUD_SECURITY_TOKEN"}
)

// SourceConfig configures a Source. The text settings (format, columns,
// header, splitting) are text.ReadOptions, shared with package file, whose
// fields are promoted here and flattened into the JSON.
type SourceConfig struct {
	// Endpoint is the OSS endpoint, such as
	// "https://oss-cn-hangzhou.aliyuncs.com" (https:// is assumed when no
	// scheme is given).
	Endpoint string `json:"endpoint"`
	// Bucket is the bucket's name.
	Bucket string `json:"bucket"`
	// AccessID and AccessKey are the AccessKey pair; when empty they are
	// read from OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET (or
	// ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET). They
	// never appear in errors, logs, String output or JSON (see
	// MarshalJSON).
	AccessID  string `json:"accessId,omitempty" datasync:"secret"`
	AccessKey string `json:"accessKey,omitempty" datasync:"secret"`
	// SecurityToken is an STS token (OSS_SESSION_TOKEN when empty).
	SecurityToken string `json:"securityToken,omitempty" datasync:"secret"`
	// Region, such as "cn-hangzhou", is needed by V4 signatures.
	Region string `json:"region,omitempty"`
	// AuthVersion is the signature version: AuthVersionV4 when empty and
	// Region is set, AuthVersionV1 otherwise.
	AuthVersion AuthVersion `json:"authVersion,omitempty"`
	// Client, when set, is used instead of Endpoint, Bucket and the
	// credentials: a bucket client the caller already has.
	Client *alioss.Bucket `json:"-"`
	// Object lists the objects to read: exact keys, prefixes ending in "/"
	// (every object under them), or patterns where * matches any run of
	// characters, "/" included, and ? any one character, as in DataX's
	// ossreader. Each must match at least one object.
	Object []string `json:"object"`
	text.ReadOptions
}

// String describes the configuration without its credentials.
func (c SourceConfig) String() string {
	return fmt.Sprintf("oss source {endpoint %q, bucket %q, objects %q, credentials %s}", c.Endpoint, c.bucketName(), c.Object, c.conn().describeCredentials())
}

// GoString is String, so that %#v does not print the credentials either.
func (c SourceConfig) GoString() string { return c.String() }

// LogValue logs the configuration without its credentials.
func (c SourceConfig) LogValue() slog.Value { return slog.StringValue(c.String()) }

// shownSourceConfig is SourceConfig without its methods, for MarshalJSON.
type shownSourceConfig SourceConfig

// MarshalJSON encodes the configuration with its credentials masked: the
// result is for showing, and cannot connect.
func (c SourceConfig) MarshalJSON() ([]byte, error) {
	s := shownSourceConfig(c)
	maskCredentials(&s.AccessID, &s.AccessKey, &s.SecurityToken)
	return json.Marshal(s)
}

func (c SourceConfig) bucketName() string {
	if c.Client != nil {
		return c.Client.BucketName
	}
	return c.Bucket
}

// Part sizes of multipart uploads.
const (
	DefaultPartSize = 8 << 20
	MinPartSize     = 100 << 10 // OSS's minimum for every part but the last
	MaxPartSize     = 5 << 30
	maxParts        = 10000
)

// SinkConfig configures a Sink. The text settings (format, header,
// date/time formats) are text.WriteOptions, shared with package file, whose
// fields are promoted here and flattened into the JSON.
type SinkConfig struct {
	// Endpoint, Bucket, the credentials, Region, AuthVersion and Client are
	// as in SourceConfig.
	Endpoint      string         `json:"endpoint"`
	Bucket        string         `json:"bucket"`
	AccessID      string         `json:"accessId,omitempty" datasync:"secret"`
	AccessKey     string         `json:"accessKey,omitempty" datasync:"secret"`
	SecurityToken string         `json:"securityToken,omitempty" datasync:"secret"`
	Region        string         `json:"region,omitempty"`
	AuthVersion   AuthVersion    `json:"authVersion,omitempty"`
	Client        *alioss.Bucket `json:"-"`
	// Object is the key prefix of the objects: each split writes
	// <Object>_<split ID><Suffix>, and with MaxFileBytes
	// <Object>_<split ID>_<n><Suffix> for n = 1, 2... (without the first "_"
	// when Object ends with "/").
	Object string `json:"object"`
	// WriteMode is text.WriteNonConflict (the default, which never deletes
	// or overwrites anything: it fails the job, before it writes, when an
	// object whose key starts with Object exists), text.WriteTruncate
	// (delete those objects first, and abort the multipart uploads left
	// under Object) or text.WriteAppend (leave them; a new object whose key
	// is taken gets a random suffix).
	WriteMode text.WriteMode `json:"writeMode,omitempty"`
	// MaxFileBytes rolls to a new object when one reaches this many bytes.
	// 0 never rolls.
	MaxFileBytes int64 `json:"maxFileBytes,omitempty"`
	// PartSize is the size of the parts of multipart uploads, 8 MiB by
	// default (100 KiB to 5 GiB). A writer holds at most two parts in memory
	// per object; an object is at most 10,000 parts.
	PartSize int64 `json:"partSize,omitempty"`
	// Suffix ends each key: by default the format's and compression's
	// extension, such as ".csv" or ".txt.gz"; "none" for no suffix.
	Suffix string `json:"suffix,omitempty"`
	// Naming is how the objects of a split are keyed: NameBySplit (the
	// default) or NameRandom, as DataX's osswriter keys them.
	Naming Naming `json:"naming,omitempty"`
	text.WriteOptions
}

// Naming is how a sink keys the objects of a split (see SinkConfig.Naming).
type Naming string

// The namings. The empty Naming is NameBySplit.
const (
	// NameBySplit keys the objects <Object>_<split ID><Suffix> (and
	// <Object>_<split ID>_<n><Suffix> when they roll): the same plan
	// writes the same keys.
	NameBySplit Naming = "bySplit"
	// NameRandom keys them <Object>__<random><Suffix> (and
	// <Object>__<random>_<n><Suffix> when they roll), the random part being
	// 32 hexadecimal digits, new for every attempt at a split: DataX's
	// osswriter's keys.
	NameRandom Naming = "random"
)

// String describes the configuration without its credentials.
func (c SinkConfig) String() string {
	return fmt.Sprintf("oss sink {endpoint %q, bucket %q, object %q, writeMode %q, credentials %s}", c.Endpoint, c.bucketName(), c.Object, c.WriteMode, c.conn().describeCredentials())
}

// GoString is String, so that %#v does not print the credentials either.
func (c SinkConfig) GoString() string { return c.String() }

// LogValue logs the configuration without its credentials.
func (c SinkConfig) LogValue() slog.Value { return slog.StringValue(c.String()) }

// shownSinkConfig is SinkConfig without its methods, for MarshalJSON.
type shownSinkConfig SinkConfig

// MarshalJSON encodes the configuration with its credentials masked: the
// result is for showing, and cannot connect.
func (c SinkConfig) MarshalJSON() ([]byte, error) {
	s := shownSinkConfig(c)
	maskCredentials(&s.AccessID, &s.AccessKey, &s.SecurityToken)
	return json.Marshal(s)
}

// maskCredentials replaces the credentials that are set by masking.Mask.
func maskCredentials(creds ...*string) {
	for _, c := range creds {
		if *c != "" {
			*c = masking.Mask
		}
	}
}

func (c SinkConfig) bucketName() string {
	if c.Client != nil {
		return c.Client.BucketName
	}
	return c.Bucket
}

// connection is what the source and the sink need to reach a bucket.
type connection struct {
	endpoint, bucket      string
	id, secret, token     string
	region                string
	version               AuthVersion
	client                *alioss.Bucket
	idFromEnv, keyFromEnv bool
}

func (c SourceConfig) conn() connection {
	return newConnection(c.Endpoint, c.Bucket, c.AccessID, c.AccessKey, c.SecurityToken, c.Region, c.AuthVersion, c.Client)
}

func (c SinkConfig) conn() connection {
	return newConnection(c.Endpoint, c.Bucket, c.AccessID, c.AccessKey, c.SecurityToken, c.Region, c.AuthVersion, c.Client)
}

func newConnection(endpoint, bucket, id, secret, token, region string, version AuthVersion, client *alioss.Bucket) connection {
	c := connection{endpoint: endpoint, bucket: bucket, id: id, secret: secret, token: token, region: region, version: version, client: client}
	if c.id == "" && c.secret == "" {
		c.id, c.idFromEnv = firstEnv(envAccessKeyID), true
		c.secret, c.keyFromEnv = firstEnv(envAccessKeySecret), true
	}
	if c.token == "" {
		c.token = firstEnv(envSecurityToken)
	}
	return c
}

func firstEnv(names []string) string {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v
		}
	}
	return ""
}

func (c connection) describeCredentials() string {
	switch {
	case c.client != nil:
		return "from the given client"
	case c.id == "":
		return "none"
	case c.idFromEnv:
		return "from the environment (redacted)"
	}
	return "redacted"
}

// secrets returns what must never be printed.
func (c connection) secrets() []string { return []string{c.id, c.secret, c.token} }

// open returns the bucket client, made from the settings unless one was
// given. It does not reach the network.
func (c connection) open() (*alioss.Bucket, error) {
	if c.client != nil {
		return c.client, nil
	}
	var errs []error
	if c.endpoint == "" {
		errs = append(errs, errors.New("endpoint is empty"))
	}
	if c.bucket == "" {
		errs = append(errs, errors.New("bucket is empty"))
	}
	if c.id == "" || c.secret == "" {
		errs = append(errs, errors.New("no credentials: set accessId and accessKey, or the environment variables OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET"))
	}
	var opts []alioss.ClientOption
	switch AuthVersion(strings.ToLower(string(c.version))) {
	case "":
		if c.region != "" {
			opts = append(opts, alioss.AuthVersion(alioss.AuthV4), alioss.Region(c.region))
		}
	case AuthVersionV1, "1":
	case AuthVersionV4, "4":
		if c.region == "" {
			errs = append(errs, errors.New("authVersion v4 needs a region"))
		}
		opts = append(opts, alioss.AuthVersion(alioss.AuthV4), alioss.Region(c.region))
	default:
		errs = append(errs, fmt.Errorf("authVersion %q: want v1 or v4", c.version))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if c.token != "" {
		opts = append(opts, alioss.SecurityToken(c.token))
	}
	endpoint := c.endpoint
	if !strings.Contains(endpoint, "://") {
		endpoint = "https://" + endpoint
	}
	client, err := alioss.New(endpoint, c.id, c.secret, opts...)
	if err != nil {
		return nil, redact(fmt.Errorf("endpoint %q: %w", c.endpoint, err), c.secrets())
	}
	b, err := client.Bucket(c.bucket)
	if err != nil {
		return nil, redact(fmt.Errorf("bucket %q: %w", c.bucket, err), c.secrets())
	}
	return b, nil
}
