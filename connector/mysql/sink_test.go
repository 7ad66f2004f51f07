package mysql_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/source"
)

// TestDirtyRowsIsolated writes batches in which some rows cannot go into the
// table: caught before sending (too long, out of range, utf8mb4 into
// utf8mb3, NULL into NOT NULL, too many decimals or fractional seconds, not
// an enum member, not UTF-8), or rejected by the server (a foreign key, a
// duplicate key). Through LOAD DATA and through INSERT, each such row is
// dirty with its reason and every other row is written exactly once: none
// truncated, none dropped, none twice.
func TestDirtyRowsIsolated(t *testing.T) {
	schema := ds.Schema{
		{Name: "id", Kind: ds.KindInt}, {Name: "name", Kind: ds.KindString}, {Name: "n", Kind: ds.KindInt},
		{Name: "m", Kind: ds.KindString}, {Name: "amount", Kind: ds.KindDecimal}, {Name: "at", Kind: ds.KindTimestamp},
		{Name: "e", Kind: ds.KindString}, {Name: "p", Kind: ds.KindInt},
	}
	dec := func(s string) ds.Value { v, err := ds.Decimal(s); require.NoError(t, err); return v }
	ts := func(s string) ds.Value {
		v, err := ds.ParseTimestamp(s)
		require.NoError(t, err)
		return ds.TimestampValue(v)
	}
	bad := map[int64]string{ // id: the column at fault
		10: "name", 20: "n", 30: "m", 40: "name", 50: "amount", 60: "at", 70: "e", 80: "p", 91: "", 110: "name", 120: "name",
	}
	var recs []ds.Record
	var want []int64
	for id := int64(1); id <= 200; id++ {
		r := ds.Record{ds.Int(id), ds.String(fmt.Sprintf("n%d", id%1000)), ds.Int(id % 100), ds.String("ok"), dec("12.34"),
			ts("2024-01-02 03:04:05"), ds.String("x"), ds.Null()}
		switch id {
		case 10:
			r[1] = ds.String("toolong")
		case 20:
			r[2] = ds.Int(300)
		case 30:
			r[3] = ds.String("😀")
		case 40:
			r[1] = ds.Null()
		case 50:
			r[4] = dec("1.234")
		case 60:
			r[5] = ts("2024-01-02 03:04:05.5")
		case 70:
			r[6] = ds.String("z")
		case 80:
			r[7] = ds.Int(99) // no such parent
		case 100:
			r[1] = ds.String("héllö") // five characters, seven bytes: fits
			r[7] = ds.Int(1)
		case 110:
			r[1] = ds.Bytes([]byte{0xff, 0xfe})
		case 120:
			r[1] = ds.String("a    b") // six with the spaces: never trimmed to fit
		}
		recs = append(recs, r)
		if id == 90 { // the same key again, in the same batch
			recs = append(recs, ds.Record{ds.Int(90), ds.String("dup"), ds.Int(0), ds.String("ok"), dec("1"), ts("2024-01-01 00:00:00"), ds.String("y"), ds.Null()})
		}
		if _, isBad := bad[id]; !isBad || id == 91 {
			want = append(want, id)
		}
	}
	for _, loadData := range []mysql.LoadData{mysql.LoadDataAuto, mysql.LoadDataOff} {
		t.Run("loadData="+string(loadData), func(t *testing.T) {
			e := newEnv(t)
			e.exec("CREATE TABLE parent (id int PRIMARY KEY)", "INSERT INTO parent VALUES (1)",
				`CREATE TABLE t (id int PRIMARY KEY, name varchar(5) NOT NULL, n tinyint, m varchar(10) CHARACTER SET utf8mb3,
				  amount decimal(6,2), at datetime, e enum('x','y'), p int NULL, FOREIGN KEY (p) REFERENCES parent (id)) ENGINE=InnoDB`)
			var dirty dirtyCollector
			dst := e.sink(mysql.SinkConfig{Table: "t", LoadData: loadData})
			res := run(t, source.FromRecords(schema, recs), dst, allowDirty(&dirty), ds.WithBatchSize(37, 1<<20), ds.WithParallelism(2))
			assert.Equal(t, want, e.ints("SELECT id FROM t"))
			assert.Equal(t, int64(len(want)), res.RecordsWritten)
			assert.Equal(t, int64(len(recs)-len(want)), res.RecordsDirty, "%v", dirty.reasons())
			got := map[int64]string{}
			for _, d := range dirty.recs {
				id, err := d.Record[0].AsInt()
				require.NoError(t, err)
				if id == 90 {
					id = 91 // the duplicate
				}
				got[id] = d.Column
				assert.NotEmpty(t, d.Err.Error())
			}
			wantDirty := map[int64]string{}
			for id, col := range bad {
				if id != 91 {
					wantDirty[id] = col
				}
			}
			wantDirty[91] = ""
			assert.Equal(t, wantDirty, got, "%v", dirty.reasons())
			reasons := strings.Join(dirty.reasons(), "\n")
			for _, want := range []string{"7 characters is more than varchar(5)", "out of the range of tinyint", "needs utf8mb4",
				"NULL cannot go into NOT NULL", "more than decimal(6,2) keeps", "fractional-second digits", `"z" is not one of`,
				"foreign key constraint fails", "Duplicate entry '90'", "not valid UTF-8"} {
				assert.Contains(t, reasons, want)
			}
			// The values are exactly what was sent.
			var name string
			require.NoError(t, e.db.QueryRow("SELECT name FROM t WHERE id = 100").Scan(&name))
			assert.Equal(t, "héllö", name)
			require.NoError(t, e.db.QueryRow("SELECT name FROM t WHERE id = 90").Scan(&name))
			assert.Equal(t, "n90", name)

			loads, undone, inserts, narrowed := mysql.Stats(dst)
			if loadData == mysql.LoadDataAuto {
				assert.Positive(t, loads, "batches without server-side rejections are loaded")
				assert.Positive(t, undone, "a load with a rejected row is undone")
			} else {
				assert.Zero(t, loads+undone)
			}
			assert.Positive(t, inserts)
			assert.Positive(t, narrowed)
		})
	}
}

// TestReplaceAndUpdateIdempotent runs the same job twice in each mode: the
// target ends the same, with no row twice, and update keeps the columns it
// does not write while replace resets them.
func TestReplaceAndUpdateIdempotent(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE src (id int PRIMARY KEY, v varchar(20), n int)")
	insertRows(e, "src", 300, func(i int) string { return fmt.Sprintf("(%d, 'v%d', %d)", i, i, i*i) })
	for _, mode := range []mysql.WriteMode{mysql.WriteReplace, mysql.WriteUpdate} {
		for _, loadData := range []mysql.LoadData{mysql.LoadDataAuto, mysql.LoadDataOff} {
			t.Run(string(mode)+"/"+string(loadData), func(t *testing.T) {
				e.exec("DROP TABLE IF EXISTS dst", "CREATE TABLE dst (id int PRIMARY KEY, v varchar(20), n int, extra varchar(10) DEFAULT 'default')")
				insertRows(e, "dst", 100, func(i int) string { return fmt.Sprintf("(%d, 'old', -1, 'kept')", i) })
				e.exec("INSERT INTO dst VALUES (1000, 'other', 0, 'kept')")
				for range 2 {
					run(t, e.source(mysql.SourceConfig{Table: "src", Splits: 3}),
						e.sink(mysql.SinkConfig{Table: "dst", WriteMode: mode, LoadData: loadData, Column: []string{"id", "v", "n"}}),
						ds.WithBatchSize(50, 1<<20))
					assert.Equal(t, int64(301), e.count("dst"))
					var mismatched int64
					require.NoError(t, e.db.QueryRow("SELECT COUNT(*) FROM src JOIN dst USING (id) WHERE NOT (src.v <=> dst.v AND src.n <=> dst.n)").Scan(&mismatched))
					assert.Zero(t, mismatched)
					extra := "default"
					if mode == mysql.WriteUpdate {
						extra = "kept"
					}
					assert.Equal(t, int64(100), e.count("dst WHERE id < 100 AND extra = '"+extra+"'"))
					assert.Equal(t, int64(1), e.count("dst WHERE id = 1000 AND v = 'other'"))
				}
			})
		}
	}
}

// TestLoadDataDisabledFallsBack turns LOAD DATA LOCAL off on the server and
// checks that the sink writes the same rows through INSERT, that Check says
// so for loadData "require", and that "require" refuses to write.
func TestLoadDataDisabledFallsBack(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE src "+allTypes, "INSERT INTO src VALUES "+strings.Join(allTypesRows, ",\n"))
	e.exec("CREATE TABLE dst "+allTypes, "CREATE TABLE dst2 "+allTypes)
	src := e.source(mysql.SourceConfig{Table: "src"})
	schema, err := src.Schema(ctx(t))
	require.NoError(t, err)

	// The server's setting is global: keep the window short, and put it
	// back whatever happens.
	var was int
	require.NoError(t, e.db.QueryRow("SELECT @@GLOBAL.local_infile").Scan(&was))
	e.exec("SET GLOBAL local_infile = 0")
	restore := sync.OnceFunc(func() {
		_, err := e.db.Exec(fmt.Sprintf("SET GLOBAL local_infile = %d", was))
		assert.NoError(t, err)
	})
	t.Cleanup(restore)

	auto := e.sink(mysql.SinkConfig{Table: "dst"})
	require.NoError(t, auto.Check(ctx(t), schema))
	run(t, src, auto)
	strict := e.sink(mysql.SinkConfig{Table: "dst2", LoadData: mysql.LoadDataRequire})
	checkErr := strict.Check(ctx(t), schema)
	p, err := ds.NewPipeline(src, strict, ds.WithRetry(0, 0))
	assert.NoError(t, err)
	_, runErr := p.Run(ctx(t))
	restore()

	e.sameTable("src", "dst")
	loads, undone, inserts, _ := mysql.Stats(auto)
	assert.Equal(t, [3]int64{0, 0, 1}, [3]int64{loads, undone, inserts})
	assert.ErrorContains(t, checkErr, "LOAD DATA LOCAL INFILE is not available")
	assert.ErrorContains(t, runErr, "LOAD DATA LOCAL INFILE is not available")
	assert.Zero(t, e.count("dst2"))

	// And with LOAD DATA back, "require" works.
	run(t, src, e.sink(mysql.SinkConfig{Table: "dst2", LoadData: mysql.LoadDataRequire}))
	e.sameTable("src", "dst2")
}

// TestValueTooLongIsDirtyNotTruncated: the value a LOAD DATA would
// silently cut to the column's length is a dirty row instead, in every
// text and binary type.
func TestValueTooLongIsDirtyNotTruncated(t *testing.T) {
	e := newEnv(t)
	e.exec("CREATE TABLE t (id int PRIMARY KEY, c char(3), v varchar(3), b binary(3), vb varbinary(3), tt tinytext, tb tinyblob, l varchar(3) CHARACTER SET latin1)")
	schema := ds.Schema{{Name: "id", Kind: ds.KindInt}, {Name: "c", Kind: ds.KindString}, {Name: "v", Kind: ds.KindString},
		{Name: "b", Kind: ds.KindBytes}, {Name: "vb", Kind: ds.KindBytes}, {Name: "tt", Kind: ds.KindString}, {Name: "tb", Kind: ds.KindBytes},
		{Name: "l", Kind: ds.KindString}}
	ok := ds.Record{ds.Int(0), ds.String("abc"), ds.String("😀😀😀"), ds.Bytes([]byte("xyz")), ds.Bytes([]byte("xyz")),
		ds.String(strings.Repeat("t", 255)), ds.Bytes([]byte(strings.Repeat("b", 255))), ds.String("äöü")}
	recs := []ds.Record{ok}
	long := []ds.Value{ds.String("abcd"), ds.String("😀😀😀😀"), ds.Bytes([]byte("wxyz")), ds.Bytes([]byte("wxyz")),
		ds.String(strings.Repeat("t", 254) + "é"), ds.Bytes([]byte(strings.Repeat("b", 256))), ds.String("äöüß")}
	for i, v := range long {
		r := slices.Clone(ok)
		r[0] = ds.Int(int64(i + 1))
		r[i+1] = v
		recs = append(recs, r)
	}
	var dirty dirtyCollector
	run(t, source.FromRecords(schema, recs), e.sink(mysql.SinkConfig{Table: "t"}), allowDirty(&dirty))
	assert.Equal(t, []int64{0}, e.ints("SELECT id FROM t"))
	require.Len(t, dirty.recs, len(long), "%v", dirty.reasons())
	for _, d := range dirty.recs {
		id, _ := d.Record[0].AsInt()
		assert.Equal(t, schema[id].Name, d.Column, "%v", d.Err)
		assert.Equal(t, ds.StageWrite, d.Stage)
	}
	assert.Equal(t, e.fingerprint("t")[0], strings.Join([]string{"30", "616263", fmt.Sprintf("%X", "😀😀😀"), "78797A", "78797A",
		fmt.Sprintf("%X", strings.Repeat("t", 255)), fmt.Sprintf("%X", strings.Repeat("b", 255)), fmt.Sprintf("%X", "äöü")}, "|"))
}
