package osstest

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/xml"
	"hash/crc64"
	"net/http"
	"strconv"
	"strings"
	"time"
)

type upload struct {
	id, bucket, key string
	contentType     string
	meta            http.Header
	initiated       time.Time
	parts           map[int]*part
}

type part struct {
	data     []byte
	etag     string
	crc      uint64
	modified time.Time
}

func (s *Server) initiateUpload(w http.ResponseWriter, r *http.Request, bucketName, key string) *ossError {
	drainBody(r)
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		ct = "application/octet-stream"
	}
	u := &upload{id: strings.ToUpper(randomHex(16)), bucket: bucketName, key: key, contentType: ct,
		meta: userMeta(r.Header), initiated: time.Now().UTC(), parts: map[int]*part{}}
	s.mu.Lock()
	if forbidOverwrite(r) && s.buckets[bucketName].objects[key] != nil {
		s.mu.Unlock()
		return errFileExists(key)
	}
	s.uploads[u.id] = u
	s.mu.Unlock()
	writeXML(w, initiateXML{Bucket: bucketName, Key: key, UploadID: u.id})
	return nil
}

// findUpload returns the upload named by the request's uploadId.
func (s *Server) findUpload(r *http.Request, bucketName, key string) (*upload, *ossError) {
	id := r.URL.Query().Get("uploadId")
	u := s.uploads[id]
	if u == nil || u.bucket != bucketName || u.key != key {
		return nil, errNoSuchUpload(id)
	}
	return u, nil
}

func (s *Server) uploadPart(w http.ResponseWriter, r *http.Request, bucketName, key string) *ossError {
	n, err := strconv.Atoi(r.URL.Query().Get("partNumber"))
	if err != nil || n < 1 || n > 10000 {
		drainBody(r)
		return errInvalidArgument("partNumber must be between 1 and 10000.")
	}
	data, oerr := readBody(r)
	if oerr != nil {
		return oerr
	}
	sum := md5.Sum(data)
	p := &part{data: data, etag: `"` + strings.ToUpper(hex.EncodeToString(sum[:])) + `"`, crc: crc64.Checksum(data, crcTable), modified: time.Now().UTC()}
	s.mu.Lock()
	u, oerr := s.findUpload(r, bucketName, key)
	if oerr == nil {
		u.parts[n] = p
	}
	s.mu.Unlock()
	if oerr != nil {
		return oerr
	}
	w.Header().Set("ETag", p.etag)
	w.Header().Set("x-oss-hash-crc64ecma", strconv.FormatUint(p.crc, 10))
	w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Server) completeUpload(w http.ResponseWriter, r *http.Request, bucketName, key string) *ossError {
	body, oerr := readBody(r)
	if oerr != nil {
		return oerr
	}
	var req completeRequestXML
	if xml.NewDecoder(bytes.NewReader(body)).Decode(&req) != nil || len(req.Parts) == 0 {
		return &ossError{status: http.StatusBadRequest, code: "MalformedXML", message: "The XML you provided was not well-formed or lists no part."}
	}
	obj, oerr := s.complete(r, req, bucketName, key)
	if oerr != nil {
		return oerr
	}
	w.Header().Set("x-oss-hash-crc64ecma", strconv.FormatUint(obj.crc, 10))
	res := completeXML{Location: "http://" + r.Host + "/" + bucketName + "/" + key, Bucket: bucketName, Key: encoder(r)(key), ETag: obj.etag}
	if r.URL.Query().Get("encoding-type") == "url" {
		res.EncodingType = "url"
	}
	writeXML(w, res)
	return nil
}

func (s *Server) abortUpload(w http.ResponseWriter, r *http.Request, bucketName, key string) *ossError {
	s.mu.Lock()
	u, oerr := s.findUpload(r, bucketName, key)
	if oerr == nil {
		delete(s.uploads, u.id)
	}
	s.mu.Unlock()
	if oerr != nil {
		return oerr
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// complete joins the parts of an upload into its object.
func (s *Server) complete(r *http.Request, req completeRequestXML, bucketName, key string) (*object, *ossError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, oerr := s.findUpload(r, bucketName, key)
	if oerr != nil {
		return nil, oerr
	}
	var data, md5s []byte
	for i, rp := range req.Parts {
		if i > 0 && rp.PartNumber <= req.Parts[i-1].PartNumber {
			return nil, &ossError{status: http.StatusBadRequest, code: "InvalidPartOrder", message: "The list of parts was not in ascending order."}
		}
		p := u.parts[rp.PartNumber]
		if p == nil || !strings.EqualFold(strings.Trim(rp.ETag, `"`), strings.Trim(p.etag, `"`)) {
			return nil, &ossError{status: http.StatusBadRequest, code: "InvalidPart", message: "Part " + strconv.Itoa(rp.PartNumber) + " was not uploaded, or its ETag does not match."}
		}
		if i < len(req.Parts)-1 && int64(len(p.data)) < s.minPartSize {
			return nil, &ossError{status: http.StatusBadRequest, code: "EntityTooSmall",
				message: "Part " + strconv.Itoa(rp.PartNumber) + " is smaller than the minimum part size of " + strconv.FormatInt(s.minPartSize, 10) + " bytes."}
		}
		data = append(data, p.data...)
		sum, _ := hex.DecodeString(strings.Trim(p.etag, `"`))
		md5s = append(md5s, sum...)
	}
	b := s.buckets[bucketName]
	if forbidOverwrite(r) && b.objects[key] != nil {
		return nil, errFileExists(key)
	}
	obj := newObject(data, u.contentType, u.meta)
	sum := md5.Sum(md5s)
	obj.etag = `"` + strings.ToUpper(hex.EncodeToString(sum[:])) + "-" + strconv.Itoa(len(req.Parts)) + `"`
	obj.multipart = true
	b.objects[key] = obj
	delete(s.uploads, u.id)
	return obj, nil
}
