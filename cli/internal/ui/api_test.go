package ui

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/oss/osstest"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/job/datasource"
)

func TestAPIListsAndAddsDataSources(t *testing.T) {
	f := newFixture(t)
	list := callJSON[dataSourceList](f, "GET", "/api/datasources", nil, http.StatusOK)
	require.Len(t, list.DataSources, 3)
	assert.Equal(t, "shop", list.DataSources[0].Name)
	assert.True(t, list.DataSources[0].Source)
	assert.True(t, list.DataSources[0].Target)
	assert.Equal(t, "lake", list.DataSources[2].Name)
	assert.True(t, list.DataSources[2].Source, "oss: read")
	assert.False(t, list.DataSources[2].Target, "oss: not written")
	assert.Contains(t, list.Types, "mysql")
	assert.Contains(t, list.Types, "postgresql")

	added := callJSON[map[string]string](f, "POST", "/api/datasources", newDataSource{Name: "replica", Type: "mysql",
		Host: "db.internal", Port: 3307, Database: "shop", Username: "etl", PasswordEnv: "REPLICA_PASSWORD"}, http.StatusOK)
	assert.Equal(t, f.catPath, added["catalog"])
	cat, err := datasource.Load(f.catPath)
	require.NoError(t, err)
	d, err := cat.Get("replica")
	require.NoError(t, err)
	assert.Equal(t, datasource.Env("REPLICA_PASSWORD"), d.Password)
	assert.Equal(t, 3307, d.Port)

	bad := callJSON[failure](f, "POST", "/api/datasources", newDataSource{Name: "replica", Type: "mysql", Host: "h", Database: "d"}, http.StatusBadRequest)
	require.Len(t, bad.Fields, 1)
	assert.Equal(t, modelError{Field: "name", Text: `the catalog already has one named "replica"`}, *bad.Fields[0])
	bad = callJSON[failure](f, "POST", "/api/datasources", newDataSource{Name: "nohost", Type: "postgresql", Database: "d"}, http.StatusBadRequest)
	require.NotEmpty(t, bad.Fields)
	assert.Equal(t, "host", bad.Fields[0].Field, "placed beside the field: %+v", bad.Fields)

	tested := callJSON[testResult](f, "POST", "/api/datasources/test", testRequest{Name: "shop"}, http.StatusOK)
	assert.Equal(t, testResult{OK: true, Report: "probed shop"}, tested)
	callJSON[failure](f, "POST", "/api/datasources/test", testRequest{Name: "nope"}, http.StatusNotFound)
}

func TestAPIIntrospectsAndPreviews(t *testing.T) {
	f := newFixture(t)
	f.tables(30)
	var myDB string
	require.NoError(t, f.mysql.QueryRow("SELECT DATABASE()").Scan(&myDB))

	schemas := callJSON[map[string]any](f, "POST", "/api/schemas", introspectRequest{DataSource: "shop"}, http.StatusOK)
	assert.Contains(t, schemas["schemas"], myDB)
	assert.Equal(t, myDB, schemas["current"])
	tables := callJSON[map[string][]datasync.TableInfo](f, "POST", "/api/tables", introspectRequest{DataSource: "dw", Schema: "public"}, http.StatusOK)
	require.Len(t, tables["tables"], 1)
	assert.Equal(t, "orders_copy", tables["tables"][0].Name)
	cols := callJSON[map[string][]column](f, "POST", "/api/columns", introspectRequest{DataSource: "shop", Schema: myDB, Table: "orders"}, http.StatusOK)
	assert.Contains(t, cols["columns"][0].Native, "bigint")
	assert.Equal(t, []column{
		{Name: "id", Kind: "Int", Native: cols["columns"][0].Native, Key: 1},
		{Name: "customer", Kind: "String", Native: "varchar(40)"},
		{Name: "placed", Kind: "Timestamp", Native: "datetime(3)"},
		{Name: "amount", Kind: "Decimal", Native: "decimal(10,2)"},
	}, cols["columns"])

	prev := callJSON[previewResult](f, "POST", "/api/preview", previewRequest{Source: Endpoint{DataSource: "shop", Table: "orders"}}, http.StatusOK)
	assert.Len(t, prev.Columns, 4)
	require.Len(t, prev.Rows, previewRows, "the first rows only")
	assert.JSONEq(t, `"customer 1"`, string(prev.Rows[0][1]))

	prev = callJSON[previewResult](f, "POST", "/api/preview", previewRequest{Source: Endpoint{DataSource: "shop",
		Query: "SELECT id, amount * 2 AS doubled FROM orders WHERE id <= 3"}}, http.StatusOK)
	assert.Equal(t, []string{"id", "doubled"}, []string{prev.Columns[0].Name, prev.Columns[1].Name})
	assert.Len(t, prev.Rows, 3)

	e := callJSON[failure](f, "POST", "/api/columns", introspectRequest{DataSource: "shop", Schema: myDB, Table: "missing"}, http.StatusBadGateway)
	assert.Contains(t, e.Error, "missing")
	e = callJSON[failure](f, "POST", "/api/tables", introspectRequest{DataSource: "lake"}, http.StatusBadGateway)
	assert.Contains(t, e.Error, "127.0.0.1:1", "the unreachable endpoint")
	assert.NotContains(t, e.Error, passwordValue)
}

func TestAPIReadsACSVObjectOfOSSIntoPostgreSQL(t *testing.T) {
	f := newFixture(t)
	f.tables(0)
	srv := osstest.NewServer(osstest.WithBuckets("exports"))
	t.Cleanup(srv.Close)
	srv.PutObject("exports", "2026/orders.csv", []byte("id,customer,amount,placed\n1,ann,2.50,2026-11-01 10:00:00\n2,bob,3.75,2026-11-02 11:30:00\n"))
	srv.PutObject("exports", "2026/other.csv", []byte("x\n1\n"))
	t.Setenv("UI_TEST_OSS_KEY", srv.AccessKeySecret)
	cat, err := datasource.Load(f.catPath)
	require.NoError(t, err)
	require.NoError(t, cat.Add(datasource.DataSource{Name: "exports", Type: datasource.OSS, Endpoint: srv.Endpoint, Bucket: "exports",
		AccessID: datasource.Inline(srv.AccessKeyID), AccessKey: datasource.Env("UI_TEST_OSS_KEY")}))
	require.NoError(t, cat.Save(f.catPath))

	tables := callJSON[map[string][]datasync.TableInfo](f, "POST", "/api/tables", introspectRequest{DataSource: "exports"}, http.StatusOK)
	require.Len(t, tables["tables"], 2)
	assert.Equal(t, "2026/orders.csv", tables["tables"][0].Name)
	assert.Equal(t, datasync.TableTypeObject, tables["tables"][0].Type)
	cols := callJSON[map[string][]column](f, "POST", "/api/columns", introspectRequest{DataSource: "exports", Table: "2026/orders.csv"}, http.StatusOK)
	var names []string
	for _, c := range cols["columns"] {
		names = append(names, c.Name)
	}
	assert.Equal(t, []string{"id", "customer", "amount", "placed"}, names, "the header, sampled")
	prev := callJSON[previewResult](f, "POST", "/api/preview", previewRequest{Source: Endpoint{DataSource: "exports", Table: "2026/orders.csv"}}, http.StatusOK)
	require.Len(t, prev.Rows, 2)
	assert.JSONEq(t, `"bob"`, string(prev.Rows[1][1]))

	m := ordersModel(byName...)
	m.Source = Endpoint{DataSource: "exports", Table: "2026/orders.csv"}
	res := callJSON[checkResult](f, "POST", "/api/check", modelRequest{Model: m}, http.StatusOK)
	require.True(t, res.OK, "%+v", res)
	out := callJSON[scripts](f, "POST", "/api/script", modelRequest{Model: m}, http.StatusOK)
	assert.Contains(t, out.DataWorks, `"stepType": "oss"`)
	assert.Contains(t, out.DataX, `"name": "ossreader"`)
	assert.NotContains(t, out.DataWorks+out.DataX, srv.AccessKeySecret)
	started := callJSON[map[string]string](f, "POST", "/api/runs", modelRequest{Model: m}, http.StatusAccepted)
	st := waitRun(t, f, started["id"])
	require.Equal(t, "succeeded", st.State, "%+v", st)
	assert.Equal(t, 2, f.pgCount("orders_copy"))

	m.Source.Where = "x > 1"
	e := callJSON[failure](f, "POST", "/api/runs", modelRequest{Model: m}, http.StatusBadRequest)
	assert.Equal(t, "source.table", e.Fields[0].Field)
	m = ordersModel(byName...)
	m.Target.DataSource = "exports"
	e = callJSON[failure](f, "POST", "/api/runs", modelRequest{Model: m}, http.StatusBadRequest)
	assert.Equal(t, "target.datasource", e.Fields[0].Field)
}

func TestAPICheckPlacesEachProblemBesideItsField(t *testing.T) {
	f := newFixture(t)
	f.tables(3)
	res := callJSON[checkResult](f, "POST", "/api/check", modelRequest{Model: ordersModel(byRow...)}, http.StatusOK)
	require.False(t, res.OK)
	require.Len(t, res.Pairs, 4)
	assert.True(t, res.Pairs[0].OK)
	assert.True(t, res.Pairs[1].OK)
	for _, i := range []int{2, 3} {
		p := res.Pairs[i]
		assert.False(t, p.OK, "%+v", p)
		require.NotEmpty(t, p.Errors)
		assert.Contains(t, p.Errors[0], "cannot be written to column")
		assert.Contains(t, p.Errors[0], `"`+p.To+`"`)
	}
	assert.Equal(t, "Timestamp", res.Pairs[2].FromKind)
	assert.Equal(t, "datetime(3)", res.Pairs[2].FromNative)
	assert.Equal(t, "numeric(10,2)", res.Pairs[2].ToNative)
	assert.Empty(t, res.General, "every problem is beside its field")

	res = callJSON[checkResult](f, "POST", "/api/check", modelRequest{Model: ordersModel(byName...)}, http.StatusOK)
	assert.True(t, res.OK, "%+v", res)
	assert.Positive(t, res.Splits)
	for _, p := range res.Pairs {
		assert.True(t, p.OK)
		assert.NotEmpty(t, p.ToNative)
	}

	m := ordersModel(Pair{"id", "id"}, Pair{"nope", "customer"})
	res = callJSON[checkResult](f, "POST", "/api/check", modelRequest{Model: m}, http.StatusOK)
	assert.False(t, res.OK)
	assert.False(t, res.Pairs[1].OK, "%+v", res)
	assert.Contains(t, strings.Join(res.Pairs[1].Errors, " "), "nope")

	m = ordersModel(Pair{"id", "id"}, Pair{"customer", "id"})
	m.Target.Table = ""
	res = callJSON[checkResult](f, "POST", "/api/check", modelRequest{Model: m}, http.StatusOK)
	assert.False(t, res.OK)
	fields := map[string]string{}
	for _, fe := range res.Fields {
		fields[fe.Field] = fe.Text
	}
	assert.Contains(t, fields, "target.table")
	assert.Contains(t, fields["mapping.id"], "receives two source fields")
}

func TestAPIConvertsToScriptsThatParse(t *testing.T) {
	f := newFixture(t)
	f.tables(3)
	m := ordersModel(byName...)
	m.Channel = Channel{Concurrent: 3, MBps: 2.5, DirtyLimit: 10, DirtyPath: "bad/orders.jsonl"}
	m.Write.Truncate = true
	out := callJSON[scripts](f, "POST", "/api/script", modelRequest{Model: m}, http.StatusOK)

	var dw map[string]any
	require.NoError(t, json.Unmarshal([]byte(out.DataWorks), &dw))
	assert.Equal(t, "job", dw["type"])
	assert.Equal(t, "2.0", dw["version"])
	steps := dw["steps"].([]any)
	reader := steps[0].(map[string]any)
	assert.Equal(t, "mysql", reader["stepType"])
	assert.Equal(t, []any{"id", "customer", "amount", "placed"}, reader["parameter"].(map[string]any)["column"])
	writer := steps[1].(map[string]any)
	assert.Equal(t, "postgresql", writer["stepType"])
	assert.Equal(t, "public.orders_copy", writer["parameter"].(map[string]any)["table"])
	assert.NotContains(t, out.DataWorks, "password")

	cat, err := datasource.Load(f.catPath)
	require.NoError(t, err)
	for name, text := range map[string]string{"dataworks": out.DataWorks, "datax": out.DataX} {
		j, err := job.Parse([]byte(text), job.Options{Registry: f.srv.cfg.Registry, DataSources: cat})
		require.NoError(t, err, name)
		assert.Equal(t, 3, j.Setting.Speed.Channel, name)
		assert.InDelta(t, 2.5*(1<<20), j.Setting.Speed.Byte, 1, name)
		assert.Equal(t, int64(10), *j.Setting.ErrorLimit.Record, name)
		assert.Equal(t, "mysqlreader", j.Tasks[0].ReaderName, name)
		assert.Equal(t, "postgresqlwriter", j.Tasks[0].WriterName, name)
		j.Close()
	}

	// Saving: inside the directory only, never over a file unless asked.
	saved := callJSON[map[string]string](f, "POST", "/api/save", saveRequest{Model: m, Path: "jobs/orders.json"}, http.StatusOK)
	data, err := os.ReadFile(filepath.Join(f.dir, "jobs", "orders.json"))
	require.NoError(t, err)
	assert.Equal(t, out.DataWorks, string(data))
	assert.Equal(t, "dataworks", saved["dialect"])
	callJSON[failure](f, "POST", "/api/save", saveRequest{Model: m, Path: "jobs/orders.json"}, http.StatusConflict)
	callJSON[map[string]string](f, "POST", "/api/save", saveRequest{Model: m, Path: "jobs/orders.json", Dialect: "datax", Overwrite: true}, http.StatusOK)
	data, err = os.ReadFile(filepath.Join(f.dir, "jobs", "orders.json"))
	require.NoError(t, err)
	assert.Equal(t, out.DataX, string(data))
	for _, path := range []string{"../escape.json", "/tmp/abs.json", "jobs/../../escape.json"} {
		e := callJSON[failure](f, "POST", "/api/save", saveRequest{Model: m, Path: path}, http.StatusBadRequest)
		assert.Equal(t, "save.path", e.Fields[0].Field, path)
	}
	require.NoError(t, os.Symlink(os.TempDir(), filepath.Join(f.dir, "link")))
	status, _ := f.call("POST", "/api/save", saveRequest{Model: m, Path: "link/escape-" + filepath.Base(f.dir) + ".json"})
	assert.NotEqual(t, http.StatusOK, status, "no way out through a symbolic link")
	_, err = os.Stat(filepath.Join(os.TempDir(), "escape-"+filepath.Base(f.dir)+".json"))
	assert.True(t, os.IsNotExist(err))
}

// waitRun polls a run until it ends.
func waitRun(t *testing.T, f *fixture, id string) runStatusReply {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		st := callJSON[runStatusReply](f, "GET", "/api/runs/"+id, nil, http.StatusOK)
		if st.State != "running" {
			return st
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("run %s did not end", id)
	return runStatusReply{}
}

func TestAPIRunsTheJobWithProgressReportAndDirtyRecords(t *testing.T) {
	f := newFixture(t)
	f.tables(50)
	// Row 7's customer is too long for the target: a dirty record.
	f.pgExec(`ALTER TABLE orders_copy ALTER COLUMN customer TYPE varchar(12)`)
	f.mysqlExec("UPDATE orders SET customer = 'a name far too long for twelve' WHERE id = 7")

	m := ordersModel(byName...)
	m.Channel = Channel{Concurrent: 2, DirtyLimit: 5, DirtyPath: "dirty.jsonl"}
	started := callJSON[map[string]string](f, "POST", "/api/runs", modelRequest{Model: m}, http.StatusAccepted)
	st := waitRun(t, f, started["id"])
	require.Equal(t, "succeeded", st.State, "%+v", st)
	require.NotNil(t, st.Report)
	assert.Equal(t, int64(50), st.Report.RecordsRead)
	assert.Equal(t, int64(49), st.Report.RecordsWritten)
	assert.Equal(t, int64(1), st.Report.RecordsDirty)
	assert.Equal(t, st.Report.SplitsPlanned, st.Report.SplitsDone)
	assert.Equal(t, int64(49), st.Progress.RecordsWritten, "the last progress snapshot")
	assert.True(t, st.Dirty)
	assert.Equal(t, 49, f.pgCount("orders_copy"))

	status, dirty := f.call("GET", "/api/runs/"+started["id"]+"/dirty", nil)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, string(dirty), "a name far too long for twelve")
	assert.Equal(t, 1, strings.Count(strings.TrimSpace(string(dirty)), "\n")+1)
	_, err := os.Stat(filepath.Join(f.dir, "dirty.jsonl"))
	require.NoError(t, err, "written in the UI's directory")

	// Past the limit: the run fails, and says why.
	m.Channel = Channel{Concurrent: 1}
	m.Write.Truncate = true
	started = callJSON[map[string]string](f, "POST", "/api/runs", modelRequest{Model: m}, http.StatusAccepted)
	st = waitRun(t, f, started["id"])
	assert.Equal(t, "failed", st.State)
	assert.Contains(t, st.Error, "dirty")
	assert.False(t, st.Dirty)
	callJSON[failure](f, "GET", "/api/runs/"+started["id"]+"/dirty", nil, http.StatusNotFound)
	callJSON[failure](f, "GET", "/api/runs/nope", nil, http.StatusNotFound)

	e := callJSON[failure](f, "POST", "/api/runs", modelRequest{Model: ordersModel()}, http.StatusBadRequest)
	assert.Equal(t, "mapping", e.Fields[0].Field)
}

func TestAPIRunsAQueryWhoseMappingFollowsItsColumns(t *testing.T) {
	f := newFixture(t)
	f.tables(10)
	m := ordersModel(Pair{"total", "amount"}, Pair{"who", "customer"}, Pair{"id", "id"}, Pair{"placed", "placed"})
	m.Source = Endpoint{DataSource: "shop", Query: "SELECT id, customer AS who, placed, amount * 2 AS total FROM orders WHERE id <= 5"}

	res := callJSON[checkResult](f, "POST", "/api/check", modelRequest{Model: m}, http.StatusOK)
	require.True(t, res.OK, "%+v", res)
	assert.Equal(t, []string{"id", "who", "placed", "total"}, []string{res.Pairs[0].From, res.Pairs[1].From, res.Pairs[2].From, res.Pairs[3].From},
		"in the query's order")
	out := callJSON[scripts](f, "POST", "/api/script", modelRequest{Model: m}, http.StatusOK)
	assert.Contains(t, out.DataWorks, `"querySql"`)

	started := callJSON[map[string]string](f, "POST", "/api/runs", modelRequest{Model: m}, http.StatusAccepted)
	st := waitRun(t, f, started["id"])
	require.Equal(t, "succeeded", st.State, "%+v", st)
	var customer, amount string
	require.NoError(t, f.pg.QueryRow(t.Context(), `SELECT customer, amount::text FROM orders_copy WHERE id = 3`).Scan(&customer, &amount))
	assert.Equal(t, "customer 3", customer)
	assert.Equal(t, "7.00", amount)
	assert.Equal(t, 5, f.pgCount("orders_copy"))

	m.Mapping = m.Mapping[:3] // placed left out
	res = callJSON[checkResult](f, "POST", "/api/check", modelRequest{Model: m}, http.StatusOK)
	require.False(t, res.OK)
	require.NotEmpty(t, res.Fields)
	assert.Equal(t, "mapping", res.Fields[0].Field)
	assert.Contains(t, res.Fields[0].Text, `column "placed" of the query is not mapped`)
}

func TestAPICancelsARun(t *testing.T) {
	f := newFixture(t)
	f.tables(300)
	m := ordersModel(byName...)
	m.Channel = Channel{Concurrent: 1, MBps: 0.001} // about 1 KiB/s: minutes for this table
	started := callJSON[map[string]string](f, "POST", "/api/runs", modelRequest{Model: m}, http.StatusAccepted)
	require.Eventually(t, func() bool {
		st := callJSON[runStatusReply](f, "GET", "/api/runs/"+started["id"], nil, http.StatusOK)
		return st.Progress.RecordsRead > 0
	}, 30*time.Second, 20*time.Millisecond, "progress is live")
	callJSON[runStatusReply](f, "POST", "/api/runs/"+started["id"]+"/cancel", map[string]any{}, http.StatusOK)
	st := waitRun(t, f, started["id"])
	assert.Equal(t, "cancelled", st.State)
	assert.Contains(t, st.Error, "rolled back")
	require.NotNil(t, st.Report)
	assert.Less(t, st.Report.RecordsWritten, int64(300))
}
