package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// serverInfo is what the package needs to know about the server.
type serverInfo struct {
	version          string // VERSION()
	mariaDB          bool
	major, minor     int
	patch            int
	maxAllowedPacket int64
	database         string // DATABASE() of the pool's connections
}

// atLeast reports whether the server's version is at least major.minor.patch.
func (s serverInfo) atLeast(major, minor, patch int) bool {
	if s.major != major {
		return s.major > major
	}
	if s.minor != minor {
		return s.minor > minor
	}
	return s.patch >= patch
}

// serverInfo queries the server once per pool (again after a failure).
func (p *pool) serverInfo(ctx context.Context, c *conn) (serverInfo, error) {
	p.infoMu.Lock()
	defer p.infoMu.Unlock()
	if p.infoOK {
		return p.info, nil
	}
	var info serverInfo
	var db sql.NullString
	err := c.QueryRowContext(ctx, "SELECT VERSION(), @@max_allowed_packet, DATABASE()").Scan(&info.version, &info.maxAllowedPacket, &db)
	if err != nil {
		return info, classify(fmt.Errorf("read the server's version: %w", err))
	}
	info.database = db.String
	info.mariaDB = strings.Contains(strings.ToLower(info.version), "mariadb")
	v := info.version
	if i := strings.IndexAny(v, "-+"); i >= 0 {
		v = v[:i]
	}
	nums := strings.SplitN(v, ".", 3)
	ints := []*int{&info.major, &info.minor, &info.patch}
	for i := range min(len(nums), 3) {
		*ints[i], _ = strconv.Atoi(nums[i])
	}
	p.info, p.infoOK = info, true
	return info, nil
}

// column is one column of a table as information_schema describes it.
type column struct {
	name       string
	dataType   string // DATA_TYPE, lower case; "json" also for MariaDB's JSON
	columnType string // COLUMN_TYPE, as the server prints it
	nullable   bool
	charLen    int64 // CHARACTER_MAXIMUM_LENGTH
	octetLen   int64 // CHARACTER_OCTET_LENGTH
	precision  int   // NUMERIC_PRECISION (bits for bit(n))
	scale      int   // NUMERIC_SCALE
	fsp        int   // DATETIME_PRECISION
	charset    string
	unsigned   bool
	autoInc    bool
	generated  bool
	hasDefault bool
	members    []string // of an enum or set
}

// index is a unique index whose columns can order rows.
type index struct {
	name    string
	primary bool
	cols    []int // positions in tableMeta.columns
	usable  bool  // no prefix parts and every column NOT NULL
}

// tableMeta describes a table.
type tableMeta struct {
	name    tableName // with its database resolved
	engine  string
	view    bool
	rows    int64 // the server's estimate
	columns []column
	unique  []index      // PRIMARY first
	leading map[int]bool // columns that lead an index
}

// errNoTable is matched by the error loadTable returns for a missing table.
var errNoTable = errors.New("no such table")

// loadTable reads the description of table t.
func loadTable(ctx context.Context, c *conn, info serverInfo, t tableName) (*tableMeta, error) {
	if t.db == "" {
		if info.database == "" {
			return nil, fmt.Errorf("table %s: the connection has no default database; name it as db.table", t)
		}
		t.db = info.database
	}
	m := &tableMeta{name: t}
	schema, name := quoteString(t.db), quoteString(t.table)
	var engine sql.NullString
	var rows sql.NullInt64
	var typ string
	err := c.QueryRowContext(ctx, "SELECT ENGINE, TABLE_ROWS, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = "+
		schema+" AND TABLE_NAME = "+name).Scan(&engine, &rows, &typ)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("table %s: %w", t, errNoTable)
	}
	if err != nil {
		return nil, classify(fmt.Errorf("table %s: read its description: %w", t, err))
	}
	m.engine, m.rows, m.view = engine.String, rows.Int64, strings.Contains(typ, "VIEW")

	q := "SELECT COLUMN_NAME, LOWER(DATA_TYPE), COLUMN_TYPE, IS_NULLABLE, CHARACTER_MAXIMUM_LENGTH, CHARACTER_OCTET_LENGTH, " +
		"NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, CHARACTER_SET_NAME, EXTRA, COLUMN_DEFAULT IS NOT NULL " +
		"FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " + schema + " AND TABLE_NAME = " + name + " ORDER BY ORDINAL_POSITION"
	rs, err := c.QueryContext(ctx, q)
	if err != nil {
		return nil, classify(fmt.Errorf("table %s: read its columns: %w", t, err))
	}
	for rs.Next() {
		var col column
		var nullable, extra string
		var charLen, octetLen, prec, scale, fsp sql.NullInt64
		var charset sql.NullString
		if err := rs.Scan(&col.name, &col.dataType, &col.columnType, &nullable, &charLen, &octetLen, &prec, &scale, &fsp, &charset, &extra, &col.hasDefault); err != nil {
			rs.Close()
			return nil, classify(fmt.Errorf("table %s: read its columns: %w", t, err))
		}
		col.nullable = nullable == "YES"
		col.charLen, col.octetLen = charLen.Int64, octetLen.Int64
		col.precision, col.scale, col.fsp = int(prec.Int64), int(scale.Int64), int(fsp.Int64)
		col.charset = strings.ToLower(charset.String)
		lowerType := strings.ToLower(col.columnType)
		col.unsigned = strings.Contains(lowerType, "unsigned")
		lowerExtra := strings.ToLower(extra)
		col.autoInc = strings.Contains(lowerExtra, "auto_increment")
		col.generated = strings.Contains(lowerExtra, "generated") && !strings.Contains(lowerExtra, "default_generated")
		if col.dataType == "enum" || col.dataType == "set" {
			col.members = parseMembers(col.columnType)
		}
		if col.dataType == "bit" && col.precision == 0 {
			col.precision = 1
		}
		m.columns = append(m.columns, col)
	}
	if err := rs.Close(); err != nil {
		return nil, classify(fmt.Errorf("table %s: read its columns: %w", t, err))
	}
	if err := rs.Err(); err != nil {
		return nil, classify(fmt.Errorf("table %s: read its columns: %w", t, err))
	}
	if len(m.columns) == 0 {
		return nil, fmt.Errorf("table %s: %w (or no privilege on its columns)", t, errNoTable)
	}
	if info.mariaDB {
		// MariaDB's JSON is LONGTEXT with a json_valid check.
		if err := markMariaDBJSON(ctx, c, m, schema, name); err != nil {
			return nil, err
		}
	}
	if err := loadIndexes(ctx, c, m, schema, name); err != nil {
		return nil, err
	}
	return m, nil
}

func markMariaDBJSON(ctx context.Context, c *conn, m *tableMeta, schema, name string) error {
	rs, err := c.QueryContext(ctx, "SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = "+
		schema+" AND TABLE_NAME = "+name)
	if err != nil {
		return classify(fmt.Errorf("table %s: read its check constraints: %w", m.name, err))
	}
	defer rs.Close()
	for rs.Next() {
		var clause string
		if err := rs.Scan(&clause); err != nil {
			return classify(fmt.Errorf("table %s: read its check constraints: %w", m.name, err))
		}
		for i := range m.columns {
			col := &m.columns[i]
			if col.dataType == "longtext" && clause == "json_valid("+quoteIdent(col.name)+")" {
				col.dataType = "json"
			}
		}
	}
	return rs.Err()
}

// loadIndexes reads the table's unique keys and which columns lead an
// index.
func loadIndexes(ctx context.Context, c *conn, m *tableMeta, schema, name string) error {
	rs, err := c.QueryContext(ctx, "SELECT INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, SUB_PART IS NOT NULL "+
		"FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = "+schema+" AND TABLE_NAME = "+name+
		" ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX")
	if err != nil {
		return classify(fmt.Errorf("table %s: read its keys: %w", m.name, err))
	}
	defer rs.Close()
	m.leading = map[int]bool{}
	for rs.Next() {
		var idx, colName string
		var nonUnique, seq int
		var prefix bool
		if err := rs.Scan(&idx, &nonUnique, &seq, &colName, &prefix); err != nil {
			return classify(fmt.Errorf("table %s: read its keys: %w", m.name, err))
		}
		pos := m.find(colName)
		if seq == 1 && pos >= 0 {
			m.leading[pos] = true
		}
		if nonUnique != 0 {
			continue
		}
		if len(m.unique) == 0 || m.unique[len(m.unique)-1].name != idx {
			m.unique = append(m.unique, index{name: idx, primary: idx == "PRIMARY", usable: true})
		}
		ix := &m.unique[len(m.unique)-1]
		if pos < 0 || prefix || m.columns[pos].nullable {
			ix.usable = false
			continue
		}
		ix.cols = append(ix.cols, pos)
	}
	return rs.Err()
}

// find returns the position of the column named name (exactly, then
// without regard to case), or -1.
func (m *tableMeta) find(name string) int {
	for i, c := range m.columns {
		if c.name == name {
			return i
		}
	}
	for i, c := range m.columns {
		if strings.EqualFold(c.name, name) {
			return i
		}
	}
	return -1
}

// transactional reports whether the table's engine can roll back, which the
// sink's exactly-once narrowing of rejected rows depends on.
func (m *tableMeta) transactional() bool {
	switch strings.ToLower(m.engine) {
	case "myisam", "aria", "memory", "heap", "csv", "archive", "mrg_myisam", "mrg_myisam_engine", "blackhole", "federated", "merge":
		return false
	}
	return true
}

// parseMembers returns the members of "enum('a','b”c')" or "set(...)",
// undoing the quote doubling and backslash escapes the server prints.
func parseMembers(columnType string) []string {
	open := strings.IndexByte(columnType, '(')
	if open < 0 {
		return nil
	}
	s := columnType[open+1:]
	var members []string
	for len(s) > 0 && s[0] == '\'' {
		var b strings.Builder
		i := 1
		for i < len(s) {
			c := s[i]
			if c == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					b.WriteByte('\'')
					i += 2
					continue
				}
				break
			}
			if c == '\\' && i+1 < len(s) {
				switch s[i+1] {
				case '0':
					b.WriteByte(0)
				case 'n':
					b.WriteByte('\n')
				case 'r':
					b.WriteByte('\r')
				case 't':
					b.WriteByte('\t')
				case 'Z':
					b.WriteByte(0x1a)
				default:
					b.WriteByte(s[i+1])
				}
				i += 2
				continue
			}
			b.WriteByte(c)
			i++
		}
		members = append(members, b.String())
		s = s[min(i+1, len(s)):]
		if len(s) > 0 && s[0] == ',' {
			s = s[1:]
		}
	}
	return members
}
