// Package osstest provides an Alibaba Cloud OSS server for tests, in the
// manner of net/http/httptest: it listens on loopback, keeps objects in
// memory, and speaks enough of the OSS protocol for the official Go SDK
// (github.com/aliyun/aliyun-oss-go-sdk/oss) and anything built on it, such
// as the datasync oss connector, to run unchanged against it.
//
//	srv := osstest.NewServer(osstest.WithBuckets("my-bucket"))
//	defer srv.Close()
//	bucket, err := srv.Bucket("my-bucket") // an *oss.Bucket with the server's credentials
//	// or: oss.New(srv.Endpoint, srv.AccessKeyID, srv.AccessKeySecret, ...)
//
// # What it serves
//
//   - PutObject (with Content-MD5 and x-oss-forbid-overwrite), GetObject
//     with a Range (bytes=a-b, a-, -n; an unsatisfiable range returns the
//     whole object as OSS does, or 416 with x-oss-range-behavior: standard)
//     and If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since,
//     HeadObject (and GetObjectMeta), DeleteObject, DeleteMultipleObjects.
//   - ListObjects (marker) and ListObjectsV2 (continuation-token,
//     start-after), with prefix, delimiter and common prefixes, max-keys
//     paging and encoding-type=url.
//   - InitiateMultipartUpload, UploadPart, CompleteMultipartUpload
//     (ascending parts, matching ETags, a minimum part size but for the last
//     part, x-oss-forbid-overwrite), AbortMultipartUpload,
//     ListMultipartUploads and ListParts.
//   - ListBuckets and PutBucket; buckets are also made with WithBuckets or
//     CreateBucket.
//
// Responses carry the headers clients check: ETag (an MD5, or OSS's
// multipart form), x-oss-hash-crc64ecma (the CRC-64 of the whole object,
// and of each uploaded part), x-oss-request-id, Content-Range, and OSS's XML
// errors (NoSuchKey, NoSuchBucket, NoSuchUpload, EntityTooSmall, InvalidPart,
// PreconditionFailed, FileAlreadyExists, ...). Other requests, such as
// CopyObject or AppendObject, get 501 NotImplemented.
//
// # Signatures
//
// Every request must be signed with the server's AccessKeyID and
// AccessKeySecret (random unless WithCredentials sets them), with OSS's V1
// signature (the SDK's default) or V4 (oss.AuthVersion(oss.AuthV4) with
// oss.Region(srv.Region)). A wrong key, a wrong signature, a wrong V4 scope
// or a date more than 15 minutes off is refused as OSS refuses it
// (InvalidAccessKeyId, SignatureDoesNotMatch with the StringToSign,
// AccessDenied, RequestTimeTooSkewed), so tests catch signing mistakes.
// Request.Auth records which version signed each request.
//
// # Faults
//
// Inject makes matching requests fail, to test retries and cleanup: a
// Fault with a Status answers with that HTTP status (500, 503...) and an
// OSS error instead of doing the operation; one without cuts the connection,
// for GetObject after DropAfter bytes of the body (a dropped download), for
// other operations before answering. Skip lets the first matching requests
// through and Times bounds how many fail (Forever for all).
//
//	srv.Inject(osstest.Fault{Op: osstest.OpGetObject, DropAfter: 1 << 20})      // cut a download after 1 MiB
//	srv.Inject(osstest.Fault{Op: osstest.OpUploadPart, Skip: 2, Status: 500})    // fail the third part
//
// With AfterOp the operation is done before the fault strikes: the server
// has changed (an upload created, an object stored) but the client gets an
// error or a cut connection instead of the answer, and cannot tell.
//
// # Hooks
//
// AddHook runs a function inside the server while it handles matching
// requests, before the operation (BeforeOp) or after it, before the answer
// is sent (AfterOp), to test what a client does at a precise moment: the
// function may block, cancel the client's context, or wait for the client to
// hang up. AddUpload starts a multipart upload directly, dated as asked.
//
//	srv.AddHook(osstest.Hook{Op: osstest.OpInitiateMultipartUpload, Stage: osstest.AfterOp,
//		Func: func(ctx context.Context, r osstest.Request) { cancelTheJob() }})
//
// # Inspecting
//
// Object, Keys and Uploads show the server's state without a request
// (Uploads lists multipart uploads in progress: a writer that cleans up
// leaves none), Requests and Count the requests received, with their
// operation, key, Range header, signature version and status. WithMaxKeys
// caps listing pages so that paging can be tested with few objects, and
// WithMinPartSize changes the smallest part size allowed.
package osstest
