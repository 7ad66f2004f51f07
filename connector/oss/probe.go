package oss

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	alioss "github.com/aliyun/aliyun-oss-go-sdk/oss"
)

// ProbeTimeout bounds a Probe whose context has no deadline.
const ProbeTimeout = 10 * time.Second

// ProbeConfig is the bucket Probe tries: the connection settings of
// SourceConfig and SinkConfig, with the same meanings and defaults
// (credentials from the environment when AccessID and AccessKey are empty).
type ProbeConfig struct {
	Endpoint      string
	Bucket        string
	AccessID      string `datasync:"secret"`
	AccessKey     string `datasync:"secret"`
	SecurityToken string `datasync:"secret"`
	Region        string
	AuthVersion   AuthVersion
	Client        *alioss.Bucket
}

// String describes the configuration without its credentials.
func (c ProbeConfig) String() string {
	return fmt.Sprintf("oss probe {endpoint %q, bucket %q, credentials %s}", c.Endpoint, c.bucketName(), c.conn().describeCredentials())
}

// GoString is String, so that %#v does not print the credentials either.
func (c ProbeConfig) GoString() string { return c.String() }

// LogValue logs the configuration without its credentials.
func (c ProbeConfig) LogValue() slog.Value { return slog.StringValue(c.String()) }

// MarshalJSON writes the configuration without its credentials.
func (c ProbeConfig) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"endpoint": c.Endpoint, "bucket": c.bucketName(), "region": c.Region,
		"authVersion": string(c.AuthVersion), "credentials": c.conn().describeCredentials()})
}

func (c ProbeConfig) bucketName() string {
	if c.Client != nil {
		return c.Client.BucketName
	}
	return c.Bucket
}

func (c ProbeConfig) conn() connection {
	return newConnection(c.Endpoint, c.Bucket, c.AccessID, c.AccessKey, c.SecurityToken, c.Region, c.AuthVersion, c.Client)
}

// ProbeReport is what Probe found out about a bucket.
type ProbeReport struct {
	// Endpoint and Bucket are the bucket probed; Credentials says where
	// its credentials came from, never what they are.
	Endpoint, Bucket, Credentials string
	// List is nil when the credentials may list the bucket's objects (which
	// readers need, and writers in truncate and nonConflict modes); else
	// OSS's refusal.
	List error
	// Empty reports whether the listing found no object.
	Empty bool
}

// String is the report as lines of "what: finding", for people.
func (r ProbeReport) String() string {
	var b strings.Builder
	line := func(label, format string, args ...any) {
		fmt.Fprintf(&b, "%-16s %s\n", label+":", fmt.Sprintf(format, args...))
	}
	line("endpoint", "%s", r.Endpoint)
	line("bucket", "%s (reachable)", r.Bucket)
	line("credentials", "%s", r.Credentials)
	switch {
	case r.List != nil:
		line("list", "refused: %v", r.List)
	case r.Empty:
		line("list", "ok (the bucket is empty)")
	default:
		line("list", "ok")
	}
	return b.String()
}

// Probe reaches the bucket of cfg, as "test connectivity" does in
// DataWorks: it lists one object, which shows that the endpoint answers,
// the bucket exists, the credentials are valid and may list. It changes
// nothing.
//
// The error, when the endpoint cannot be reached, the bucket does not
// exist or the credentials are refused, names the endpoint and the bucket
// (never a credential) and keeps the SDK's error as its cause. A refusal to
// list with valid credentials (AccessDenied) is not an error but the
// report's List. The probe takes at most ProbeTimeout unless ctx has a
// deadline.
func Probe(ctx context.Context, cfg ProbeConfig) (ProbeReport, error) {
	conn := cfg.conn()
	r := ProbeReport{Endpoint: cfg.Endpoint, Bucket: cfg.bucketName(), Credentials: conn.describeCredentials()}
	where := fmt.Sprintf("oss: endpoint %s, bucket %q", r.Endpoint, r.Bucket)
	b, err := conn.open()
	if err != nil {
		return r, fmt.Errorf("%s: %w", where, err)
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, ProbeTimeout)
		defer cancel()
	}
	res, err := b.ListObjectsV2(alioss.MaxKeys(1), alioss.WithContext(ctx))
	var se alioss.ServiceError
	switch {
	case err == nil:
		r.Empty = len(res.Objects) == 0
		return r, nil
	case errors.As(err, &se) && se.StatusCode == http.StatusForbidden && se.Code == "AccessDenied":
		r.List = redact(fmt.Errorf("access denied (%s)", se.Message), conn.secrets())
		return r, nil
	case ctx.Err() != nil:
		return r, fmt.Errorf("%s: no answer: %w", where, ctx.Err())
	}
	// classify explains OSS's codes; the SDK's error stays the cause.
	return r, &redacted{msg: classify(err, where, conn.secrets()).Error(), err: err}
}
