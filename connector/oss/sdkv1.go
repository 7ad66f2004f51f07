package oss

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc64"
	"io"
	"net/http"
	"strconv"
	"strings"

	alioss "github.com/aliyun/aliyun-oss-go-sdk/oss"

	"github.com/datasync-go/datasync/connector/internal/textcodec"
)

// sdkStore is the store of the v1 SDK.
type sdkStore struct {
	b       *alioss.Bucket
	secrets []string
}

func newSDKStore(b *alioss.Bucket, secrets []string) *sdkStore {
	return &sdkStore{b: b, secrets: secrets}
}

func (s *sdkStore) bucketName() string { return s.b.BucketName }

func (s *sdkStore) wrap(err error, format string, args ...any) error {
	return classify(err, fmt.Sprintf("oss: bucket %q: ", s.b.BucketName)+fmt.Sprintf(format, args...), s.secrets)
}

func (s *sdkStore) list(ctx context.Context, prefix, token string) (objectPage, error) {
	opts := []alioss.Option{alioss.Prefix(prefix), alioss.MaxKeys(1000), alioss.WithContext(ctx)}
	if token != "" {
		opts = append(opts, alioss.ContinuationToken(token))
	}
	res, err := s.b.ListObjectsV2(opts...)
	if err != nil {
		return objectPage{}, s.wrap(err, "list objects under %q", prefix)
	}
	page := objectPage{Next: res.NextContinuationToken, Truncated: res.IsTruncated}
	for _, o := range res.Objects {
		page.Objects = append(page.Objects, objectInfo{Key: o.Key, Size: o.Size, ETag: o.ETag, Modified: o.LastModified})
	}
	return page, nil
}

func (s *sdkStore) head(ctx context.Context, key string) (objectInfo, bool, error) {
	h, err := s.b.GetObjectMeta(key, alioss.WithContext(ctx))
	if err != nil {
		var se alioss.ServiceError
		if errors.As(err, &se) && se.StatusCode == http.StatusNotFound {
			return objectInfo{}, false, nil
		}
		return objectInfo{}, false, s.wrap(err, "head %q", key)
	}
	size, _ := strconv.ParseInt(h.Get("Content-Length"), 10, 64)
	return objectInfo{Key: key, Size: size, ETag: h.Get("ETag")}, true, nil
}

func (s *sdkStore) get(ctx context.Context, key string, offset int64, etag string) (io.ReadCloser, getInfo, error) {
	var hdr http.Header
	opts := []alioss.Option{alioss.WithContext(ctx), alioss.GetResponseHeader(&hdr)}
	if offset > 0 {
		opts = append(opts, alioss.NormalizedRange(strconv.FormatInt(offset, 10)+"-"))
	}
	if etag != "" {
		opts = append(opts, alioss.IfMatch(etag))
	}
	body, err := s.b.GetObject(key, opts...)
	if err != nil {
		return nil, getInfo{}, s.wrap(err, "get %q from byte %d", key, offset)
	}
	if offset > 0 {
		// OSS answers a range it cannot serve with the whole object: reading
		// that as if it started at offset would corrupt the data.
		if cr := hdr.Get("Content-Range"); !strings.HasPrefix(cr, "bytes "+strconv.FormatInt(offset, 10)+"-") {
			body.Close()
			return nil, getInfo{}, s.wrap(fmt.Errorf("asked for bytes from %d, got Content-Range %q", offset, cr), "get %q", key)
		}
	}
	info := getInfo{ETag: hdr.Get("ETag")}
	if c := hdr.Get(alioss.HTTPHeaderOssCRC64); c != "" {
		if v, err := strconv.ParseUint(c, 10, 64); err == nil {
			info.CRC, info.HasCRC = v, true
		}
	}
	return body, info, nil
}

func (s *sdkStore) put(ctx context.Context, key string, data []byte, noOverwrite bool) error {
	opts := []alioss.Option{alioss.WithContext(ctx)}
	if noOverwrite {
		opts = append(opts, alioss.ForbidOverWrite(true))
	}
	// The SDK checks the CRC-64 OSS returns against the data's.
	if err := s.b.PutObject(key, bytes.NewReader(data), opts...); err != nil {
		return s.wrap(err, "put %q", key)
	}
	return nil
}

func (s *sdkStore) initiate(ctx context.Context, key string, noOverwrite bool) (string, error) {
	opts := []alioss.Option{alioss.WithContext(ctx)}
	if noOverwrite {
		opts = append(opts, alioss.ForbidOverWrite(true))
	}
	imur, err := s.b.InitiateMultipartUpload(key, opts...)
	if err != nil {
		return "", s.wrap(err, "start the multipart upload of %q", key)
	}
	return imur.UploadID, nil
}

func (s *sdkStore) imur(key, uploadID string) alioss.InitiateMultipartUploadResult {
	return alioss.InitiateMultipartUploadResult{Bucket: s.b.BucketName, Key: key, UploadID: uploadID}
}

func (s *sdkStore) uploadPart(ctx context.Context, key, uploadID string, n int, data []byte) (string, error) {
	// The SDK checks the part's CRC-64.
	p, err := s.b.UploadPart(s.imur(key, uploadID), bytes.NewReader(data), int64(len(data)), n, alioss.WithContext(ctx))
	if err != nil {
		return "", s.wrap(err, "upload part %d of %q", n, key)
	}
	return p.ETag, nil
}

func (s *sdkStore) complete(ctx context.Context, key, uploadID string, parts []uploadedPart, noOverwrite bool) (uint64, bool, error) {
	var hdr http.Header
	opts := []alioss.Option{alioss.WithContext(ctx), alioss.GetResponseHeader(&hdr)}
	if noOverwrite {
		opts = append(opts, alioss.ForbidOverWrite(true))
	}
	ps := make([]alioss.UploadPart, len(parts))
	for i, p := range parts {
		ps[i] = alioss.UploadPart{PartNumber: p.Number, ETag: p.ETag}
	}
	if _, err := s.b.CompleteMultipartUpload(s.imur(key, uploadID), ps, opts...); err != nil {
		return 0, false, s.wrap(err, "complete the multipart upload of %q", key)
	}
	if c := hdr.Get(alioss.HTTPHeaderOssCRC64); c != "" {
		if v, err := strconv.ParseUint(c, 10, 64); err == nil {
			return v, true, nil
		}
	}
	return 0, false, nil
}

func (s *sdkStore) abort(ctx context.Context, key, uploadID string) error {
	if err := s.b.AbortMultipartUpload(s.imur(key, uploadID), alioss.WithContext(ctx)); err != nil {
		var se alioss.ServiceError
		if errors.As(err, &se) && se.Code == "NoSuchUpload" {
			return nil // already gone
		}
		return s.wrap(err, "abort the multipart upload of %q", key)
	}
	return nil
}

func (s *sdkStore) listUploads(ctx context.Context, prefix, keyMarker, idMarker string) (uploadPage, error) {
	var hdr http.Header
	opts := []alioss.Option{alioss.Prefix(prefix), alioss.MaxUploads(1000), alioss.WithContext(ctx), alioss.GetResponseHeader(&hdr)}
	if keyMarker != "" {
		opts = append(opts, alioss.KeyMarker(keyMarker), alioss.UploadIDMarker(idMarker))
	}
	res, err := s.b.ListMultipartUploads(opts...)
	if err != nil {
		return uploadPage{}, s.wrap(err, "list the multipart uploads under %q", prefix)
	}
	page := uploadPage{NextKeyMarker: res.NextKeyMarker, NextIDMarker: res.NextUploadIDMarker, Truncated: res.IsTruncated}
	if t, err := http.ParseTime(hdr.Get("Date")); err == nil {
		page.ServerTime = t
	}
	for _, u := range res.Uploads {
		page.Uploads = append(page.Uploads, uploadInfo{Key: u.Key, UploadID: u.UploadID, Initiated: u.Initiated})
	}
	return page, nil
}

func (s *sdkStore) delete(ctx context.Context, keys []string) error {
	res, err := s.b.DeleteObjects(keys, alioss.WithContext(ctx))
	if err != nil {
		return s.wrap(err, "delete %d objects", len(keys))
	}
	if len(res.DeletedObjects) != len(keys) {
		return s.wrap(fmt.Errorf("OSS deleted %d of %d objects", len(res.DeletedObjects), len(keys)), "delete")
	}
	return nil
}

// crcOf is the CRC-64 OSS computes.
func crcOf(p []byte) uint64 { return crc64.Checksum(p, textcodec.CRCTable) }
