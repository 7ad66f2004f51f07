// Package oss reads and writes text objects in Alibaba Cloud OSS: csv,
// delimited text and JSON Lines, compressed or not, in UTF-8, GBK or another
// ASCII-compatible encoding, through the official Go SDK
// (github.com/aliyun/aliyun-oss-go-sdk/oss). It is the datasync counterpart
// of DataX's ossreader and osswriter, whose parameters package job/datax
// translates into these configs. The text settings are package text's,
// shared with package file (see its documentation for the formats,
// columns, NULL handling and dirty data).
//
// # Connecting
//
// Endpoint, Bucket and the AccessKey pair (json "accessId" and "accessKey";
// from OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET, or
// ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, when
// empty; SecurityToken for STS) reach the bucket with V1 signatures, or V4
// when Region is set (AuthVersion chooses explicitly). A caller that already
// has a client passes its *oss.Bucket as Client instead. Credentials never
// appear in errors, logs or String output. Failures that a new attempt may
// cure (5xx answers, throttling, dropped connections, CRC mismatches) are
// marked retryable for the pipeline; the others are explained (wrong
// secret, unknown key ID, missing bucket, access denied).
//
// The connector reaches OSS through a small internal interface, implemented
// with the v1 SDK, so that the v2 SDK can take its place in one file.
//
// # Reading
//
// SourceConfig.Object lists exact keys, prefixes ending in "/" (every object
// under them) and patterns in which * matches any run of characters, "/"
// included, and ? one character, as DataX's ossreader does; the objects are
// listed with ListObjectsV2, page after page, and a pattern that matches
// nothing is an error naming it. Every object is a split (IDs object-00000,
// ...); a large uncompressed text or jsonl object (or csv with
// NoQuotedNewlines) is split further into line-aligned byte ranges of
// SplitSize. Objects are streamed with ranged GETs pinned to the ETag seen
// when planning (a replaced object fails the split instead of mixing two
// versions): when a connection drops mid-body, the reader asks again from
// the byte it stopped at, a few times, before it fails the split with a
// retryable error, which the pipeline retries from the last checkpoint (the
// byte offset after the last row returned). The CRC-64 OSS reports for a
// whole object is checked against the bytes read, across reconnections and
// checkpoints (byte ranges are not checked). A compressed object that is
// truncated or damaged fails its split at once, without retries, with an
// error naming it and how far the decompressor got.
//
// # Writing
//
// Each split writes <Object>_<split ID><suffix> (or, with Naming
// NameRandom, <Object>__<random><suffix> as DataX's osswriter), rolling to
// <Object>_<split ID>_<n><suffix> when MaxFileBytes is set. An object is streamed as a multipart upload: parts of
// PartSize (8 MiB by default) are uploaded in the background while the next
// one fills, so a writer holds at most two parts per object in memory; an
// object smaller than one part is a single PutObject. Nothing is visible
// until the split commits (the writer is a datasync.Committer): Commit
// completes the uploads and checks the CRC-64 of each object; a writer
// closed without Commit (a failed, retried or cancelled split) aborts its
// uploads, so no part is left behind, and a retried split writes its objects
// over from the start. That holds whatever the moment of the cancellation:
// an InitiateMultipartUpload in flight is given a few seconds to return the
// ID of the upload OSS may be creating, and one that fails without a clear
// answer (a cut connection, a timeout, a 5xx) is followed by a listing of the
// key's uploads, aborting those OSS started since it was sent (which needs
// the oss:ListMultipartUploads permission). WriteMode is
//
//	nonConflict  the default: fail before writing if an object whose key
//	             starts with Object exists (and never overwrite one)
//	truncate     delete the objects whose keys start with Object first, and
//	             abort the multipart uploads failed jobs left under it
//	append       keep them; a key already taken gets a random suffix
//
// A process that is killed cannot abort its uploads: their parts stay in
// the bucket (invisible, but billed) until a truncate job aborts the uploads
// under its prefix or a lifecycle rule of the bucket (AbortMultipartUpload
// after some days, which is good practice) removes them.
//
// Sink.Check and Source.Check validate a job without moving data: the
// bucket answers with these credentials, the patterns match objects whose
// first one has the named columns, nonConflict would not fail.
//
// # Testing
//
// Package osstest is an OSS server for tests that checks signatures and can
// inject faults; this package's tests run the SDK against it. Tests against
// a real bucket run when OSS_TEST_ENDPOINT, OSS_TEST_ACCESS_KEY_ID,
// OSS_TEST_ACCESS_KEY_SECRET and OSS_TEST_BUCKET are set (OSS_TEST_REGION for
// V4); they are skipped otherwise.
package oss
