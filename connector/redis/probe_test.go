package redis_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/connector/redis"
)

func TestProbe(t *testing.T) {
	conn, _, _ := server(t)
	r, err := redis.Probe(context.Background(), conn)
	require.NoError(t, err)
	assert.Equal(t, "master", r.Role)
	assert.NotEmpty(t, r.Version)
	assert.Contains(t, r.String(), "Redis "+r.Version)

	_, err = redis.Probe(context.Background(), redis.Conn{Addr: "127.0.0.1:1", Timeout: time.Second})
	assert.ErrorContains(t, err, "redis 127.0.0.1:1")
}
