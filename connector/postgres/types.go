package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/datasync-go/datasync"
)

// class is how datasync encodes and decodes a PostgreSQL type.
type class uint8

const (
	classOther       class = iota // read in text format as a String; written as text
	classText                     // text, varchar, char(n), name, enums, citext, xml: binary is the text
	classChar                     // "char", one byte
	classBytea                    // bytea
	classBool                     // boolean
	classInt2                     // smallint
	classInt4                     // integer
	classInt8                     // bigint
	classOID                      // oid, an unsigned 32-bit integer
	classFloat4                   // real
	classFloat8                   // double precision
	classNumeric                  // numeric
	classMoney                    // money, an int64 of the locale's smallest unit
	classDate                     // date
	classTime                     // time
	classTimetz                   // time with time zone
	classTimestamp                // timestamp
	classTimestamptz              // timestamp with time zone
	classInterval                 // interval
	classUUID                     // uuid
	classJSON                     // json
	classJSONB                    // jsonb
	classInet                     // inet
	classCidr                     // cidr
	classMacaddr                  // macaddr, macaddr8
	classBit                      // bit, varbit
	classArray                    // arrays of a type datasync decodes
	classTID                      // tid, a row's physical position: (block, offset)
)

// Built-in type OIDs (pg_type.h); they are the same on every server.
const (
	oidBool        = 16
	oidBytea       = 17
	oidChar        = 18
	oidName        = 19
	oidInt8        = 20
	oidInt2        = 21
	oidInt4        = 23
	oidText        = 25
	oidOID         = 26
	oidTID         = 27
	oidJSON        = 114
	oidXML         = 142
	oidCidr        = 650
	oidFloat4      = 700
	oidFloat8      = 701
	oidUnknown     = 705
	oidMacaddr8    = 774
	oidMoney       = 790
	oidMacaddr     = 829
	oidInet        = 869
	oidBpchar      = 1042
	oidVarchar     = 1043
	oidDate        = 1082
	oidTime        = 1083
	oidTimestamp   = 1114
	oidTimestamptz = 1184
	oidInterval    = 1186
	oidTimetz      = 1266
	oidBit         = 1560
	oidVarbit      = 1562
	oidNumeric     = 1700
	oidUUID        = 2950
	oidJSONB       = 3802

	firstUserOID = 16384 // FirstNormalObjectId: OIDs below are built in
)

var builtinClass = map[uint32]class{
	oidBool: classBool, oidBytea: classBytea, oidChar: classChar, oidName: classText,
	oidInt8: classInt8, oidInt2: classInt2, oidInt4: classInt4, oidText: classText,
	oidOID: classOID, oidJSON: classJSON, oidXML: classText, oidCidr: classCidr,
	oidFloat4: classFloat4, oidFloat8: classFloat8, oidUnknown: classText,
	oidMacaddr8: classMacaddr, oidMoney: classMoney, oidMacaddr: classMacaddr,
	oidInet: classInet, oidBpchar: classText, oidVarchar: classText, oidDate: classDate,
	oidTime: classTime, oidTimestamp: classTimestamp, oidTimestamptz: classTimestamptz,
	oidInterval: classInterval, oidTimetz: classTimetz, oidBit: classBit, oidVarbit: classBit,
	oidNumeric: classNumeric, oidUUID: classUUID, oidJSONB: classJSONB, oidTID: classTID,
}

// textSend lists the binary send functions that send a type's text as it
// is, so that extension and user types built on them (citext, enums) are
// read and written like text.
var textSend = map[string]bool{
	"textsend": true, "varcharsend": true, "bpcharsend": true, "namesend": true,
	"enum_send": true, "citextsend": true, "xml_send": true, "unknownsend": true,
}

// pgType is a column's type: its OID and modifier, what it resolves to, and
// how datasync handles it.
type pgType struct {
	oid    uint32
	typmod int32
	name   string // format_type(oid, typmod): "character varying(64)", "numeric(18,4)"
	class  class
	elem   *pgType // element type of an array (classArray)
	user   bool    // a user-defined type, or an array or composite of one, whose OIDs differ between databases
	// moneyScale is the number of decimal places of money under the
	// session's lc_monetary, for classMoney.
	moneyScale int
}

// binary reports whether values of t travel in binary format: every type
// datasync decodes. Others are read as text.
func (t *pgType) binary() bool { return t.class != classOther }

// kind returns the datasync kind values of t map to.
func (t *pgType) kind() datasync.Kind {
	switch t.class {
	case classBool:
		return datasync.KindBool
	case classInt2, classInt4, classInt8, classOID:
		return datasync.KindInt
	case classFloat4, classFloat8:
		return datasync.KindFloat
	case classNumeric, classMoney:
		return datasync.KindDecimal
	case classBytea:
		return datasync.KindBytes
	case classDate:
		return datasync.KindDate
	case classTime:
		return datasync.KindTime
	case classTimestamp, classTimestamptz:
		return datasync.KindTimestamp
	case classJSON, classJSONB, classArray:
		return datasync.KindJSON
	}
	return datasync.KindString
}

// column fills the type-dependent fields of a datasync.Column.
func (t *pgType) column(c *datasync.Column) {
	c.Kind = t.kind()
	c.Native = t.name
	m := int(t.typmod)
	switch t.class {
	case classNumeric:
		if m >= 4 {
			c.Precision = ((m - 4) >> 16) & 0xffff
			c.Scale = (((m - 4) & 0x7ff) ^ 1024) - 1024 // 11-bit signed since PostgreSQL 15
		}
	case classMoney:
		c.Scale = t.moneyScale
	case classText:
		if m >= 4 {
			c.Length = m - 4
		}
	case classBit:
		if m >= 0 {
			c.Length = m
		}
	case classTime, classTimetz, classTimestamp, classTimestamptz:
		c.Precision = 6
		if m >= 0 {
			c.Precision = m
		}
	}
}

// precision returns the fractional-second digits a time or timestamp column
// keeps (6 when unconstrained).
func (t *pgType) precision() int {
	if t.typmod >= 0 && t.typmod < 6 {
		return int(t.typmod)
	}
	return 6
}

// numericScale returns the scale of a numeric(p,s) column and whether it has
// one.
func (t *pgType) numericScale() (int, bool) {
	m := int(t.typmod)
	if t.class != classNumeric || m < 4 {
		return 0, false
	}
	return (((m - 4) & 0x7ff) ^ 1024) - 1024, true
}

// encodingKey names t in a pass-through encoding: equal keys mean equal
// binary representations. User-defined arrays and composites carry OIDs in
// their binary form, which differ between databases, so their keys include
// the OID; money depends on the locale's decimal places.
func (t *pgType) encodingKey() string {
	switch {
	case t.user:
		return strconv.Quote(t.name) + "@" + strconv.FormatUint(uint64(t.oid), 10)
	case t.class == classMoney:
		return strconv.Quote(t.name) + "/" + strconv.Itoa(t.moneyScale)
	}
	return strconv.Quote(t.name)
}

// typeRow is what pg_type says of one type.
type typeRow struct {
	typtype byte
	base    uint32 // typbasetype of a domain
	elem    uint32 // typelem of an array
	send    string // the binary send function
}

// types resolves type OIDs and modifiers into pgTypes, caching what it learns
// from pg_type. It is used while loading metadata, from one goroutine.
type types struct {
	rows       map[uint32]typeRow
	moneyScale int // -1 until asked
}

func newTypes() *types { return &types{rows: map[uint32]typeRow{}, moneyScale: -1} }

// resolve returns the pgTypes of the given (oid, typmod) pairs.
func (ts *types) resolve(ctx context.Context, conn *pgx.Conn, oids []uint32, mods []int32) ([]*pgType, error) {
	if err := ts.load(ctx, conn, oids); err != nil {
		return nil, err
	}
	names, err := formatTypes(ctx, conn, oids, mods)
	if err != nil {
		return nil, err
	}
	out := make([]*pgType, len(oids))
	for i, oid := range oids {
		t, err := ts.build(ctx, conn, oid, mods[i], names[i], 0)
		if err != nil {
			return nil, err
		}
		out[i] = t
	}
	return out, nil
}

// load reads the pg_type rows of oids and of the types they are built on.
func (ts *types) load(ctx context.Context, conn *pgx.Conn, oids []uint32) error {
	want := oids
	for len(want) > 0 {
		var missing []uint32
		for _, o := range want {
			if _, ok := ts.rows[o]; !ok && o != 0 {
				missing = append(missing, o)
			}
		}
		if len(missing) == 0 {
			return nil
		}
		rows, err := conn.Query(ctx, `SELECT oid, typtype, typbasetype, typelem, typsend::text
			FROM pg_catalog.pg_type WHERE oid = ANY($1)`, missing)
		if err != nil {
			return classify(fmt.Errorf("postgres: read pg_type: %w", err))
		}
		want = want[:0:0]
		for rows.Next() {
			var oid, base, elem uint32
			var typtype string
			var send string
			if err := rows.Scan(&oid, &typtype, &base, &elem, &send); err != nil {
				rows.Close()
				return fmt.Errorf("postgres: read pg_type: %w", err)
			}
			if dot := strings.LastIndexByte(send, '.'); dot >= 0 {
				send = send[dot+1:] // schema-qualified when not on the search_path
			}
			ts.rows[oid] = typeRow{typtype: typtype[0], base: base, elem: elem, send: send}
			want = append(want, base, elem)
		}
		if err := rows.Err(); err != nil {
			return classify(fmt.Errorf("postgres: read pg_type: %w", err))
		}
		for _, o := range missing {
			if _, ok := ts.rows[o]; !ok {
				return fmt.Errorf("postgres: type %d does not exist", o)
			}
		}
	}
	return nil
}

func (ts *types) build(ctx context.Context, conn *pgx.Conn, oid uint32, mod int32, name string, depth int) (*pgType, error) {
	t := &pgType{oid: oid, typmod: mod, name: name}
	base := oid
	row := ts.rows[base]
	for row.typtype == 'd' && depth < 32 { // a domain: its base type decides
		base = row.base
		row = ts.rows[base]
		depth++
	}
	if c, ok := builtinClass[base]; ok {
		t.class = c
	} else if row.typtype == 'e' || textSend[row.send] {
		t.class = classText
	} else if row.send == "array_send" && row.elem != 0 && depth < 32 {
		elem, err := ts.build(ctx, conn, row.elem, -1, "", depth+1)
		if err != nil {
			return nil, err
		}
		if elem.class != classOther && elem.class != classArray {
			t.class, t.elem = classArray, elem
		}
		t.user = row.elem >= firstUserOID || elem.user
	}
	if row.typtype == 'c' && oid >= firstUserOID {
		t.user = true
	}
	if t.class == classMoney {
		scale, err := ts.money(ctx, conn)
		if err != nil {
			return nil, err
		}
		t.moneyScale = scale
	}
	return t, nil
}

// money returns the decimal places of money under the session's lc_monetary.
func (ts *types) money(ctx context.Context, conn *pgx.Conn) (int, error) {
	if ts.moneyScale < 0 {
		var scale int
		if err := conn.QueryRow(ctx, `SELECT scale('1'::money::numeric)`).Scan(&scale); err != nil {
			return 0, classify(fmt.Errorf("postgres: read the scale of money: %w", err))
		}
		ts.moneyScale = scale
	}
	return ts.moneyScale, nil
}

// formatTypes returns format_type(oid, mod) of each pair, in one query.
func formatTypes(ctx context.Context, conn *pgx.Conn, oids []uint32, mods []int32) ([]string, error) {
	names := make([]string, 0, len(oids))
	rows, err := conn.Query(ctx, `SELECT format_type(t, m) FROM unnest($1::oid[], $2::int4[]) WITH ORDINALITY AS x(t, m, i) ORDER BY i`, oids, mods)
	if err != nil {
		return nil, classify(fmt.Errorf("postgres: format types: %w", err))
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		return nil, classify(fmt.Errorf("postgres: format types: %w", err))
	}
	return names, nil
}
