package textcodec

import (
	"hash/fnv"
	"strconv"
	"strings"
)

// SafeName turns a split ID into a part of a file name or object key:
// letters, digits, '.', '-' and '_' are kept, anything else becomes '_',
// and then a short hash of the ID keeps distinct IDs distinct.
func SafeName(id string) string {
	clean := id != "" && id[0] != '.'
	for i := 0; i < len(id) && clean; i++ {
		clean = safeByte(id[i])
	}
	if clean {
		return id
	}
	b := []byte(id)
	for i, c := range b {
		if !safeByte(c) {
			b[i] = '_'
		}
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	return strings.TrimLeft(string(b), ".") + "-" + strconv.FormatUint(uint64(h.Sum32()), 36)
}

func safeByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_'
}
