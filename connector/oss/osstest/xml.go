package osstest

import (
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// ossError is an OSS error response.
type ossError struct {
	status  int
	code    string
	message string
	key     string
	extra   string // StringToSign, for SignatureDoesNotMatch
}

type errorXML struct {
	XMLName      xml.Name `xml:"Error"`
	Code         string   `xml:"Code"`
	Message      string   `xml:"Message"`
	RequestID    string   `xml:"RequestId"`
	HostID       string   `xml:"HostId"`
	Key          string   `xml:"Key,omitempty"`
	StringToSign string   `xml:"StringToSign,omitempty"`
}

func errAccessDenied(msg string) *ossError {
	return &ossError{status: http.StatusForbidden, code: "AccessDenied", message: msg}
}

func errInvalidKey() *ossError {
	return &ossError{status: http.StatusForbidden, code: "InvalidAccessKeyId", message: "The OSS Access Key Id you provided does not exist in our records."}
}

func errSignature(toSign string) *ossError {
	return &ossError{status: http.StatusForbidden, code: "SignatureDoesNotMatch",
		message: "The request signature we calculated does not match the signature you provided. Check your key and signing method.", extra: toSign}
}

func errNoSuchBucket(name string) *ossError {
	return &ossError{status: http.StatusNotFound, code: "NoSuchBucket", message: "The specified bucket does not exist.", key: name}
}

func errNoSuchKey(key string) *ossError {
	return &ossError{status: http.StatusNotFound, code: "NoSuchKey", message: "The specified key does not exist.", key: key}
}

func errNoSuchUpload(id string) *ossError {
	return &ossError{status: http.StatusNotFound, code: "NoSuchUpload", message: "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", key: id}
}

func errInvalidArgument(msg string) *ossError {
	return &ossError{status: http.StatusBadRequest, code: "InvalidArgument", message: msg}
}

func errNotImplemented(what string) *ossError {
	return &ossError{status: http.StatusNotImplemented, code: "NotImplemented", message: "osstest does not implement " + what + "."}
}

func errFileExists(key string) *ossError {
	return &ossError{status: http.StatusConflict, code: "FileAlreadyExists", message: "The object you specified already exists and can not be overwritten.", key: key}
}

func errStatus(status int, code string) *ossError {
	if code == "" {
		switch status {
		case http.StatusInternalServerError:
			code = "InternalError"
		case http.StatusServiceUnavailable:
			code = "ServiceUnavailable"
		case http.StatusTooManyRequests:
			code = "TooManyRequests"
		default:
			code = http.StatusText(status)
		}
	}
	return &ossError{status: status, code: code, message: "osstest injected this failure."}
}

// writeError sends e; HEAD responses carry it in the x-oss-err header
// instead of a body, as OSS does.
func writeError(w http.ResponseWriter, r *http.Request, reqID string, e *ossError) {
	body, _ := xml.MarshalIndent(errorXML{Code: e.code, Message: e.message, RequestID: reqID, HostID: r.Host, Key: e.key, StringToSign: e.extra}, "", "  ")
	body = append([]byte(xml.Header), body...)
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("x-oss-ec", "0000-00000000")
	if r.Method == http.MethodHead {
		w.Header().Set("x-oss-err", base64.StdEncoding.EncodeToString(body))
		w.WriteHeader(e.status)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.status)
	w.Write(body)
}

// writeXML sends v as a 200 response.
func writeXML(w http.ResponseWriter, v any) {
	body, err := xml.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	body = append([]byte(xml.Header), body...)
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// encoder returns how names are written in a listing: URL-encoded with
// encoding-type=url.
func encoder(r *http.Request) func(string) string {
	if r.URL.Query().Get("encoding-type") == "url" {
		return url.QueryEscape
	}
	return func(s string) string { return s }
}

func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

type ownerXML struct {
	ID          string `xml:"ID"`
	DisplayName string `xml:"DisplayName"`
}

type contentsXML struct {
	Key          string    `xml:"Key"`
	LastModified string    `xml:"LastModified"`
	ETag         string    `xml:"ETag"`
	Type         string    `xml:"Type"`
	Size         int64     `xml:"Size"`
	StorageClass string    `xml:"StorageClass"`
	Owner        *ownerXML `xml:"Owner,omitempty"`
}

type prefixXML struct {
	Prefix string `xml:"Prefix"`
}

type listV1XML struct {
	XMLName        xml.Name      `xml:"ListBucketResult"`
	Name           string        `xml:"Name"`
	Prefix         string        `xml:"Prefix"`
	Marker         string        `xml:"Marker"`
	MaxKeys        int           `xml:"MaxKeys"`
	Delimiter      string        `xml:"Delimiter"`
	EncodingType   string        `xml:"EncodingType,omitempty"`
	IsTruncated    bool          `xml:"IsTruncated"`
	NextMarker     string        `xml:"NextMarker,omitempty"`
	Contents       []contentsXML `xml:"Contents"`
	CommonPrefixes []prefixXML   `xml:"CommonPrefixes"`
}

type listV2XML struct {
	XMLName               xml.Name      `xml:"ListBucketResult"`
	Name                  string        `xml:"Name"`
	Prefix                string        `xml:"Prefix"`
	StartAfter            string        `xml:"StartAfter,omitempty"`
	ContinuationToken     string        `xml:"ContinuationToken,omitempty"`
	MaxKeys               int           `xml:"MaxKeys"`
	Delimiter             string        `xml:"Delimiter"`
	EncodingType          string        `xml:"EncodingType,omitempty"`
	IsTruncated           bool          `xml:"IsTruncated"`
	NextContinuationToken string        `xml:"NextContinuationToken,omitempty"`
	KeyCount              int           `xml:"KeyCount"`
	Contents              []contentsXML `xml:"Contents"`
	CommonPrefixes        []prefixXML   `xml:"CommonPrefixes"`
}

type initiateXML struct {
	XMLName  xml.Name `xml:"InitiateMultipartUploadResult"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	UploadID string   `xml:"UploadId"`
}

type completeRequestXML struct {
	XMLName xml.Name `xml:"CompleteMultipartUpload"`
	Parts   []struct {
		PartNumber int    `xml:"PartNumber"`
		ETag       string `xml:"ETag"`
	} `xml:"Part"`
}

type completeXML struct {
	XMLName      xml.Name `xml:"CompleteMultipartUploadResult"`
	EncodingType string   `xml:"EncodingType,omitempty"`
	Location     string   `xml:"Location"`
	Bucket       string   `xml:"Bucket"`
	Key          string   `xml:"Key"`
	ETag         string   `xml:"ETag"`
}

type uploadXML struct {
	Key       string `xml:"Key"`
	UploadID  string `xml:"UploadId"`
	Initiated string `xml:"Initiated"`
}

type listUploadsXML struct {
	XMLName            xml.Name    `xml:"ListMultipartUploadsResult"`
	Bucket             string      `xml:"Bucket"`
	EncodingType       string      `xml:"EncodingType,omitempty"`
	KeyMarker          string      `xml:"KeyMarker"`
	UploadIDMarker     string      `xml:"UploadIdMarker"`
	NextKeyMarker      string      `xml:"NextKeyMarker"`
	NextUploadIDMarker string      `xml:"NextUploadIdMarker"`
	Delimiter          string      `xml:"Delimiter"`
	Prefix             string      `xml:"Prefix"`
	MaxUploads         int         `xml:"MaxUploads"`
	IsTruncated        bool        `xml:"IsTruncated"`
	Uploads            []uploadXML `xml:"Upload"`
	CommonPrefixes     []prefixXML `xml:"CommonPrefixes"`
}

type partXML struct {
	PartNumber   int    `xml:"PartNumber"`
	LastModified string `xml:"LastModified"`
	ETag         string `xml:"ETag"`
	Size         int    `xml:"Size"`
}

type listPartsXML struct {
	XMLName              xml.Name  `xml:"ListPartsResult"`
	Bucket               string    `xml:"Bucket"`
	Key                  string    `xml:"Key"`
	UploadID             string    `xml:"UploadId"`
	PartNumberMarker     int       `xml:"PartNumberMarker"`
	NextPartNumberMarker int       `xml:"NextPartNumberMarker"`
	MaxParts             int       `xml:"MaxParts"`
	IsTruncated          bool      `xml:"IsTruncated"`
	Parts                []partXML `xml:"Part"`
}

type deleteRequestXML struct {
	XMLName xml.Name `xml:"Delete"`
	Quiet   bool     `xml:"Quiet"`
	Objects []struct {
		Key string `xml:"Key"`
	} `xml:"Object"`
}

type deletedXML struct {
	Key string `xml:"Key"`
}

type deleteResultXML struct {
	XMLName      xml.Name     `xml:"DeleteResult"`
	EncodingType string       `xml:"EncodingType,omitempty"`
	Deleted      []deletedXML `xml:"Deleted"`
}

type bucketXML struct {
	Name         string `xml:"Name"`
	CreationDate string `xml:"CreationDate"`
	Location     string `xml:"Location"`
	Region       string `xml:"Region"`
	StorageClass string `xml:"StorageClass"`
}

type listBucketsXML struct {
	XMLName xml.Name    `xml:"ListAllMyBucketsResult"`
	Owner   ownerXML    `xml:"Owner"`
	Buckets []bucketXML `xml:"Buckets>Bucket"`
}
