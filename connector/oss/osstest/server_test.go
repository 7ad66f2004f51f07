package osstest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc64"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/datasync-go/datasync/connector/oss/osstest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"), goleak.IgnoreTopFunction("internal/poll.runtime_pollWait"))
}

// signatures runs f with a bucket client of each signature version.
func signatures(t *testing.T, f func(t *testing.T, srv *osstest.Server, b *oss.Bucket)) {
	for _, v := range []string{"V1", "V4"} {
		t.Run(v, func(t *testing.T) {
			srv := osstest.NewServer(osstest.WithBuckets("bkt"))
			t.Cleanup(srv.Close)
			var opts []oss.ClientOption
			if v == "V4" {
				opts = append(opts, oss.AuthVersion(oss.AuthV4), oss.Region(srv.Region))
			}
			b, err := srv.Bucket("bkt", opts...)
			require.NoError(t, err)
			f(t, srv, b)
			for _, r := range srv.Requests() {
				require.Equal(t, v, r.Auth, "%+v", r)
			}
		})
	}
}

// awkward keys test the URL and signature encodings.
var awkward = []string{"plain.csv", "dir/sub/file name+plus%pct.csv", "中文/数据.txt", "a?b=c&d.txt", "~tilde*star"}

func TestObjects(t *testing.T) {
	signatures(t, func(t *testing.T, srv *osstest.Server, b *oss.Bucket) {
		for _, key := range awkward {
			data := []byte("content of " + key)
			require.NoError(t, b.PutObject(key, bytes.NewReader(data)), key) // the SDK checks the CRC-64
			got, ok := srv.Object("bkt", key)
			require.True(t, ok)
			require.Equal(t, data, got)

			rc, err := b.GetObject(key)
			require.NoError(t, err)
			all, err := io.ReadAll(rc)
			require.NoError(t, err)
			require.NoError(t, rc.Close()) // the SDK checks the CRC-64 of a whole GET
			require.Equal(t, data, all)

			rc, err = b.GetObject(key, oss.Range(3, 6))
			require.NoError(t, err)
			part, _ := io.ReadAll(rc)
			rc.Close()
			require.Equal(t, data[3:7], part)

			h, err := b.GetObjectDetailedMeta(key)
			require.NoError(t, err)
			assert.Equal(t, fmt.Sprint(len(data)), h.Get("Content-Length"))
			assert.Equal(t, fmt.Sprint(crc64.Checksum(data, crc64.MakeTable(crc64.ECMA))), h.Get("X-Oss-Hash-Crc64ecma"))
		}
		ok, err := b.IsObjectExist("missing")
		require.NoError(t, err)
		assert.False(t, ok)
		_, err = b.GetObject("missing")
		var se oss.ServiceError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, "NoSuchKey", se.Code)

		// Conditional GET and forbidden overwrite.
		h, _ := b.GetObjectDetailedMeta("plain.csv")
		_, err = b.GetObject("plain.csv", oss.IfMatch(`"0000"`))
		require.ErrorAs(t, err, &se)
		assert.Equal(t, http.StatusPreconditionFailed, se.StatusCode)
		rc, err := b.GetObject("plain.csv", oss.IfMatch(h.Get("ETag")))
		require.NoError(t, err)
		rc.Close()
		err = b.PutObject("plain.csv", strings.NewReader("x"), oss.ForbidOverWrite(true))
		require.ErrorAs(t, err, &se)
		assert.Equal(t, "FileAlreadyExists", se.Code)

		require.NoError(t, b.DeleteObject("plain.csv"))
		res, err := b.DeleteObjects(awkward[1:3])
		require.NoError(t, err)
		assert.ElementsMatch(t, awkward[1:3], res.DeletedObjects)
		assert.Equal(t, awkward[3:], srv.Keys("bkt", ""))
	})
}

func TestListingPagesAndDelimiters(t *testing.T) {
	signatures(t, func(t *testing.T, srv *osstest.Server, b *oss.Bucket) {
		var want []string
		for i := range 25 {
			k := fmt.Sprintf("logs/2024 %02d+x.csv", i)
			srv.PutObject("bkt", k, []byte(k))
			want = append(want, k)
		}
		srv.PutObject("bkt", "logs/sub/a.csv", nil)
		srv.PutObject("bkt", "logs/sub/b.csv", nil)
		srv.PutObject("bkt", "other.csv", nil)

		// V2 with continuation tokens, 7 per page.
		var got []string
		var prefixes []string
		token := ""
		pages := 0
		for {
			res, err := b.ListObjectsV2(oss.Prefix("logs/"), oss.Delimiter("/"), oss.MaxKeys(7), oss.ContinuationToken(token))
			require.NoError(t, err)
			pages++
			for _, o := range res.Objects {
				got = append(got, o.Key)
			}
			prefixes = append(prefixes, res.CommonPrefixes...)
			if !res.IsTruncated {
				break
			}
			token = res.NextContinuationToken
		}
		assert.Equal(t, want, got)
		assert.Equal(t, []string{"logs/sub/"}, prefixes)
		assert.Equal(t, 4, pages)

		// V1 with markers.
		got = nil
		marker := ""
		for {
			res, err := b.ListObjects(oss.Prefix("logs/"), oss.MaxKeys(10), oss.Marker(marker))
			require.NoError(t, err)
			for _, o := range res.Objects {
				got = append(got, o.Key)
			}
			if !res.IsTruncated {
				break
			}
			marker = res.NextMarker
		}
		assert.Equal(t, append(want, "logs/sub/a.csv", "logs/sub/b.csv"), got)
	})
}

func TestMultipartUploads(t *testing.T) {
	signatures(t, func(t *testing.T, srv *osstest.Server, b *oss.Bucket) {
		key := "big/object name.csv"
		imur, err := b.InitiateMultipartUpload(key)
		require.NoError(t, err)
		var parts []oss.UploadPart
		var all []byte
		for i := 1; i <= 3; i++ {
			data := bytes.Repeat([]byte{byte('a' + i)}, osstest.DefaultMinPartSize+i)
			if i == 3 {
				data = data[:10] // the last part may be small
			}
			p, err := b.UploadPart(imur, bytes.NewReader(data), int64(len(data)), i) // the SDK checks the part's CRC-64
			require.NoError(t, err)
			parts = append(parts, p)
			all = append(all, data...)
		}
		ups := srv.Uploads("bkt")
		require.Len(t, ups, 1)
		assert.Equal(t, 3, ups[0].Parts)
		lup, err := b.ListMultipartUploads(oss.Prefix("big/"))
		require.NoError(t, err)
		require.Len(t, lup.Uploads, 1)
		assert.Equal(t, key, lup.Uploads[0].Key)
		lp, err := b.ListUploadedParts(imur)
		require.NoError(t, err)
		assert.Len(t, lp.UploadedParts, 3)

		var hdr http.Header
		_, err = b.CompleteMultipartUpload(imur, parts, oss.GetResponseHeader(&hdr))
		require.NoError(t, err)
		got, _ := srv.Object("bkt", key)
		require.Equal(t, all, got)
		assert.Equal(t, fmt.Sprint(crc64.Checksum(all, crc64.MakeTable(crc64.ECMA))), hdr.Get("X-Oss-Hash-Crc64ecma"))
		assert.Empty(t, srv.Uploads("bkt"))

		// A small part that is not the last is refused; abort cleans up.
		imur, err = b.InitiateMultipartUpload("small")
		require.NoError(t, err)
		p1, err := b.UploadPart(imur, strings.NewReader("tiny"), 4, 1)
		require.NoError(t, err)
		p2, err := b.UploadPart(imur, strings.NewReader("tiny"), 4, 2)
		require.NoError(t, err)
		_, err = b.CompleteMultipartUpload(imur, []oss.UploadPart{p1, p2})
		var se oss.ServiceError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, "EntityTooSmall", se.Code)
		require.NoError(t, b.AbortMultipartUpload(imur))
		assert.Empty(t, srv.Uploads("bkt"))
		err = b.AbortMultipartUpload(imur)
		require.ErrorAs(t, err, &se)
		assert.Equal(t, "NoSuchUpload", se.Code)
	})
}

func TestSignaturesAreChecked(t *testing.T) {
	srv := osstest.NewServer(osstest.WithBuckets("bkt"))
	defer srv.Close()
	for _, opts := range [][]oss.ClientOption{nil, {oss.AuthVersion(oss.AuthV4), oss.Region(srv.Region)}} {
		wrong, err := oss.New(srv.Endpoint, srv.AccessKeyID, "not-the-secret", opts...)
		require.NoError(t, err)
		b, _ := wrong.Bucket("bkt")
		err = b.PutObject("x", strings.NewReader("x"))
		var se oss.ServiceError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, "SignatureDoesNotMatch", se.Code)

		unknown, _ := oss.New(srv.Endpoint, "someone-else", srv.AccessKeySecret, opts...)
		b, _ = unknown.Bucket("bkt")
		_, err = b.ListObjectsV2()
		require.ErrorAs(t, err, &se)
		assert.Equal(t, "InvalidAccessKeyId", se.Code)
	}
	other, _ := srv.Bucket("bkt", oss.AuthVersion(oss.AuthV4), oss.Region("cn-beijing"))
	_, err := other.ListObjectsV2()
	assert.ErrorContains(t, err, "region")
	assert.Empty(t, srv.Keys("bkt", ""))

	missing, _ := srv.Bucket("nobucket")
	_, err = missing.ListObjectsV2()
	var se oss.ServiceError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "NoSuchBucket", se.Code)
}

func TestFaults(t *testing.T) {
	srv := osstest.NewServer(osstest.WithBuckets("bkt"))
	defer srv.Close()
	b, err := srv.Bucket("bkt")
	require.NoError(t, err)
	data := bytes.Repeat([]byte("0123456789"), 1000)
	srv.PutObject("bkt", "obj", data)

	// 500 once, then normal service.
	srv.Inject(osstest.Fault{Op: osstest.OpGetObject, Status: 500})
	_, err = b.GetObject("obj")
	var se oss.ServiceError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 500, se.StatusCode)
	assert.Equal(t, "InternalError", se.Code)
	rc, err := b.GetObject("obj")
	require.NoError(t, err)
	rc.Close()

	// A connection cut after 1234 bytes of the body.
	srv.Inject(osstest.Fault{Op: osstest.OpGetObject, KeyPrefix: "obj", DropAfter: 1234})
	rc, err = b.GetObject("obj")
	require.NoError(t, err)
	got, err := io.ReadAll(rc)
	rc.Close()
	assert.Error(t, err)
	assert.True(t, errors.Is(err, io.ErrUnexpectedEOF), "%v", err)
	assert.Equal(t, data[:1234], got)

	// Skip and Times; an upload cut before its answer is not done.
	srv.Inject(osstest.Fault{Op: osstest.OpPutObject, Skip: 1, Times: 2})
	require.NoError(t, b.PutObject("p1", strings.NewReader("1")))
	require.Error(t, b.PutObject("p2", strings.NewReader("2")))
	require.Error(t, b.PutObject("p3", strings.NewReader("3")))
	require.NoError(t, b.PutObject("p4", strings.NewReader("4")))
	assert.Equal(t, []string{"obj", "p1", "p4"}, srv.Keys("bkt", ""))
	assert.Equal(t, 4, srv.Count(osstest.OpPutObject))
}

func TestFaultsAfterTheOperation(t *testing.T) {
	srv := osstest.NewServer(osstest.WithBuckets("bkt"))
	defer srv.Close()
	b, err := srv.Bucket("bkt")
	require.NoError(t, err)

	// The object is stored, but the answer is an error or a cut connection.
	srv.Inject(osstest.Fault{Op: osstest.OpPutObject, AfterOp: true, Status: 503})
	var se oss.ServiceError
	require.ErrorAs(t, b.PutObject("p1", strings.NewReader("1")), &se)
	assert.Equal(t, 503, se.StatusCode)
	srv.Inject(osstest.Fault{Op: osstest.OpInitiateMultipartUpload, AfterOp: true})
	_, err = b.InitiateMultipartUpload("big")
	require.Error(t, err)
	assert.Equal(t, []string{"p1"}, srv.Keys("bkt", ""))
	ups := srv.Uploads("bkt")
	require.Len(t, ups, 1, "the upload was created")
	assert.Equal(t, "big", ups[0].Key)
}

func TestHooks(t *testing.T) {
	srv := osstest.NewServer(osstest.WithBuckets("bkt"))
	defer srv.Close()
	b, err := srv.Bucket("bkt")
	require.NoError(t, err)
	var seen []string
	for _, stage := range []osstest.Stage{osstest.BeforeOp, osstest.AfterOp} {
		srv.AddHook(osstest.Hook{Op: osstest.OpInitiateMultipartUpload, KeyPrefix: "big", Stage: stage, Func: func(_ context.Context, r osstest.Request) {
			seen = append(seen, fmt.Sprintf("%d %s %d uploads", stage, r.Key, len(srv.Uploads("bkt"))))
		}})
	}
	_, err = b.InitiateMultipartUpload("small") // no hook
	require.NoError(t, err)
	imur, err := b.InitiateMultipartUpload("big")
	require.NoError(t, err)
	assert.Equal(t, []string{"0 big 1 uploads", "1 big 2 uploads"}, seen, "before, then after the upload is created")
	assert.NotEmpty(t, imur.UploadID, "the answer is sent after the hooks")

	// AddUpload starts an upload directly, dated as asked.
	at := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	id := srv.AddUpload("bkt", "old", at)
	res, err := b.ListMultipartUploads(oss.Prefix("old"))
	require.NoError(t, err)
	require.Len(t, res.Uploads, 1)
	assert.Equal(t, id, res.Uploads[0].UploadID)
	assert.True(t, at.Equal(res.Uploads[0].Initiated), "%v", res.Uploads[0].Initiated)

	srv.ClearHooks()
	seen = nil
	_, err = b.InitiateMultipartUpload("big")
	require.NoError(t, err)
	assert.Empty(t, seen)
}
