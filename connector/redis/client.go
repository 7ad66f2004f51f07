package redis

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	goredis "github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// client returns the caller's Client, or a new one from c that the
// connector owns (owned reports which, so that Close closes only its own).
func (c Conn) client() (cl *goredis.Client, owned bool) {
	if c.Client != nil {
		return c.Client, false
	}
	addr := c.Addr
	if _, _, err := net.SplitHostPort(addr); err != nil {
		addr = net.JoinHostPort(strings.Trim(addr, "[]"), "6379")
	}
	timeout := c.Timeout
	if timeout == 0 {
		timeout = defaultTimeout
	}
	return goredis.NewClient(&goredis.Options{
		Addr:         addr,
		Username:     c.Username,
		Password:     c.Password,
		DB:           c.DB,
		DialTimeout:  timeout,
		ReadTimeout:  timeout,
		WriteTimeout: timeout,
		// Batch work on one connection per writer or reader; no
		// CLIENT SETINFO or maintenance notifications, which servers
		// before 7.2 answer with an error.
		DisableIdentity:          true,
		MaintNotificationsConfig: &maintnotifications.Config{Mode: maintnotifications.ModeDisabled},
	}), true
}

// where names the server in errors: its address, or "the caller's client".
func (c Conn) where() string {
	if c.Client != nil {
		return "the caller's client (" + c.Client.Options().Addr + ")"
	}
	return c.Addr
}

// ping checks that the server answers and the credentials are accepted.
func ping(ctx context.Context, cl *goredis.Client, where string) error {
	if err := cl.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redis %s: %w", where, err)
	}
	return nil
}

// isServerError reports whether err is the server's refusal of one command
// (WRONGTYPE, OOM, a bad argument), which makes a row dirty, rather than a
// failure of the connection, which fails the write.
func isServerError(err error) bool {
	var rerr goredis.Error
	return errors.As(err, &rerr) && err != goredis.Nil
}
