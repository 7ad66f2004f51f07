package osstest

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// maxSkew is how far a request's date may be from the server's clock.
const maxSkew = 15 * time.Minute

// v1SubResources are the query parameters that V1 signatures cover.
var v1SubResources = map[string]bool{}

func init() {
	for _, k := range []string{"acl", "uploads", "location", "cors", "logging", "website", "referer", "lifecycle",
		"delete", "append", "tagging", "objectMeta", "uploadId", "partNumber", "security-token", "position", "img",
		"style", "styleName", "replication", "replicationProgress", "replicationLocation", "cname", "bucketInfo",
		"comp", "qos", "live", "status", "vod", "startTime", "endTime", "symlink", "x-oss-process",
		"response-content-type", "x-oss-traffic-limit", "response-content-language", "response-expires",
		"response-cache-control", "response-content-disposition", "response-content-encoding", "udf", "udfName",
		"udfImage", "udfId", "udfImageDesc", "udfApplication", "udfApplicationLog", "restore", "callback",
		"callback-var", "qosInfo", "policy", "stat", "encryption", "versions", "versioning", "versionId",
		"requestPayment", "x-oss-request-payer", "sequential", "inventory", "inventoryId", "continuation-token",
		"asyncFetch", "worm", "wormId", "wormExtend", "withHashContext", "x-oss-enable-md5", "x-oss-enable-sha1",
		"x-oss-enable-sha256", "x-oss-hash-ctx", "x-oss-md5-ctx", "transferAcceleration", "regionList", "cloudboxes",
		"x-oss-ac-source-ip", "x-oss-ac-subnet-mask", "x-oss-ac-vpc-id", "x-oss-ac-forward-allow", "metaQuery",
		"resourceGroup", "rtc", "x-oss-async-process", "responseHeader"} {
		v1SubResources[k] = true
	}
}

// authenticate checks the request's signature (V1 or V4) and returns its
// version.
func (s *Server) authenticate(r *http.Request, bucketName, key string) (string, *ossError) {
	auth := r.Header.Get("Authorization")
	switch {
	case auth == "":
		return "", errAccessDenied("Anonymous access is forbidden by osstest: sign the request.")
	case strings.HasPrefix(auth, "OSS "):
		return "V1", s.checkV1(r, auth[len("OSS "):], bucketName, key)
	case strings.HasPrefix(auth, "OSS4-HMAC-SHA256 "):
		return "V4", s.checkV4(r, auth[len("OSS4-HMAC-SHA256 "):], bucketName, key)
	}
	return "", &ossError{status: http.StatusBadRequest, code: "InvalidArgument", message: "osstest checks V1 (OSS) and V4 (OSS4-HMAC-SHA256) signatures only."}
}

func (s *Server) checkDate(t time.Time, err error) *ossError {
	if err != nil {
		return &ossError{status: http.StatusForbidden, code: "AccessDenied", message: "The request has no valid date."}
	}
	if d := time.Since(t); d > maxSkew || d < -maxSkew {
		return &ossError{status: http.StatusForbidden, code: "RequestTimeTooSkewed", message: "The difference between the request time and the current time is too large."}
	}
	return nil
}

func (s *Server) checkV1(r *http.Request, cred, bucketName, key string) *ossError {
	id, sig, ok := strings.Cut(cred, ":")
	if !ok {
		return errAccessDenied("Malformed V1 Authorization header.")
	}
	if id != s.AccessKeyID {
		return errInvalidKey()
	}
	if err := s.checkDate(http.ParseTime(r.Header.Get("Date"))); err != nil {
		return err
	}
	// StringToSign = VERB \n Content-MD5 \n Content-Type \n Date \n
	// CanonicalizedOSSHeaders CanonicalizedResource
	var b strings.Builder
	b.WriteString(r.Method + "\n" + r.Header.Get("Content-MD5") + "\n" + r.Header.Get("Content-Type") + "\n" + r.Header.Get("Date") + "\n")
	for _, h := range ossHeaders(r, nil, false) {
		b.WriteString(h[0] + ":" + h[1] + "\n")
	}
	b.WriteString("/" + bucketName)
	if bucketName != "" {
		b.WriteString("/" + key)
	}
	q := r.URL.Query()
	var subs []string
	for k := range q {
		if v1SubResources[k] {
			subs = append(subs, k)
		}
	}
	slices.Sort(subs)
	for i, k := range subs {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(k)
		if v := q.Get(k); v != "" {
			b.WriteString("=" + v)
		}
	}
	toSign := b.String()
	mac := hmac.New(sha1.New, []byte(s.AccessKeySecret))
	mac.Write([]byte(toSign))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(sig)) {
		return errSignature(toSign)
	}
	return nil
}

// ossHeaders returns the request's x-oss-* headers (and, for V4,
// Content-MD5, Content-Type and the additional ones), lower-cased and
// sorted, with their first values (trimmed for V4).
func ossHeaders(r *http.Request, additional map[string]bool, v4 bool) [][2]string {
	var hs [][2]string
	for k, v := range r.Header {
		lk := strings.ToLower(k)
		include := strings.HasPrefix(lk, "x-oss-")
		if v4 {
			include = include || lk == "content-md5" || lk == "content-type" || additional[lk]
		}
		if !include {
			continue
		}
		val := v[0]
		if v4 {
			val = strings.Trim(val, " ")
		}
		hs = append(hs, [2]string{lk, val})
	}
	slices.SortFunc(hs, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	return hs
}

func (s *Server) checkV4(r *http.Request, auth, bucketName, key string) *ossError {
	fields := map[string]string{}
	for _, part := range strings.Split(auth, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		fields[k] = v
	}
	scope := strings.Split(fields["Credential"], "/")
	if len(scope) != 5 || fields["Signature"] == "" {
		return errAccessDenied("Malformed V4 Authorization header.")
	}
	if scope[0] != s.AccessKeyID {
		return errInvalidKey()
	}
	signDate := r.Header.Get("X-Oss-Date")
	var t time.Time
	var err error
	if signDate != "" {
		t, err = time.Parse("20060102T150405Z", signDate)
	} else {
		signDate = r.Header.Get("Date")
		t, err = http.ParseTime(signDate)
	}
	if e := s.checkDate(t, err); e != nil {
		return e
	}
	day := t.UTC().Format("20060102")
	switch {
	case scope[1] != day:
		return errAccessDenied("The date of the V4 credential scope is not the request's.")
	case scope[2] != s.Region:
		return errAccessDenied("The region of the V4 credential scope is " + scope[2] + ", not " + s.Region + ".")
	case scope[3] != "oss" || scope[4] != "aliyun_v4_request":
		return errAccessDenied("The V4 credential scope is not for oss.")
	}
	additional := map[string]bool{}
	var addList []string
	if a := fields["AdditionalHeaders"]; a != "" {
		for _, h := range strings.Split(a, ";") {
			h = strings.ToLower(strings.TrimSpace(h))
			additional[h] = true
			addList = append(addList, h)
		}
	}
	// CanonicalRequest = VERB \n URI \n Query \n Headers \n
	// AdditionalHeaders \n HashedPayload
	var b strings.Builder
	b.WriteString(r.Method + "\n")
	b.WriteString("/")
	if bucketName != "" {
		b.WriteString(bucketName + "/" + strings.ReplaceAll(escape(key), "%2F", "/"))
	}
	b.WriteString("\n")
	q := r.URL.Query()
	var keys []string
	enc := map[string]string{}
	for k := range q {
		ek := url.QueryEscape(k)
		keys = append(keys, ek)
		enc[ek] = escape(q.Get(k))
	}
	slices.Sort(keys)
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		if enc[k] != "" {
			b.WriteString("=" + enc[k])
		}
	}
	b.WriteString("\n")
	for _, h := range ossHeaders(r, additional, true) {
		b.WriteString(h[0] + ":" + h[1] + "\n")
	}
	b.WriteString("\n" + strings.Join(addList, ";") + "\n")
	payload := r.Header.Get("X-Oss-Content-Sha256")
	if payload == "" {
		payload = "UNSIGNED-PAYLOAD"
	}
	b.WriteString(payload)
	canonical := b.String()
	sum := sha256.Sum256([]byte(canonical))
	toSign := "OSS4-HMAC-SHA256\n" + signDate + "\n" + day + "/" + s.Region + "/oss/aliyun_v4_request\n" + hex.EncodeToString(sum[:])
	key1 := hmacSHA256([]byte("aliyun_v4"+s.AccessKeySecret), day)
	key2 := hmacSHA256(key1, s.Region)
	key3 := hmacSHA256(key2, "oss")
	key4 := hmacSHA256(key3, "aliyun_v4_request")
	want := hex.EncodeToString(hmacSHA256(key4, toSign))
	if !hmac.Equal([]byte(want), []byte(fields["Signature"])) {
		return errSignature(toSign + "\n(canonical request:\n" + canonical + ")")
	}
	return nil
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// escape is URL query escaping with %20 for spaces, as OSS signs.
func escape(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
