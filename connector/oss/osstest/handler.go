package osstest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
)

// statusWriter remembers the status of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// route splits a request into its bucket and key: virtual-hosted style
// (bucket.host) for a known bucket, path style (/bucket/key) otherwise.
func (s *Server) route(r *http.Request) (bucketName, key string) {
	host := r.Host
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		host = host[:i]
	}
	if name, _, ok := strings.Cut(host, "."); ok && net.ParseIP(strings.Trim(host, "[]")) == nil {
		s.mu.Lock()
		known := s.buckets[name] != nil
		s.mu.Unlock()
		if known {
			return name, strings.TrimPrefix(r.URL.Path, "/")
		}
	}
	path := strings.TrimPrefix(r.URL.Path, "/")
	bucketName, key, _ = strings.Cut(path, "/")
	return bucketName, key
}

// operation names the operation a request asks for.
func operation(r *http.Request, bucketName, key string) string {
	q := r.URL.Query()
	has := func(k string) bool { _, ok := q[k]; return ok }
	switch {
	case bucketName == "":
		if r.Method == http.MethodGet {
			return OpListBuckets
		}
	case key == "":
		switch r.Method {
		case http.MethodGet:
			switch {
			case has("uploads"):
				return OpListMultipartUploads
			case q.Get("list-type") == "2":
				return OpListObjectsV2
			case len(q) == 0 || has("prefix") || has("marker") || has("max-keys") || has("delimiter") || has("encoding-type"):
				return OpListObjects
			}
		case http.MethodPost:
			if has("delete") {
				return OpDeleteMultipleObjects
			}
		case http.MethodPut:
			if len(q) == 0 {
				return OpPutBucket
			}
		}
	default:
		switch r.Method {
		case http.MethodGet:
			switch {
			case has("uploadId"):
				return OpListParts
			case len(q) == 0 || onlyResponseParams(q):
				return OpGetObject
			}
		case http.MethodHead:
			return OpHeadObject
		case http.MethodPut:
			if r.Header.Get("X-Oss-Copy-Source") != "" {
				return ""
			}
			switch {
			case has("partNumber") && has("uploadId"):
				return OpUploadPart
			case len(q) == 0:
				return OpPutObject
			}
		case http.MethodPost:
			switch {
			case has("uploads"):
				return OpInitiateMultipartUpload
			case has("uploadId"):
				return OpCompleteMultipartUpload
			}
		case http.MethodDelete:
			switch {
			case has("uploadId"):
				return OpAbortMultipartUpload
			case len(q) == 0:
				return OpDeleteObject
			}
		}
	}
	return ""
}

func onlyResponseParams(q map[string][]string) bool {
	for k := range q {
		if !strings.HasPrefix(k, "response-") {
			return false
		}
	}
	return true
}

func (s *Server) serveHTTP(rw http.ResponseWriter, r *http.Request) {
	w := &statusWriter{ResponseWriter: rw}
	reqID := strings.ToUpper(randomHex(12))
	w.Header().Set("x-oss-request-id", reqID)
	w.Header().Set("Server", "osstest")
	bucketName, key := s.route(r)
	op := operation(r, bucketName, key)
	entry := Request{Op: op, Method: r.Method, Bucket: bucketName, Key: key, Range: r.Header.Get("Range")}
	defer func() {
		entry.Status = w.status
		s.mu.Lock()
		s.requests = append(s.requests, entry)
		s.mu.Unlock()
	}()

	version, authErr := s.authenticate(r, bucketName, key)
	entry.Auth = version
	if authErr != nil {
		writeError(w, r, reqID, authErr)
		return
	}
	if op == "" {
		writeError(w, r, reqID, errNotImplemented(r.Method+" "+r.URL.RequestURI()))
		return
	}
	if op != OpListBuckets && op != OpPutBucket {
		s.mu.Lock()
		known := s.buckets[bucketName] != nil
		s.mu.Unlock()
		if !known {
			writeError(w, r, reqID, errNoSuchBucket(bucketName))
			return
		}
	}
	ctx := r.Context()
	f := s.fault(op, bucketName, key)
	if f != nil && !f.AfterOp {
		if f.Status != 0 {
			writeError(w, r, reqID, errStatus(f.Status, f.Code))
			return
		}
		if op != OpGetObject {
			drainBody(r)
			dropConnection()
		}
		if err := s.getObject(w, r, reqID, bucketName, key, f.DropAfter); err != nil {
			writeError(w, r, reqID, err)
		}
		return
	}
	runHooks(ctx, s.hooksAt(BeforeOp, op, bucketName, key), entry)
	after := s.hooksAt(AfterOp, op, bucketName, key)
	if f == nil && len(after) == 0 {
		if err := s.do(w, r, reqID, op, bucketName, key); err != nil {
			writeError(w, r, reqID, err)
		}
		return
	}
	// The answer is held back until the fault or the hooks had their turn.
	rec := httptest.NewRecorder()
	if err := s.do(rec, r, reqID, op, bucketName, key); err != nil {
		writeError(rec, r, reqID, err)
	}
	if f != nil {
		if f.Status == 0 {
			dropConnection()
		}
		writeError(w, r, reqID, errStatus(f.Status, f.Code))
		return
	}
	runHooks(ctx, after, entry)
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

// do does operation op and writes its answer to w; an error is for the
// caller to write.
func (s *Server) do(w http.ResponseWriter, r *http.Request, reqID, op, bucketName, key string) *ossError {
	switch op {
	case OpListBuckets:
		s.listBuckets(w)
	case OpPutBucket:
		s.CreateBucket(bucketName)
		w.WriteHeader(http.StatusOK)
	case OpListObjects:
		return s.listObjects(w, r, bucketName, false)
	case OpListObjectsV2:
		return s.listObjects(w, r, bucketName, true)
	case OpPutObject:
		return s.putObject(w, r, bucketName, key)
	case OpGetObject:
		return s.getObject(w, r, reqID, bucketName, key, -1)
	case OpHeadObject:
		return s.headObject(w, r, bucketName, key)
	case OpDeleteObject:
		s.deleteObject(w, bucketName, key)
	case OpDeleteMultipleObjects:
		return s.deleteObjects(w, r, bucketName)
	case OpInitiateMultipartUpload:
		return s.initiateUpload(w, r, bucketName, key)
	case OpUploadPart:
		return s.uploadPart(w, r, bucketName, key)
	case OpCompleteMultipartUpload:
		return s.completeUpload(w, r, bucketName, key)
	case OpAbortMultipartUpload:
		return s.abortUpload(w, r, bucketName, key)
	case OpListMultipartUploads:
		return s.listUploads(w, r, bucketName)
	case OpListParts:
		return s.listParts(w, r, bucketName, key)
	}
	return nil
}

func drainBody(r *http.Request) {
	if r.Body != nil {
		buf := make([]byte, 32<<10)
		for {
			if _, err := r.Body.Read(buf); err != nil {
				return
			}
		}
	}
}
