package postgres

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/datasync-go/datasync"
)

// DescribeSplit returns a split's range readably (datasync.SplitDescriber),
// as the condition it reads: `id > 20017 AND id <= 40033`, `k IS NULL`,
// `blocks 0 to 1024` for a range of physical blocks, or "all rows". Key
// values of the common key types (integers, text, uuid, date) are shown as
// values once the source has planned (it then knows the key's types);
// others as hex of their binary form.
func (s *Source) DescribeSplit(sp datasync.Split) (string, error) {
	var spec splitSpec
	if err := sp.DecodeSpec(&spec); err != nil {
		return "", err
	}
	s.mu.Lock()
	m := s.meta
	s.mu.Unlock()
	var types []*pgType
	if m != nil && len(m.key) == len(spec.Key) {
		for _, k := range m.key {
			types = append(types, k.typ)
		}
	}
	return describeSpec(spec, types), nil
}

func describeSpec(spec splitSpec, types []*pgType) string {
	cols := make([]string, len(spec.Key))
	for i, k := range spec.Key {
		cols[i] = quoteIdent(k)
	}
	switch spec.Mode {
	case splitNulls:
		nulls := make([]string, len(cols))
		for i, c := range cols {
			nulls[i] = c + " IS NULL"
		}
		return strings.Join(nulls, " OR ")
	case splitBlocks:
		if spec.To == 0 {
			return fmt.Sprintf("blocks %d to the end", spec.From)
		}
		return fmt.Sprintf("blocks %d to %d", spec.From, spec.To)
	}
	var conds []string
	bound := func(op string, vals [][]byte) {
		if vals == nil {
			return
		}
		text := make([]string, len(vals))
		for i, v := range vals {
			var t *pgType
			if i < len(types) {
				t = types[i]
			}
			text[i] = readableValue(v, t)
		}
		left, right := strings.Join(cols, ", "), strings.Join(text, ", ")
		if len(cols) > 1 {
			left, right = "("+left+")", "("+right+")"
		}
		conds = append(conds, left+" "+op+" "+right)
	}
	bound(">", spec.Lo)
	bound("<=", spec.Hi)
	if len(conds) == 0 {
		return "all rows"
	}
	return strings.Join(conds, " AND ")
}

// pgEpoch is day 0 of PostgreSQL's binary dates.
var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// readableValue shows a key value in binary format as a value of its type
// t, or as hex when t is unknown or not one it decodes.
func readableValue(b []byte, t *pgType) string {
	if b == nil {
		return "NULL"
	}
	if t != nil {
		switch {
		case t.class == classInt2 && len(b) == 2:
			return strconv.Itoa(int(int16(binary.BigEndian.Uint16(b))))
		case t.class == classInt4 && len(b) == 4:
			return strconv.Itoa(int(int32(binary.BigEndian.Uint32(b))))
		case t.class == classInt8 && len(b) == 8:
			return strconv.FormatInt(int64(binary.BigEndian.Uint64(b)), 10)
		case t.class == classOID && len(b) == 4:
			return strconv.FormatUint(uint64(binary.BigEndian.Uint32(b)), 10)
		case t.class == classText:
			return quoteLiteral(string(b))
		case t.class == classUUID && len(b) == 16:
			h := hex.EncodeToString(b)
			return "'" + h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:] + "'"
		case t.class == classDate && len(b) == 4:
			return "'" + pgEpoch.AddDate(0, 0, int(int32(binary.BigEndian.Uint32(b)))).Format("2006-01-02") + "'"
		}
	}
	return "0x" + hex.EncodeToString(b)
}
