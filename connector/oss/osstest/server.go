package osstest

import (
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"hash/crc64"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"
)

// The defaults of a Server.
const (
	DefaultRegion      = "cn-hangzhou"
	DefaultMinPartSize = 100 << 10 // OSS's minimum size of a part but the last
	DefaultMaxKeys     = 1000      // OSS's largest page of a listing
)

// Server is an OSS-protocol server on loopback, for tests. Create it with
// NewServer and Close it when done; its methods are safe for concurrent
// use.
type Server struct {
	// Endpoint is the server's URL ("http://127.0.0.1:port"), the endpoint
	// to give oss.New.
	Endpoint string
	// AccessKeyID and AccessKeySecret are the only credentials it accepts.
	AccessKeyID     string
	AccessKeySecret string
	// Region is the region of V4 signatures.
	Region string

	srv         *httptest.Server
	minPartSize int64
	maxKeys     int

	mu       sync.Mutex
	buckets  map[string]*bucket
	uploads  map[string]*upload // by upload ID
	faults   []*faultState
	hooks    []Hook
	requests []Request
}

type bucket struct {
	name    string
	created time.Time
	objects map[string]*object
}

type object struct {
	data        []byte
	etag        string // quoted
	crc         uint64
	modified    time.Time
	contentType string
	multipart   bool
	meta        http.Header // x-oss-meta-*
}

// Option configures a Server.
type Option func(*Server)

// WithCredentials sets the access key the server accepts (random ones by
// default).
func WithCredentials(id, secret string) Option {
	return func(s *Server) { s.AccessKeyID, s.AccessKeySecret = id, secret }
}

// WithRegion sets the region V4 signatures must name (cn-hangzhou by
// default).
func WithRegion(region string) Option { return func(s *Server) { s.Region = region } }

// WithBuckets creates buckets.
func WithBuckets(names ...string) Option {
	return func(s *Server) {
		for _, n := range names {
			s.createBucket(n)
		}
	}
}

// WithMinPartSize sets the smallest size of a multipart upload's parts but
// the last (100 KiB by default, as OSS): CompleteMultipartUpload rejects
// smaller ones with EntityTooSmall.
func WithMinPartSize(n int64) Option { return func(s *Server) { s.minPartSize = n } }

// WithMaxKeys caps the page size of listings (1000 by default), to test
// paging with few objects.
func WithMaxKeys(n int) Option { return func(s *Server) { s.maxKeys = n } }

// NewServer starts a server on 127.0.0.1 with random credentials and no
// bucket, unless options say otherwise.
func NewServer(opts ...Option) *Server {
	s := &Server{
		AccessKeyID:     "LTAI" + randomHex(8),
		AccessKeySecret: randomHex(15),
		Region:          DefaultRegion,
		minPartSize:     DefaultMinPartSize,
		maxKeys:         DefaultMaxKeys,
		buckets:         map[string]*bucket{},
		uploads:         map[string]*upload{},
	}
	for _, o := range opts {
		o(s)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.Endpoint = s.srv.URL
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// Client returns an SDK client of the server with its credentials: V1
// signatures unless opts say otherwise, such as
// oss.AuthVersion(oss.AuthV4), oss.Region(s.Region).
func (s *Server) Client(opts ...oss.ClientOption) (*oss.Client, error) {
	return oss.New(s.Endpoint, s.AccessKeyID, s.AccessKeySecret, opts...)
}

// Bucket returns an SDK client of one bucket (see Client).
func (s *Server) Bucket(name string, opts ...oss.ClientOption) (*oss.Bucket, error) {
	c, err := s.Client(opts...)
	if err != nil {
		return nil, err
	}
	return c.Bucket(name)
}

// CreateBucket creates a bucket; it does nothing when it exists.
func (s *Server) CreateBucket(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.createBucket(name)
}

func (s *Server) createBucket(name string) {
	if s.buckets[name] == nil {
		s.buckets[name] = &bucket{name: name, created: time.Now(), objects: map[string]*object{}}
	}
}

// PutObject stores an object directly, without a request. The bucket is
// created if needed.
func (s *Server) PutObject(bucketName, key string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.createBucket(bucketName)
	s.buckets[bucketName].objects[key] = newObject(slices.Clone(data), "application/octet-stream", nil)
}

// Object returns a copy of an object's content.
func (s *Server) Object(bucketName, key string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.buckets[bucketName]
	if b == nil || b.objects[key] == nil {
		return nil, false
	}
	return slices.Clone(b.objects[key].data), true
}

// Keys returns the keys of a bucket's objects that start with prefix,
// sorted.
func (s *Server) Keys(bucketName, prefix string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var keys []string
	if b := s.buckets[bucketName]; b != nil {
		for k := range b.objects {
			if strings.HasPrefix(k, prefix) {
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	return keys
}

// Upload describes a multipart upload in progress.
type Upload struct {
	Bucket, Key, UploadID string
	Parts                 int
	Initiated             time.Time
}

// Uploads returns the multipart uploads in progress in a bucket (neither
// completed nor aborted), by key: a test of a writer that must leave no
// orphan parts expects none.
func (s *Server) Uploads(bucketName string) []Upload {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ups []Upload
	for _, u := range s.uploads {
		if u.bucket == bucketName {
			ups = append(ups, Upload{Bucket: u.bucket, Key: u.key, UploadID: u.id, Parts: len(u.parts), Initiated: u.initiated})
		}
	}
	slices.SortFunc(ups, func(a, b Upload) int { return strings.Compare(a.Key+a.UploadID, b.Key+b.UploadID) })
	return ups
}

// AddUpload starts a multipart upload directly, without a request, as if
// it had been initiated at the given time (to test clients that tell
// uploads apart by age), and returns its ID. The bucket is created if
// needed.
func (s *Server) AddUpload(bucketName, key string, initiated time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.createBucket(bucketName)
	u := &upload{id: strings.ToUpper(randomHex(16)), bucket: bucketName, key: key, contentType: "application/octet-stream",
		initiated: initiated.UTC(), parts: map[int]*part{}}
	s.uploads[u.id] = u
	return u.id
}

// Request is one request the server received.
type Request struct {
	Op     string // the operation, such as OpGetObject
	Method string
	Bucket string
	Key    string
	Range  string // the Range header
	Auth   string // "V1", "V4", or "" when the request was not signed
	Status int    // the response status; 0 when the connection was cut
}

// Requests returns the requests received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Count returns how many requests of operation op were received.
func (s *Server) Count(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r.Op == op {
			n++
		}
	}
	return n
}

func newObject(data []byte, contentType string, meta http.Header) *object {
	sum := md5.Sum(data)
	return &object{
		data:        data,
		etag:        `"` + strings.ToUpper(hex.EncodeToString(sum[:])) + `"`,
		crc:         crc64.Checksum(data, crcTable),
		modified:    time.Now().UTC(),
		contentType: contentType,
		meta:        meta,
	}
}

var crcTable = crc64.MakeTable(crc64.ECMA)

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
