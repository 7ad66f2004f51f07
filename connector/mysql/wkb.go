package mysql

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Geometry values travel as WKB (OGC well-known binary), or as EWKB
// (PostGIS's extension: the SRID after the type, flagged in the type) when
// their SRID is not 0. MySQL stores them as a little-endian SRID followed by
// WKB; the functions here convert and check, without allocating.

const (
	ewkbSRIDFlag = 0x20000000
	ewkbZFlag    = 0x80000000
	ewkbMFlag    = 0x40000000
)

var geometryTypes = [...]string{1: "point", 2: "linestring", 3: "polygon", 4: "multipoint",
	5: "multilinestring", 6: "multipolygon", 7: "geometrycollection"}

// appendInternalGeometry appends the MySQL internal form of the WKB or EWKB
// value p to dst, checking that p is one complete 2D geometry. want is the
// column's type ("geometry" takes any).
func appendInternalGeometry(dst, p []byte, want string) ([]byte, error) {
	if len(p) < 5 {
		return dst, errWKBShort
	}
	if p[0] > 1 {
		return dst, errors.New("not WKB: no byte-order mark")
	}
	order := byteOrder(p[0])
	typ := order.Uint32(p[1:5])
	var srid uint32
	body := p[5:]
	if typ&(ewkbZFlag|ewkbMFlag) != 0 {
		return dst, errors.New("WKB with Z or M coordinates: MySQL geometries are 2D")
	}
	if typ&ewkbSRIDFlag != 0 {
		if len(body) < 4 {
			return dst, errors.New("EWKB: truncated SRID")
		}
		srid = order.Uint32(body)
		body = body[4:]
		typ &^= ewkbSRIDFlag
	}
	if typ < 1 || typ > 7 {
		if typ > 1000 && typ < 4000 {
			return dst, errors.New("WKB with Z or M coordinates: MySQL geometries are 2D")
		}
		return dst, fmt.Errorf("WKB geometry type %d is not one MySQL has", typ)
	}
	switch want {
	case "geometry", "":
	case "geomcollection":
		if typ != 7 {
			return dst, fmt.Errorf("a %s cannot go into a geometrycollection column", geometryTypes[typ])
		}
	default:
		if geometryTypes[typ] != want {
			return dst, fmt.Errorf("a %s cannot go into a %s column", geometryTypes[typ], want)
		}
	}
	rest, err := checkGeometryBody(order, typ, body, 0)
	if err != nil {
		return dst, err
	}
	if len(rest) != 0 {
		return dst, fmt.Errorf("WKB has %d bytes after the geometry", len(rest))
	}
	dst = binary.LittleEndian.AppendUint32(dst, srid)
	dst = append(dst, p[0])
	dst = order.AppendUint32(dst, typ)
	return append(dst, body...), nil
}

// order is a byte order that can also append.
type order interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

func byteOrder(mark byte) order {
	if mark == 0 {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

var errWKBShort = errors.New("WKB is truncated")

// checkGeometryBody checks the body of a geometry of type typ and returns
// what follows it.
func checkGeometryBody(order order, typ uint32, p []byte, depth int) ([]byte, error) {
	if depth > 32 {
		return nil, errors.New("WKB nests too deep")
	}
	count := func() (int, error) {
		if len(p) < 4 {
			return 0, errWKBShort
		}
		n := order.Uint32(p)
		p = p[4:]
		if uint64(n) > uint64(len(p)) {
			return 0, errWKBShort
		}
		return int(n), nil
	}
	points := func(n int) error {
		if len(p) < 16*n {
			return errWKBShort
		}
		p = p[16*n:]
		return nil
	}
	switch typ {
	case 1:
		return p, points(1)
	case 2:
		n, err := count()
		if err != nil {
			return nil, err
		}
		return p, points(n)
	case 3:
		rings, err := count()
		if err != nil {
			return nil, err
		}
		for range rings {
			n, err := count()
			if err != nil {
				return nil, err
			}
			if err := points(n); err != nil {
				return nil, err
			}
		}
		return p, nil
	}
	n, err := count()
	if err != nil {
		return nil, err
	}
	for range n {
		if len(p) < 5 || p[0] > 1 {
			return nil, errors.New("WKB: bad byte-order mark in a collection")
		}
		inner := byteOrder(p[0])
		sub := inner.Uint32(p[1:5])
		if (typ == 4 && sub != 1) || (typ == 5 && sub != 2) || (typ == 6 && sub != 3) || sub < 1 || sub > 7 {
			return nil, fmt.Errorf("WKB: a %s cannot hold geometry type %d", geometryTypes[typ], sub)
		}
		if p, err = checkGeometryBody(inner, sub, p[5:], depth+1); err != nil {
			return nil, err
		}
	}
	return p, nil
}
