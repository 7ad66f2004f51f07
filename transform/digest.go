package transform

import (
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"unsafe"

	"github.com/datasync-go/datasync"
)

// Algorithm is the hash of Digest.
type Algorithm uint8

// The algorithms.
const (
	MD5  Algorithm = iota + 1 // DataX's "md5"
	SHA1                      // DataX's "sha1"
)

// String returns "md5" or "sha1".
func (a Algorithm) String() string {
	switch a {
	case MD5:
		return "md5"
	case SHA1:
		return "sha1"
	}
	return fmt.Sprintf("Algorithm(%d)", uint8(a))
}

// Digest replaces a column's text with the hexadecimal hash of its UTF-8
// bytes, in upper case when upper is set: DataX's dx_digest. A NULL is
// taken as "".
//
//	Digest(1, MD5, true) turns "xyzzzzz" into "9CDFFC4FA4E45A99DB8BBCD762ACFFA2".
func Digest(column int, alg Algorithm, upper bool) datasync.Transformer {
	return digest{column, alg, upper}
}

type digest struct {
	column int
	alg    Algorithm
	upper  bool
}

func (t digest) NewTransform(schema datasync.Schema) (datasync.TransformFunc, error) {
	if err := checkColumn("Digest", t.column, schema); err != nil {
		return nil, err
	}
	if t.alg != MD5 && t.alg != SHA1 {
		return nil, fmt.Errorf("Digest: algorithm %v is neither MD5 nor SHA1", t.alg)
	}
	var scratch, out []byte
	return func(rec datasync.Record, b *datasync.Batch) (bool, error) {
		s, _ := text(rec[t.column], &scratch) // NULL is ""
		p := unsafe.Slice(unsafe.StringData(s), len(s))
		var sum [sha1.Size]byte
		h := sum[:]
		if t.alg == MD5 {
			m := md5.Sum(p)
			h = append(sum[:0], m[:]...)
		} else {
			sum = sha1.Sum(p)
		}
		out = hex.AppendEncode(out[:0], h)
		if t.upper {
			for i, c := range out {
				if 'a' <= c && c <= 'f' {
					out[i] = c - 'a' + 'A'
				}
			}
		}
		rec[t.column] = b.CopyString(out)
		return true, nil
	}, nil
}
