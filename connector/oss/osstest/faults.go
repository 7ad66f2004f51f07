package osstest

import (
	"net/http"
	"strings"
)

// The operations, as Request.Op and Fault.Op name them.
const (
	OpListBuckets             = "ListBuckets"
	OpPutBucket               = "PutBucket"
	OpListObjects             = "ListObjects"
	OpListObjectsV2           = "ListObjectsV2"
	OpPutObject               = "PutObject"
	OpGetObject               = "GetObject"
	OpHeadObject              = "HeadObject"
	OpDeleteObject            = "DeleteObject"
	OpDeleteMultipleObjects   = "DeleteMultipleObjects"
	OpInitiateMultipartUpload = "InitiateMultipartUpload"
	OpUploadPart              = "UploadPart"
	OpCompleteMultipartUpload = "CompleteMultipartUpload"
	OpAbortMultipartUpload    = "AbortMultipartUpload"
	OpListMultipartUploads    = "ListMultipartUploads"
	OpListParts               = "ListParts"
)

// Forever makes a Fault fail every matching request.
const Forever = -1

// Fault describes failures to inject into matching requests (correctly
// signed ones only). A fault with a Status answers with that HTTP status
// and an OSS error, instead of doing the operation; one without cuts the
// connection: a GetObject after sending DropAfter bytes of the body, any
// other operation before answering (and without doing it). With AfterOp the
// operation is done first, and only its answer is replaced or cut.
type Fault struct {
	// Op is the operation to fail (an Op constant); "" fails any.
	Op string
	// Bucket and KeyPrefix restrict the fault to a bucket and to keys that
	// start with KeyPrefix; "" matches any.
	Bucket    string
	KeyPrefix string
	// Skip lets this many matching requests through before failing.
	Skip int
	// Times is how many matching requests fail: 1 when 0, every one with
	// Forever.
	Times int
	// Status, when not 0, is the HTTP status to answer with, such as 500 or
	// 503, with Code as the OSS error code (InternalError and so on by
	// default).
	Status int
	Code   string
	// DropAfter is how many bytes of a GetObject body are sent before the
	// connection is cut.
	DropAfter int64
	// AfterOp does the operation before failing: the server has changed
	// (an upload was created, an object stored) but the client gets the
	// error, or a cut connection, instead of the answer, and cannot tell.
	AfterOp bool
}

type faultState struct {
	Fault
	seen, failed int
}

// Inject adds a fault; faults apply in the order they were added.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times == 0 {
		f.Times = 1
	}
	s.faults = append(s.faults, &faultState{Fault: f})
}

// ClearFaults removes the faults not yet spent.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// fault returns the fault that applies to a request, if any, and counts it.
func (s *Server) fault(op, bucketName, key string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.faults {
		if (f.Op != "" && f.Op != op) || (f.Bucket != "" && f.Bucket != bucketName) || !strings.HasPrefix(key, f.KeyPrefix) {
			continue
		}
		if f.Times != Forever && f.failed >= f.Times {
			continue
		}
		f.seen++
		if f.seen <= f.Skip {
			continue
		}
		f.failed++
		c := f.Fault
		return &c
	}
	return nil
}

// dropConnection cuts the client's connection without an answer.
func dropConnection() { panic(http.ErrAbortHandler) }
