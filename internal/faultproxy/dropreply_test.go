package faultproxy_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDropReplyAfterDeliversTheStatementAndLosesItsAnswer: the second
// "COMMIT" (split across two writes) reaches the server, whose echo never
// comes back: the connection is cut instead. The first one's answer, and
// connections opened later, are untouched.
func TestDropReplyAfterDeliversTheStatementAndLosesItsAnswer(t *testing.T) {
	s := newServer(t)
	p := newProxy(t, s)
	p.DropReplyAfter([]byte("COMMIT"), 2)
	c := dial(t, p)
	got, err := echo(c, "a COMMIT", time.Second)
	require.NoError(t, err)
	assert.Equal(t, "a COMMIT", got)
	_, err = c.Write([]byte("b COM"))
	require.NoError(t, err)
	got, err = readN(c, 5, time.Second)
	require.NoError(t, err, "no COMMIT yet")
	assert.Equal(t, "b COM", got)
	_, err = c.Write([]byte("MIT!"))
	require.NoError(t, err)
	got, err = readN(c, 4, time.Second)
	require.Error(t, err, "the answer is dropped and the connection cut")
	assert.Empty(t, got)
	require.Eventually(t, func() bool { return string(s.received(0)) == "a COMMITb COMMIT!" }, time.Second, 10*time.Millisecond,
		"the server got the statement")
	assert.Equal(t, 1, p.Drops())

	c2 := dial(t, p)
	got, err = echo(c2, "COMMIT", time.Second)
	require.NoError(t, err, "it fired once")
	assert.Equal(t, "COMMIT", got)
}
