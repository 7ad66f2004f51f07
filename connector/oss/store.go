package oss

import (
	"context"
	"io"
	"time"
)

// store is what the connector needs from OSS. sdkStore implements it with
// the v1 SDK (github.com/aliyun/aliyun-oss-go-sdk/oss); the v2 SDK can
// replace it here without touching the rest of the package. Its errors are
// classified (see classify) and free of credentials.
type store interface {
	// bucketName names the bucket, for messages.
	bucketName() string
	// list returns one page of the objects whose keys start with prefix,
	// after the continuation token ("" for the first page).
	list(ctx context.Context, prefix, token string) (objectPage, error)
	// head returns an object's size and ETag; exists is false when there is
	// no such object.
	head(ctx context.Context, key string) (info objectInfo, exists bool, err error)
	// get streams an object from offset to its end, failing if its ETag is
	// no longer etag (when etag is not "").
	get(ctx context.Context, key string, offset int64, etag string) (io.ReadCloser, getInfo, error)
	// put writes a whole object; with noOverwrite it fails if one exists.
	put(ctx context.Context, key string, data []byte, noOverwrite bool) error
	// initiate starts a multipart upload and returns its ID.
	initiate(ctx context.Context, key string, noOverwrite bool) (string, error)
	// uploadPart uploads part n (from 1) and returns its ETag.
	uploadPart(ctx context.Context, key, uploadID string, n int, data []byte) (string, error)
	// complete joins the parts into the object and returns its CRC-64, when
	// OSS gave it.
	complete(ctx context.Context, key, uploadID string, parts []uploadedPart, noOverwrite bool) (crc uint64, hasCRC bool, err error)
	// abort cancels a multipart upload and deletes its parts.
	abort(ctx context.Context, key, uploadID string) error
	// listUploads returns one page of the multipart uploads in progress
	// under prefix, after the markers.
	listUploads(ctx context.Context, prefix, keyMarker, idMarker string) (uploadPage, error)
	// delete deletes up to 1000 objects.
	delete(ctx context.Context, keys []string) error
}

type objectInfo struct {
	Key      string
	Size     int64
	ETag     string
	Modified time.Time
}

type objectPage struct {
	Objects   []objectInfo
	Next      string // continuation token
	Truncated bool
}

type getInfo struct {
	CRC    uint64 // of the whole object
	HasCRC bool
	ETag   string
}

type uploadedPart struct {
	Number int
	ETag   string
}

type uploadInfo struct {
	Key, UploadID string
	Initiated     time.Time
}

type uploadPage struct {
	Uploads                     []uploadInfo
	NextKeyMarker, NextIDMarker string
	Truncated                   bool
	ServerTime                  time.Time // OSS's clock when it listed them (its Date), if it said
}
