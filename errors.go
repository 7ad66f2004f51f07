package datasync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"syscall"
)

// Retryable marks err as worth retrying: IsRetryable reports true for it and
// for errors wrapping it. Connectors use it for failures such as a dropped
// connection; Retryable(nil) is nil.
func Retryable(err error) error {
	if err == nil {
		return nil
	}
	return &retryMark{err: err, retry: true}
}

// Permanent marks err as not worth retrying, overriding what IsRetryable
// would otherwise conclude from its cause; Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &retryMark{err: err, retry: false}
}

type retryMark struct {
	err   error
	retry bool
}

func (m *retryMark) Error() string   { return m.err.Error() }
func (m *retryMark) Unwrap() error   { return m.err }
func (m *retryMark) Retryable() bool { return m.retry }

// IsRetryable reports whether a split that failed with err may succeed if it
// is reopened from its last checkpoint. The first error in err's chain with a
// Retryable() bool method decides (see [Retryable] and [Permanent]); failing
// that, cancellation, deadlines, dirty data and dirty limits are not
// retryable, while dropped or refused connections, unexpected EOFs and network
// timeouts are. Anything else is not.
func IsRetryable(err error) bool {
	if err == nil {
		return false
	}
	var marked interface{ Retryable() bool }
	if errors.As(err, &marked) {
		return marked.Retryable()
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrDirtyLimit) {
		return false
	}
	var rows *RowErrors
	if errors.As(err, &rows) {
		return false
	}
	for _, transient := range []error{io.ErrUnexpectedEOF, syscall.ECONNRESET, syscall.ECONNREFUSED, syscall.ECONNABORTED, syscall.EPIPE, syscall.ETIMEDOUT} {
		if errors.Is(err, transient) {
			return true
		}
	}
	var netErr net.Error
	return errors.As(err, &netErr) && netErr.Timeout()
}

// quoteShort quotes s for an error message, shortened to 100 bytes.
func quoteShort(s string) string {
	const limit = 100
	if len(s) <= limit {
		return strconv.Quote(s)
	}
	cut := limit
	for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
		cut--
	}
	return strconv.Quote(s[:cut]) + fmt.Sprintf("...(%d bytes)", len(s))
}
