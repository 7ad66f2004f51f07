package oss_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"

	alioss "github.com/aliyun/aliyun-oss-go-sdk/oss"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/connector/oss"
)

func TestProbeReachesTheBucketAndLists(t *testing.T) {
	srv := newServer(t)
	cfg := oss.ProbeConfig{Endpoint: srv.Endpoint, Bucket: bkt, AccessID: srv.AccessKeyID, AccessKey: srv.AccessKeySecret}
	r, err := oss.Probe(context.Background(), cfg)
	require.NoError(t, err)
	assert.NoError(t, r.List)
	assert.True(t, r.Empty)
	assert.Contains(t, r.String(), "list:            ok (the bucket is empty)")
	assert.NotContains(t, r.String(), srv.AccessKeySecret)
	assert.NotContains(t, fmt.Sprintf("%v %#v", cfg, cfg), srv.AccessKeySecret)
}

func TestProbeReportsARefusalToListWithoutFailing(t *testing.T) {
	srv := newServer(t)
	// The test server refuses a V4 signature scoped to another region with
	// AccessDenied, as OSS refuses a listing the account may not make.
	cfg := oss.ProbeConfig{Endpoint: srv.Endpoint, Bucket: bkt, AccessID: srv.AccessKeyID, AccessKey: srv.AccessKeySecret, Region: "cn-elsewhere"}
	r, err := oss.Probe(context.Background(), cfg)
	require.NoError(t, err)
	require.Error(t, r.List)
	assert.Contains(t, r.String(), "list:            refused: access denied (")
}

func TestProbeErrorsNameTheBucketAndTheCause(t *testing.T) {
	srv := newServer(t)
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := closed.Addr().String()
	require.NoError(t, closed.Close())
	good := oss.ProbeConfig{Endpoint: srv.Endpoint, Bucket: bkt, AccessID: srv.AccessKeyID, AccessKey: srv.AccessKeySecret}
	cases := map[string]struct {
		change func(c *oss.ProbeConfig)
		code   string // OSS's error code, "" for none
		want   string
	}{
		"wrong secret": {
			change: func(c *oss.ProbeConfig) { c.AccessKey = "wrong-secret" },
			code:   "SignatureDoesNotMatch",
			want:   "the access key secret is wrong",
		},
		"unknown key": {
			change: func(c *oss.ProbeConfig) { c.AccessID = "nobody" },
			code:   "InvalidAccessKeyId",
			want:   "OSS does not know the access key ID",
		},
		"no bucket": {
			change: func(c *oss.ProbeConfig) { c.Bucket = "no-such-bucket" },
			code:   "NoSuchBucket",
			want:   `bucket "no-such-bucket": the bucket does not exist`,
		},
		"closed port": {
			change: func(c *oss.ProbeConfig) { c.Endpoint = "http://" + addr },
			want:   "oss: endpoint http://" + addr + `, bucket "` + bkt + `": Get "http://` + addr + `/` + bkt + `/?`,
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := good
			c.change(&cfg)
			_, err := oss.Probe(context.Background(), cfg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.NotContains(t, err.Error(), srv.AccessKeySecret)
			if c.code != "" {
				var se alioss.ServiceError
				require.True(t, errors.As(err, &se), "the SDK's error is the cause: %v", err)
				assert.Equal(t, c.code, se.Code)
			}
		})
	}
}
