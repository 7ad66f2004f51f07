package redis

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/internal/jsontext"
)

// rowPlan says how a row of one schema becomes a key, a value (or hash
// fields), a score and an expiry.
type rowPlan struct {
	typ         ValueType
	format      ValueFormat
	keyCols     []int
	keyDelim    string
	prefix      string
	valueCols   []int
	fieldNames  []string // of valueCols
	valueDelim  string
	scoreCol    int // -1: none
	expireCol   int // -1: none
	columnNames []string
	ttl         time.Duration
	expireAt    time.Time
}

// newRowPlan checks cfg's column positions against schema and returns the
// plan; errors name the setting at fault.
func newRowPlan(cfg *SinkConfig, schema datasync.Schema) (*rowPlan, error) {
	p := &rowPlan{
		typ: cmpOr(cfg.Type, TypeString), format: cmpOr(cfg.Format, FormatText),
		keyCols: cfg.KeyColumns, keyDelim: cmpOr(cfg.KeyDelimiter, DefaultDelimiter), prefix: cfg.KeyPrefix,
		valueDelim: cmpOr(cfg.ValueDelimiter, DefaultDelimiter), scoreCol: -1, expireCol: -1,
		columnNames: schema.Names(), ttl: cfg.TTL, expireAt: cfg.ExpireAt,
	}
	if len(p.keyCols) == 0 {
		p.keyCols = []int{0}
	}
	var errs []error
	taken := map[int]string{}
	take := func(col int, setting string) {
		switch {
		case col >= len(schema):
			errs = append(errs, fmt.Errorf("%s: column %d is past the source's %d columns (%s)", setting, col, len(schema), strings.Join(schema.Names(), ", ")))
		case taken[col] != "":
			errs = append(errs, fmt.Errorf("%s: column %d (%s) is already the %s", setting, col, schema[col].Name, taken[col]))
		default:
			taken[col] = setting
		}
	}
	for _, k := range p.keyCols {
		take(k, "keyColumns")
	}
	if cfg.ScoreColumn != nil {
		p.scoreCol = *cfg.ScoreColumn
		take(p.scoreCol, "scoreColumn")
		if p.scoreCol < len(schema) && !numberish(schema[p.scoreCol].Kind) {
			errs = append(errs, fmt.Errorf("scoreColumn: column %s is %v, not a number", schema[p.scoreCol].Name, schema[p.scoreCol].Kind))
		}
	}
	if cfg.ExpireAtColumn != nil {
		p.expireCol = *cfg.ExpireAtColumn
		take(p.expireCol, "expireAtColumn")
		if p.expireCol < len(schema) && !timeish(schema[p.expireCol].Kind) {
			errs = append(errs, fmt.Errorf("expireAtColumn: column %s is %v, not a time", schema[p.expireCol].Name, schema[p.expireCol].Kind))
		}
	}
	for i := range schema {
		if taken[i] == "" {
			p.valueCols = append(p.valueCols, i)
		}
	}
	if len(p.valueCols) == 0 && len(errs) == 0 {
		errs = append(errs, fmt.Errorf("no value columns: every column of the source (%s) is a key, score or expiry column", strings.Join(schema.Names(), ", ")))
	}
	switch {
	case len(cfg.FieldNames) == 0:
		for _, c := range p.valueCols {
			p.fieldNames = append(p.fieldNames, schema[c].Name)
		}
	case len(cfg.FieldNames) != len(p.valueCols):
		errs = append(errs, fmt.Errorf("fieldNames: %d names for %d value columns", len(cfg.FieldNames), len(p.valueCols)))
	default:
		p.fieldNames = cfg.FieldNames
	}
	if (p.typ == TypeHash || p.format == FormatJSON) && len(errs) == 0 {
		for i, n := range p.fieldNames {
			if n == "" {
				errs = append(errs, fmt.Errorf("value column %d has no name to write it under: give fieldNames", p.valueCols[i]))
			} else if j := slices.Index(p.fieldNames, n); j < i {
				errs = append(errs, fmt.Errorf("two value columns are both named %q: give fieldNames", n))
			}
		}
	}
	return p, errors.Join(errs...)
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

func numberish(k datasync.Kind) bool {
	switch k {
	case datasync.KindInt, datasync.KindFloat, datasync.KindDecimal, datasync.KindString, datasync.KindNull:
		return true
	}
	return false
}

func timeish(k datasync.Kind) bool {
	switch k {
	case datasync.KindTimestamp, datasync.KindDate, datasync.KindInt, datasync.KindString, datasync.KindNull:
		return true
	}
	return false
}

// dirtyCell is a row's problem: the column at fault ("" for the row) and
// the reason.
type dirtyCell struct {
	column string
	value  string
	err    error
}

// appendKey appends the row's key to dst.
func (p *rowPlan) appendKey(dst []byte, rec datasync.Record) ([]byte, *dirtyCell) {
	dst = append(dst, p.prefix...)
	for i, c := range p.keyCols {
		v := rec[c]
		if v.IsNull() {
			return dst, &dirtyCell{column: p.columnNames[c], err: errors.New("a key column is NULL")}
		}
		if i > 0 {
			dst = append(dst, p.keyDelim...)
		}
		dst = v.AppendTo(dst)
	}
	return dst, nil
}

// appendValue appends the row's value (for every type but hash) to dst.
func (p *rowPlan) appendValue(dst []byte, rec datasync.Record) []byte {
	if p.format == FormatJSON {
		dst = append(dst, '{')
		for i, c := range p.valueCols {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst, _ = jsontext.AppendString(dst, p.fieldNames[i])
			dst = append(dst, ':')
			j, _ := rec[c].MarshalJSON() // never fails
			dst = append(dst, j...)
		}
		return append(dst, '}')
	}
	for i, c := range p.valueCols {
		if i > 0 {
			dst = append(dst, p.valueDelim...)
		}
		dst = rec[c].AppendTo(dst) // NULL appends nothing
	}
	return dst
}

// score returns the row's zset score.
func (p *rowPlan) score(rec datasync.Record) (float64, *dirtyCell) {
	v := rec[p.scoreCol]
	name := p.columnNames[p.scoreCol]
	if v.IsNull() {
		return 0, &dirtyCell{column: name, err: errors.New("the score is NULL")}
	}
	f, err := v.AsFloat()
	if err != nil {
		return 0, &dirtyCell{column: name, value: v.String(), err: fmt.Errorf("the score is not a number: %w", err)}
	}
	if math.IsNaN(f) {
		return 0, &dirtyCell{column: name, value: v.String(), err: errors.New("the score is NaN, which Redis does not take")}
	}
	return f, nil
}

// expiry returns the row's absolute expiry time from the expiry column
// (zero for none).
func (p *rowPlan) expiry(rec datasync.Record) (time.Time, *dirtyCell) {
	if p.expireCol < 0 {
		return p.expireAt, nil
	}
	v := rec[p.expireCol]
	name := p.columnNames[p.expireCol]
	var t time.Time
	switch v.Kind() {
	case datasync.KindNull:
		return time.Time{}, nil
	case datasync.KindInt:
		n, _ := v.AsInt()
		t = time.Unix(n, 0)
	case datasync.KindDate:
		d, _ := v.AsDate()
		t = d.Time()
	default:
		ts, err := v.AsTimestamp()
		if err != nil {
			return t, &dirtyCell{column: name, value: v.String(), err: fmt.Errorf("the expiry is not a time: %w", err)}
		}
		if ts.Infinite() != 0 {
			return t, &dirtyCell{column: name, value: v.String(), err: errors.New("the expiry is infinite")}
		}
		t = ts.Time()
	}
	if t.Unix() <= 0 {
		return t, &dirtyCell{column: name, value: v.String(), err: errors.New("the expiry is not after 1970-01-01")}
	}
	return t, nil
}
