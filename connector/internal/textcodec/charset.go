package textcodec

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/transform"
)

// charset converts between a file's character set and UTF-8, a record (or
// a row) at a time. Records are cut at newlines in the file's own bytes,
// which is safe for every encoding accepted here: in each of them the bytes
// of a newline and a double quote never occur inside another character.
type charset struct {
	name string
	enc  encoding.Encoding // nil for UTF-8
	// replacement is how the encoding itself writes U+FFFD, which decoders
	// also produce for invalid input ("" when it cannot write it).
	replacement []byte
}

// lookupCharset returns the charset named name ("" is UTF-8).
func lookupCharset(name string) (*charset, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	switch n {
	case "", "utf-8", "utf8":
		return &charset{name: "UTF-8"}, nil
	case "cp936", "ms936", "windows-936":
		n = "gbk"
	}
	enc, err := htmlindex.Get(n)
	if err != nil {
		return nil, fmt.Errorf("encoding %q is not known (UTF-8, GBK, GB18030, Big5, Shift_JIS, EUC-KR, windows-1252...)", name)
	}
	canon, _ := htmlindex.Name(enc)
	switch canon {
	case "utf-8":
		return &charset{name: "UTF-8"}, nil
	case "utf-16be", "utf-16le", "iso-2022-jp", "replacement":
		return nil, fmt.Errorf("encoding %q is not supported: text files must be ASCII-compatible", name)
	}
	cs := &charset{name: canon, enc: enc}
	if r, err := enc.NewEncoder().Bytes([]byte("\uFFFD")); err == nil {
		cs.replacement = r
	}
	return cs, nil
}

func (c *charset) utf8() bool { return c.enc == nil }

var errBadEncoding = errors.New("invalid byte sequence for the encoding")

// decoder turns records of a charset into UTF-8.
type charDecoder struct {
	cs  *charset
	t   transform.Transformer
	out []byte
}

func (c *charset) newDecoder() *charDecoder {
	if c.enc == nil {
		return nil
	}
	return &charDecoder{cs: c, t: c.enc.NewDecoder()}
}

// decode returns src in UTF-8, in a buffer reused by the next call. It
// fails when src is not valid in the charset.
func (d *charDecoder) decode(src []byte) ([]byte, error) {
	orig := src
	d.t.Reset()
	if cap(d.out) < len(src)*2+16 {
		d.out = make([]byte, len(src)*2+16)
	}
	out := d.out[:cap(d.out)]
	n := 0
	for {
		nDst, nSrc, err := d.t.Transform(out[n:], src, true)
		n += nDst
		src = src[nSrc:]
		if err == nil {
			break
		}
		if errors.Is(err, transform.ErrShortDst) {
			bigger := make([]byte, len(out)*2)
			copy(bigger, out[:n])
			out = bigger
			d.out = bigger
			continue
		}
		return nil, errBadEncoding
	}
	out = out[:n]
	// Decoders write U+FFFD for invalid input; it is valid only when the
	// encoding can write U+FFFD itself and the input held it.
	if bytes.Contains(out, []byte("\uFFFD")) {
		if d.cs.replacement == nil || !bytes.Contains(orig, d.cs.replacement) {
			return nil, errBadEncoding
		}
	}
	return out, nil
}

// charEncoder turns UTF-8 rows into a charset.
type charEncoder struct {
	t   transform.Transformer
	out []byte
}

func (c *charset) newEncoder() *charEncoder {
	if c.enc == nil {
		return nil
	}
	return &charEncoder{t: c.enc.NewEncoder()}
}

// errUnencodable is the reason for a value that the encoding cannot hold.
type errUnencodable struct{ charset string }

func (e errUnencodable) Error() string {
	return "has a character that " + e.charset + " cannot encode"
}

// encode appends src, converted, to dst. It fails when src has a character
// the charset cannot encode, or is not valid UTF-8; dst then holds a part of
// the output, which the caller discards.
func (e *charEncoder) encode(dst, src []byte, cs string) ([]byte, error) {
	if !utf8.Valid(src) {
		return dst, errors.New("is not valid UTF-8")
	}
	e.t.Reset()
	for {
		if cap(dst)-len(dst) < len(src)+16 {
			dst = slices.Grow(dst, len(src)*2+16)
		}
		nDst, nSrc, err := e.t.Transform(dst[len(dst):cap(dst)], src, true)
		dst = dst[:len(dst)+nDst]
		src = src[nSrc:]
		if err == nil {
			return dst, nil
		}
		if !errors.Is(err, transform.ErrShortDst) {
			return dst, errUnencodable{cs}
		}
		dst = slices.Grow(dst, len(src)*2+64)
	}
}
