package oss

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	alioss "github.com/aliyun/aliyun-oss-go-sdk/oss"

	"github.com/datasync-go/datasync"
)

// classify turns an SDK error into the connector's: retryable for what a
// new attempt may cure (a 5xx, throttling, a dropped connection, a CRC
// mismatch), permanent with a plain explanation for the rest, and never
// holding a credential.
func classify(err error, what string, secrets []string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	wrapped := redact(fmt.Errorf("%s: %w", what, err), secrets)
	var se alioss.ServiceError
	if errors.As(err, &se) {
		switch {
		case se.StatusCode >= 500 || se.StatusCode == 429 || se.Code == "RequestTimeout" || se.Code == "RequestTimeTooSkewed":
			return datasync.Retryable(wrapped)
		case se.Code == "SignatureDoesNotMatch":
			return datasync.Permanent(redact(fmt.Errorf("%s: the access key secret is wrong (OSS says the signature does not match)", what), secrets))
		case se.Code == "InvalidAccessKeyId":
			return datasync.Permanent(redact(fmt.Errorf("%s: OSS does not know the access key ID", what), secrets))
		case se.Code == "NoSuchBucket":
			return datasync.Permanent(redact(fmt.Errorf("%s: the bucket does not exist", what), secrets))
		case se.Code == "AccessDenied":
			return datasync.Permanent(redact(fmt.Errorf("%s: access denied (%s)", what, se.Message), secrets))
		case se.Code == "PreconditionFailed":
			return datasync.Permanent(redact(fmt.Errorf("%s: the object changed since the job was planned", what), secrets))
		}
		return datasync.Permanent(wrapped)
	}
	var crc alioss.CRCCheckError
	if errors.As(err, &crc) || isTransient(err) {
		return datasync.Retryable(wrapped)
	}
	return wrapped
}

// isTransient reports network failures worth retrying.
func isTransient(err error) bool {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNABORTED) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var oe *net.OpError
	return errors.As(err, &oe)
}

// redacted is an error whose text has the secrets replaced.
type redacted struct {
	msg string
	err error
}

func (r *redacted) Error() string { return r.msg }
func (r *redacted) Unwrap() error { return r.err }

// redact hides the secrets in err's text, keeping err in the chain for
// errors.As (its own fields are the SDK's, which hold no secret key).
func redact(err error, secrets []string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	changed := false
	for _, s := range secrets {
		if len(s) >= 4 && strings.Contains(msg, s) {
			msg = strings.ReplaceAll(msg, s, "[REDACTED]")
			changed = true
		}
	}
	if !changed {
		return err
	}
	return &redacted{msg: msg, err: err}
}
