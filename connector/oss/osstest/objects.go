package osstest

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// readBody reads a request body and checks its Content-MD5.
func readBody(r *http.Request) ([]byte, *ossError) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, &ossError{status: http.StatusBadRequest, code: "IncompleteBody", message: "The request body was cut: " + err.Error()}
	}
	if want := r.Header.Get("X-Oss-Content-Sha256"); want != "" && want != "UNSIGNED-PAYLOAD" {
		sum := sha256.Sum256(data)
		if !strings.EqualFold(hex.EncodeToString(sum[:]), want) {
			return nil, &ossError{status: http.StatusBadRequest, code: "InvalidDigest", message: "The x-oss-content-sha256 you specified does not match the body."}
		}
	}
	if want := r.Header.Get("Content-MD5"); want != "" {
		sum := md5.Sum(data)
		if base64.StdEncoding.EncodeToString(sum[:]) != want {
			return nil, &ossError{status: http.StatusBadRequest, code: "InvalidDigest", message: "The Content-MD5 you specified is not valid."}
		}
	}
	return data, nil
}

func userMeta(h http.Header) http.Header {
	meta := http.Header{}
	for k, v := range h {
		if strings.HasPrefix(strings.ToLower(k), "x-oss-meta-") {
			meta[k] = slices.Clone(v)
		}
	}
	return meta
}

func forbidOverwrite(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("X-Oss-Forbid-Overwrite"), "true")
}

func (s *Server) putObject(w http.ResponseWriter, r *http.Request, bucketName, key string) *ossError {
	data, err := readBody(r)
	if err != nil {
		return err
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		ct = "application/octet-stream"
	}
	obj := newObject(data, ct, userMeta(r.Header))
	s.mu.Lock()
	b := s.buckets[bucketName]
	if forbidOverwrite(r) && b.objects[key] != nil {
		s.mu.Unlock()
		return errFileExists(key)
	}
	b.objects[key] = obj
	s.mu.Unlock()
	w.Header().Set("ETag", obj.etag)
	w.Header().Set("x-oss-hash-crc64ecma", strconv.FormatUint(obj.crc, 10))
	sum := md5.Sum(data)
	w.Header().Set("Content-MD5", base64.StdEncoding.EncodeToString(sum[:]))
	w.WriteHeader(http.StatusOK)
	return nil
}

// lookup returns an object, checking the conditional headers.
func (s *Server) lookup(r *http.Request, bucketName, key string) (*object, *ossError, int) {
	s.mu.Lock()
	obj := s.buckets[bucketName].objects[key]
	s.mu.Unlock()
	if obj == nil {
		return nil, errNoSuchKey(key), 0
	}
	if m := r.Header.Get("If-Match"); m != "" && !etagMatch(m, obj.etag) {
		return nil, &ossError{status: http.StatusPreconditionFailed, code: "PreconditionFailed", message: "At least one of the pre-conditions you specified did not hold.", key: key}, 0
	}
	if t, err := http.ParseTime(r.Header.Get("If-Unmodified-Since")); err == nil && obj.modified.Truncate(time.Second).After(t) {
		return nil, &ossError{status: http.StatusPreconditionFailed, code: "PreconditionFailed", message: "At least one of the pre-conditions you specified did not hold.", key: key}, 0
	}
	if m := r.Header.Get("If-None-Match"); m != "" && etagMatch(m, obj.etag) {
		return obj, nil, http.StatusNotModified
	}
	if t, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil && !obj.modified.Truncate(time.Second).After(t) {
		return obj, nil, http.StatusNotModified
	}
	return obj, nil, 0
}

func etagMatch(cond, etag string) bool {
	for _, c := range strings.Split(cond, ",") {
		c = strings.TrimSpace(c)
		if c == "*" || strings.EqualFold(strings.Trim(c, `"`), strings.Trim(etag, `"`)) {
			return true
		}
	}
	return false
}

func setObjectHeaders(w http.ResponseWriter, obj *object) {
	h := w.Header()
	h.Set("ETag", obj.etag)
	h.Set("Last-Modified", obj.modified.Format(http.TimeFormat))
	h.Set("Content-Type", obj.contentType)
	h.Set("Accept-Ranges", "bytes")
	h.Set("x-oss-hash-crc64ecma", strconv.FormatUint(obj.crc, 10))
	h.Set("x-oss-storage-class", "Standard")
	if obj.multipart {
		h.Set("x-oss-object-type", "Multipart")
	} else {
		h.Set("x-oss-object-type", "Normal")
	}
	for k, v := range obj.meta {
		h[k] = v
	}
}

// parseRange reads a single byte range of an object of size n: "bytes=a-b",
// "bytes=a-" or "bytes=-k". It reports false for anything else.
func parseRange(spec string, n int64) (start, end int64, ok bool) {
	spec, found := strings.CutPrefix(strings.TrimSpace(spec), "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, 0, false
	}
	a, b, found := strings.Cut(spec, "-")
	if !found {
		return 0, 0, false
	}
	if a == "" {
		k, err := strconv.ParseInt(b, 10, 64)
		if err != nil || k <= 0 || n == 0 {
			return 0, 0, false
		}
		return max(n-k, 0), n - 1, true
	}
	start, err := strconv.ParseInt(a, 10, 64)
	if err != nil || start < 0 || start >= n {
		return 0, 0, false
	}
	end = n - 1
	if b != "" {
		if end, err = strconv.ParseInt(b, 10, 64); err != nil || end < start {
			return 0, 0, false
		}
		end = min(end, n-1)
	}
	return start, end, true
}

// getObject serves an object or a range of it; with dropAfter >= 0 it cuts
// the connection after that many bytes of the body.
func (s *Server) getObject(w http.ResponseWriter, r *http.Request, reqID, bucketName, key string, dropAfter int64) *ossError {
	obj, err, status := s.lookup(r, bucketName, key)
	if err != nil {
		return err
	}
	setObjectHeaders(w, obj)
	if status != 0 {
		w.WriteHeader(status)
		return nil
	}
	body := obj.data
	status = http.StatusOK
	if rg := r.Header.Get("Range"); rg != "" {
		n := int64(len(obj.data))
		if start, end, ok := parseRange(rg, n); ok {
			body = obj.data[start : end+1]
			status = http.StatusPartialContent
			w.Header().Set("Content-Range", "bytes "+strconv.FormatInt(start, 10)+"-"+strconv.FormatInt(end, 10)+"/"+strconv.FormatInt(n, 10))
		} else if strings.EqualFold(r.Header.Get("X-Oss-Range-Behavior"), "standard") {
			w.Header().Set("Content-Range", "bytes */"+strconv.FormatInt(n, 10))
			return &ossError{status: http.StatusRequestedRangeNotSatisfiable, code: "InvalidRange", message: "The requested range cannot be satisfied."}
		}
		// OSS ignores a range it cannot serve and sends the whole object.
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if dropAfter >= 0 {
		w.Write(body[:min(int(dropAfter), len(body))])
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		dropConnection()
	}
	w.Write(body)
	return nil
}

func (s *Server) headObject(w http.ResponseWriter, r *http.Request, bucketName, key string) *ossError {
	obj, err, status := s.lookup(r, bucketName, key)
	if err != nil {
		return err
	}
	setObjectHeaders(w, obj)
	w.Header().Set("Content-Length", strconv.Itoa(len(obj.data)))
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	return nil
}

func (s *Server) deleteObject(w http.ResponseWriter, bucketName, key string) {
	s.mu.Lock()
	delete(s.buckets[bucketName].objects, key)
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) deleteObjects(w http.ResponseWriter, r *http.Request, bucketName string) *ossError {
	if r.Header.Get("Content-MD5") == "" {
		return &ossError{status: http.StatusBadRequest, code: "MissingArgument", message: "DeleteMultipleObjects needs a Content-MD5 header."}
	}
	data, err := readBody(r)
	if err != nil {
		return err
	}
	var req deleteRequestXML
	if xml.NewDecoder(bytes.NewReader(data)).Decode(&req) != nil || len(req.Objects) == 0 || len(req.Objects) > 1000 {
		return &ossError{status: http.StatusBadRequest, code: "MalformedXML", message: "The XML you provided was not well-formed or holds more than 1000 objects."}
	}
	enc := encoder(r)
	res := deleteResultXML{}
	if r.URL.Query().Get("encoding-type") == "url" {
		res.EncodingType = "url"
	}
	s.mu.Lock()
	for _, o := range req.Objects {
		delete(s.buckets[bucketName].objects, o.Key)
		if !req.Quiet {
			res.Deleted = append(res.Deleted, deletedXML{Key: enc(o.Key)})
		}
	}
	s.mu.Unlock()
	writeXML(w, res)
	return nil
}

func (s *Server) listBuckets(w http.ResponseWriter) {
	s.mu.Lock()
	res := listBucketsXML{Owner: ownerXML{ID: "osstest", DisplayName: "osstest"}}
	for _, b := range s.buckets {
		res.Buckets = append(res.Buckets, bucketXML{Name: b.name, CreationDate: isoTime(b.created), Location: "oss-" + s.Region, Region: s.Region, StorageClass: "Standard"})
	}
	s.mu.Unlock()
	slices.SortFunc(res.Buckets, func(a, b bucketXML) int { return strings.Compare(a.Name, b.Name) })
	writeXML(w, res)
}
