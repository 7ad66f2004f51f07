package datax_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/connector/oss/osstest"
	"github.com/datasync-go/datasync/job"
)

// DataX ossreader / osswriter parameters, with DataX's type names and
// maxFileSize in MiB.
func TestOSSParameters(t *testing.T) {
	const bkt = "data-bucket"
	srv := osstest.NewServer(osstest.WithBuckets(bkt))
	t.Cleanup(srv.Close)
	srv.PutObject(bkt, "bazhen/a.csv", []byte("1,x\n2,y\n"))
	reader := fmt.Sprintf(`{
		"endpoint": %q, "accessId": %q, "accessKey": %q, "bucket": %q,
		"object": ["bazhen/*"],
		"column": [{"type": "long", "index": 0}, {"type": "string", "value": "alibaba"}, {"type": "string", "index": 1}],
		"encoding": "UTF-8", "fieldDelimiter": ",", "compress": "", "nullFormat": "\\N", "skipHeader": false
	}`, srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret, bkt)
	writer := fmt.Sprintf(`{
		"endpoint": %q, "accessId": %q, "accessKey": %q, "bucket": %q,
		"object": "cdo/datax", "encoding": "UTF-8", "fieldDelimiter": "|", "writeMode": "truncate",
		"fileFormat": "csv", "header": ["id", "const", "name"], "maxFileSize": 100
	}`, srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret, bkt)
	src, dst := build(t, "ossreader", reader, "osswriter", writer)
	runPipeline(t, src, dst)
	// DataX's keys: object__<32 hex digits>, rolled parts numbered, no
	// extension.
	keys := srv.Keys(bkt, "cdo/")
	require.Len(t, keys, 1)
	assert.Regexp(t, `^cdo/datax__[0-9a-f]{32}_1$`, keys[0])
	data, ok := srv.Object(bkt, keys[0])
	require.True(t, ok)
	assert.Equal(t, "id|const|name\n1|alibaba|x\n2|alibaba|y\n", string(data))
}

// The OSS parameters' secrets are known to the job's redaction.
func TestOSSParameterSecrets(t *testing.T) {
	for _, name := range []string{"ossreader", "osswriter"} {
		c, _ := job.DefaultRegistry.Lookup(name)
		params := `{"endpoint": "e", "bucket": "b", "accessId": "id", "accessKey": "s3cret", "securityToken": "t0ken", "object": "o"}`
		var p any
		var err error
		if c.Source != nil {
			p, err = c.Source.Decode(json.RawMessage(params))
		} else {
			p, err = c.Sink.Decode(json.RawMessage(params))
		}
		require.NoError(t, err, name)
		assert.ElementsMatch(t, []string{"s3cret", "t0ken"}, job.Secrets(p), name)
	}
}
