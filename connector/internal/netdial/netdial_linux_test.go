//go:build linux

package netdial

import (
	"context"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConnectionsHaveKeepalives(t *testing.T) {
	d := New(0)
	c, err := d.DialContext(context.Background(), "tcp", silentServer(t))
	require.NoError(t, err)
	defer c.Close()
	raw, err := c.(syscall.Conn).SyscallConn()
	require.NoError(t, err)
	var on, idle int
	var serr error
	require.NoError(t, raw.Control(func(fd uintptr) {
		on, serr = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_KEEPALIVE)
		if serr == nil {
			idle, serr = syscall.GetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_KEEPIDLE)
		}
	}))
	require.NoError(t, serr)
	assert.Equal(t, 1, on, "SO_KEEPALIVE")
	assert.Equal(t, 15, idle, "TCP_KEEPIDLE, seconds")
}
