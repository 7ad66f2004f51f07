package textcodec

import (
	"encoding/json"
	"fmt"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/text"
)

// Position is where a reader is in a file: what its checkpoint holds. It
// survives a JSON round trip, so a split can resume in another process.
type Position struct {
	// Offset is the number of bytes of the decompressed stream before the
	// next record.
	Offset int64 `json:"o"`
	// Line is the number of lines before Offset: of the file, or of the
	// byte range when Relative.
	Line int64 `json:"l,omitempty"`
	// Relative is set for byte-range splits that start inside a file, whose
	// earlier lines were not counted.
	Relative bool `json:"r,omitempty"`
	// Fields is the number of fields per record, once known.
	Fields int `json:"f,omitempty"`
	// Header holds the file's header names, once read.
	Header []string `json:"h,omitempty"`
	// Compression is the compression detected at the start of the file, ""
	// before it was looked at.
	Compression text.Compression `json:"c,omitempty"`
	// CRC is the CRC-64 (ECMA) of the bytes before Offset, when Hashed.
	CRC    uint64 `json:"crc,omitempty"`
	Hashed bool   `json:"x,omitempty"`
	// Done is set once the split has been read to its end.
	Done bool `json:"d,omitempty"`
}

// Checkpoint encodes p.
func (p Position) Checkpoint() datasync.Checkpoint {
	b, err := json.Marshal(p)
	if err != nil {
		panic(err) // plain data: cannot fail
	}
	return b
}

// DecodePosition decodes a checkpoint made by Position.Checkpoint.
func DecodePosition(cp datasync.Checkpoint) (Position, error) {
	var p Position
	if err := json.Unmarshal(cp, &p); err != nil {
		return p, fmt.Errorf("invalid checkpoint %q: %w", string(cp), err)
	}
	if p.Offset < 0 || p.Line < 0 || p.Fields < 0 {
		return p, fmt.Errorf("invalid checkpoint %q: negative position", string(cp))
	}
	return p, nil
}
