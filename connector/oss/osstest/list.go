package osstest

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// pageSize reads max-keys (or another limit parameter): OSS's default of
// 100, at most the server's page size.
func (s *Server) pageSize(r *http.Request, param string) (int, *ossError) {
	n := 100
	if v := r.URL.Query().Get(param); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 0 || n > 1000 {
			return 0, errInvalidArgument(param + " must be between 0 and 1000.")
		}
	}
	return min(n, s.maxKeys), nil
}

// listing is one page of keys grouped by a delimiter.
type listing struct {
	keys      []string
	prefixes  []string
	truncated bool
	last      string // the last key or common prefix of the page
}

// page lists the sorted names after marker that start with prefix, grouping
// by delimiter, up to max entries. A marker that is a common prefix skips
// every name under it.
func page(names []string, prefix, delimiter, marker string, max int) listing {
	var l listing
	for _, k := range names {
		if !strings.HasPrefix(k, prefix) || k <= marker {
			continue
		}
		if delimiter != "" && marker != "" && strings.HasSuffix(marker, delimiter) && strings.HasPrefix(k, marker) {
			continue
		}
		entry, isPrefix := k, false
		if delimiter != "" {
			if i := strings.Index(k[len(prefix):], delimiter); i >= 0 {
				entry, isPrefix = k[:len(prefix)+i+len(delimiter)], true
				if len(l.prefixes) > 0 && l.prefixes[len(l.prefixes)-1] == entry {
					continue
				}
			}
		}
		if len(l.keys)+len(l.prefixes) == max {
			l.truncated = true
			break
		}
		if isPrefix {
			l.prefixes = append(l.prefixes, entry)
		} else {
			l.keys = append(l.keys, entry)
		}
		l.last = entry
	}
	return l
}

func (s *Server) listObjects(w http.ResponseWriter, r *http.Request, bucketName string, v2 bool) *ossError {
	q := r.URL.Query()
	max, err := s.pageSize(r, "max-keys")
	if err != nil {
		return err
	}
	prefix, delimiter := q.Get("prefix"), q.Get("delimiter")
	marker := q.Get("marker")
	if v2 {
		marker = q.Get("start-after")
		if tok := q.Get("continuation-token"); tok != "" {
			m, derr := base64.RawURLEncoding.DecodeString(tok)
			if derr != nil {
				return errInvalidArgument("The continuation token is not valid.")
			}
			marker = string(m)
		}
	}
	s.mu.Lock()
	b := s.buckets[bucketName]
	names := make([]string, 0, len(b.objects))
	for k := range b.objects {
		names = append(names, k)
	}
	slices.Sort(names)
	l := page(names, prefix, delimiter, marker, max)
	contents := make([]contentsXML, len(l.keys))
	enc := encoder(r)
	owner := &ownerXML{ID: "osstest", DisplayName: "osstest"}
	for i, k := range l.keys {
		o := b.objects[k]
		typ := "Normal"
		if o.multipart {
			typ = "Multipart"
		}
		contents[i] = contentsXML{Key: enc(k), LastModified: isoTime(o.modified), ETag: o.etag, Type: typ, Size: int64(len(o.data)), StorageClass: "Standard"}
		if !v2 || q.Get("fetch-owner") == "true" {
			contents[i].Owner = owner
		}
	}
	s.mu.Unlock()
	prefixes := make([]prefixXML, len(l.prefixes))
	for i, p := range l.prefixes {
		prefixes[i] = prefixXML{Prefix: enc(p)}
	}
	encType := ""
	if q.Get("encoding-type") == "url" {
		encType = "url"
	}
	if !v2 {
		res := listV1XML{Name: bucketName, Prefix: enc(prefix), Marker: enc(marker), MaxKeys: max, Delimiter: enc(delimiter),
			EncodingType: encType, IsTruncated: l.truncated, Contents: contents, CommonPrefixes: prefixes}
		if l.truncated {
			res.NextMarker = enc(l.last)
		}
		writeXML(w, res)
		return nil
	}
	res := listV2XML{Name: bucketName, Prefix: enc(prefix), StartAfter: enc(q.Get("start-after")), ContinuationToken: q.Get("continuation-token"),
		MaxKeys: max, Delimiter: enc(delimiter), EncodingType: encType, IsTruncated: l.truncated,
		KeyCount: len(contents) + len(prefixes), Contents: contents, CommonPrefixes: prefixes}
	if l.truncated {
		res.NextContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(l.last))
	}
	writeXML(w, res)
	return nil
}

func (s *Server) listUploads(w http.ResponseWriter, r *http.Request, bucketName string) *ossError {
	q := r.URL.Query()
	max, err := s.pageSize(r, "max-uploads")
	if err != nil {
		return err
	}
	if q.Get("max-uploads") == "" {
		max = min(1000, s.maxKeys)
	}
	prefix, delimiter := q.Get("prefix"), q.Get("delimiter")
	keyMarker, idMarker := q.Get("key-marker"), q.Get("upload-id-marker")
	s.mu.Lock()
	var ups []*upload
	for _, u := range s.uploads {
		if u.bucket == bucketName && strings.HasPrefix(u.key, prefix) {
			ups = append(ups, u)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(ups, func(a, b *upload) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	enc := encoder(r)
	res := listUploadsXML{Bucket: bucketName, KeyMarker: enc(keyMarker), UploadIDMarker: idMarker, Delimiter: enc(delimiter), Prefix: enc(prefix), MaxUploads: max}
	if q.Get("encoding-type") == "url" {
		res.EncodingType = "url"
	}
	for _, u := range ups {
		if keyMarker != "" && (u.key < keyMarker || (u.key == keyMarker && (idMarker == "" || u.id <= idMarker))) {
			continue
		}
		if delimiter != "" {
			if i := strings.Index(u.key[len(prefix):], delimiter); i >= 0 {
				cp := u.key[:len(prefix)+i+len(delimiter)]
				if n := len(res.CommonPrefixes); n == 0 || res.CommonPrefixes[n-1].Prefix != enc(cp) {
					res.CommonPrefixes = append(res.CommonPrefixes, prefixXML{Prefix: enc(cp)})
				}
				continue
			}
		}
		if len(res.Uploads) == max {
			res.IsTruncated = true
			break
		}
		res.Uploads = append(res.Uploads, uploadXML{Key: enc(u.key), UploadID: u.id, Initiated: isoTime(u.initiated)})
		res.NextKeyMarker, res.NextUploadIDMarker = enc(u.key), u.id
	}
	if !res.IsTruncated {
		res.NextKeyMarker, res.NextUploadIDMarker = "", ""
	}
	writeXML(w, res)
	return nil
}

func (s *Server) listParts(w http.ResponseWriter, r *http.Request, bucketName, key string) *ossError {
	q := r.URL.Query()
	max := 1000
	if v := q.Get("max-parts"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return errInvalidArgument("max-parts must be between 1 and 1000.")
		}
		max = n
	}
	marker, _ := strconv.Atoi(q.Get("part-number-marker"))
	s.mu.Lock()
	u := s.uploads[q.Get("uploadId")]
	if u == nil || u.bucket != bucketName || u.key != key {
		s.mu.Unlock()
		return errNoSuchUpload(q.Get("uploadId"))
	}
	var nums []int
	for n := range u.parts {
		if n > marker {
			nums = append(nums, n)
		}
	}
	slices.Sort(nums)
	res := listPartsXML{Bucket: bucketName, Key: encoder(r)(key), UploadID: u.id, PartNumberMarker: marker, MaxParts: max}
	for _, n := range nums {
		if len(res.Parts) == max {
			res.IsTruncated = true
			break
		}
		p := u.parts[n]
		res.Parts = append(res.Parts, partXML{PartNumber: n, LastModified: isoTime(p.modified), ETag: p.etag, Size: len(p.data)})
		res.NextPartNumberMarker = n
	}
	s.mu.Unlock()
	writeXML(w, res)
	return nil
}
