// Package testsvc gives tests a real Redis or memcached server, or skips
// them, as package testdb does for databases.
//
// Redis(t) and Memcache(t) return the address in DATASYNC_TEST_REDIS_ADDR or
// DATASYNC_TEST_MEMCACHE_ADDR ("host:port") and a key prefix of the test's
// own, so that tests running at once on one server never see each other's
// keys; the Redis keys under the prefix are deleted when the test ends
// (memcached items cannot be listed: they are left to expire). When the
// variable is unset the test is skipped, saying so; with
// DATASYNC_TEST_REQUIRE_DB=1 (as .ci/run sets it) it fails instead, as it
// does when the server does not answer.
package testsvc

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/datasync-go/datasync/internal/skipnotice"
	"github.com/datasync-go/datasync/internal/testdb"
)

// The environment variables.
const (
	RedisEnv    = "DATASYNC_TEST_REDIS_ADDR"
	MemcacheEnv = "DATASYNC_TEST_MEMCACHE_ADDR"
)

// unavailable skips t, or fails it when servers are required.
func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if testdb.Required() {
		t.Fatalf("%s (%s=1)", msg, testdb.RequireEnv)
	}
	skipnotice.Note(msg, "set DATASYNC_TEST_REDIS_ADDR and DATASYNC_TEST_MEMCACHE_ADDR (README.md, \"Run the tests\")")
	t.Skip(msg)
}

// Prefix returns a key prefix no other test uses: "dstest:<random>:".
func Prefix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "dstest:" + hex.EncodeToString(b[:]) + ":"
}

// Redis returns the test server's address and a key prefix of t's own;
// every key under the prefix is deleted when t ends.
func Redis(t testing.TB) (addr, prefix string) {
	t.Helper()
	addr = os.Getenv(RedisEnv)
	if addr == "" {
		unavailable(t, "%s is not set: skipping a test that needs Redis", RedisEnv)
	}
	c := redis.NewClient(&redis.Options{Addr: addr})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		unavailable(t, "cannot reach Redis at %s (%s): %v", addr, RedisEnv, err)
	}
	prefix = Prefix()
	t.Cleanup(func() {
		defer c.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := DeletePrefix(ctx, c, prefix); err != nil {
			t.Errorf("testsvc: delete the keys %s*: %v", prefix, err)
		}
	})
	return addr, prefix
}

// DeletePrefix deletes every key of c that starts with prefix.
func DeletePrefix(ctx context.Context, c *redis.Client, prefix string) error {
	iter := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		return err
	}
	for len(keys) > 0 {
		n := min(len(keys), 1000)
		if err := c.Del(ctx, keys[:n]...).Err(); err != nil {
			return err
		}
		keys = keys[n:]
	}
	return nil
}

// Memcache returns the test server's address and a key prefix of t's own.
func Memcache(t testing.TB) (addr, prefix string) {
	t.Helper()
	addr = os.Getenv(MemcacheEnv)
	if addr == "" {
		unavailable(t, "%s is not set: skipping a test that needs memcached", MemcacheEnv)
	}
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		unavailable(t, "cannot reach memcached at %s (%s): %v", addr, MemcacheEnv, err)
	}
	conn.Close()
	return addr, Prefix()
}
