package redis

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The slots Redis Cluster documents (CLUSTER KEYSLOT).
func TestKeySlot(t *testing.T) {
	assert.Equal(t, 12182, keySlot("foo"))
	assert.Equal(t, 0x31C3, keySlot("123456789"))
	assert.Equal(t, keySlot("user1000"), keySlot("{user1000}.following"), "the hash tag decides")
	assert.Equal(t, keySlot("foo{}{bar}"), crcSlot("foo{}{bar}"), "an empty tag is no tag")
}

func crcSlot(s string) int { return int(crc16(s) % hashSlots) }
