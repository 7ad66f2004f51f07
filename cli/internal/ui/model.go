package ui

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/job/datasource"
)

// Model is the job the codeless UI builds, as the browser sends it: a
// source table (or query), a target table, the field mapping and the
// channel settings. Script turns it into a DataWorks v2.0 script, which is
// what every check, preview and run parses: the UI has no path of its own
// to the connectors.
type Model struct {
	Source  Endpoint  `json:"source"`
	Target  Endpoint  `json:"target"`
	Mapping []Pair    `json:"mapping"`
	Channel Channel   `json:"channel"`
	Write   WriteMode `json:"write"`
}

// Endpoint is one side of the job: a data source of the catalog, and the
// table in it (in schema), or, for a source, a query.
type Endpoint struct {
	DataSource string `json:"datasource"`
	Schema     string `json:"schema"`
	Table      string `json:"table"`
	Query      string `json:"query"`   // source only: a SELECT read instead of Table
	Where      string `json:"where"`   // source only: a condition on Table's rows
	SplitPK    string `json:"splitPk"` // source only: the column to split Table by
}

// Pair maps one source column (From) to one target column (To).
type Pair struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Channel is the channel control: parallelism, the rate limit, and how many
// dirty records are tolerated and where they go.
type Channel struct {
	Concurrent int     `json:"concurrent"` // splits at a time; 0 for the default
	MBps       float64 `json:"mbps"`       // MiB/s for the whole job; 0 for no limit
	DirtyLimit int64   `json:"dirtyLimit"` // dirty records tolerated (0: none)
	DirtyPath  string  `json:"dirtyPath"`  // where tolerated dirty records go (JSON lines)
}

// WriteMode is how the target table is written.
type WriteMode struct {
	Mode     string   `json:"mode"`     // insert (default), replace/update (mysql), upsert (postgresql)
	Truncate bool     `json:"truncate"` // empty the table first
	PreSQL   []string `json:"preSql"`
	PostSQL  []string `json:"postSql"`
}

// Step names in the scripts the UI writes.
const (
	readerStep = "Reader"
	writerStep = "Writer"
)

// modelError is a mistake in the model, named by the field of the form it
// concerns, so that the page shows it there.
type modelError struct {
	Field string `json:"field"`
	Text  string `json:"error"`
}

func (e *modelError) Error() string { return e.Field + ": " + e.Text }

// validate checks the model's own consistency (before anything connects).
func (m *Model) validate(cat *datasource.Catalog) []*modelError {
	var errs []*modelError
	bad := func(field, format string, args ...any) {
		errs = append(errs, &modelError{Field: field, Text: fmt.Sprintf(format, args...)})
	}
	for _, side := range []struct {
		name string
		e    Endpoint
		ok   func(datasource.Type) bool
		what string
	}{{"source", m.Source, canRead, "reads MySQL and PostgreSQL tables and OSS objects"}, {"target", m.Target, canWrite, "writes MySQL and PostgreSQL tables"}} {
		if side.e.DataSource == "" {
			bad(side.name+".datasource", "choose a data source")
		} else if d, ok := cat.Lookup(side.e.DataSource); !ok {
			bad(side.name+".datasource", "no data source named %q in the catalog", side.e.DataSource)
		} else if !side.ok(d.Type) {
			bad(side.name+".datasource", "data source %q is %s: the codeless UI %s", d.Name, d.Type, side.what)
		}
	}
	if d, _ := cat.Lookup(m.Source.DataSource); d.Type == datasource.OSS && (m.Source.Query != "" || m.Source.Where != "" || m.Source.SplitPK != "") {
		bad("source.table", "an OSS object is read whole: choose an object, with no query or filter")
	}
	switch {
	case m.Source.Query != "" && m.Source.Table != "":
		bad("source.table", "give a table or a query, not both")
	case m.Source.Query == "" && m.Source.Table == "":
		bad("source.table", "choose a table, or write a query")
	case m.Source.Query != "" && (m.Source.Where != "" || m.Source.SplitPK != ""):
		bad("source.where", "a query is read as it is: put its condition in it")
	}
	if m.Target.Table == "" {
		bad("target.table", "choose the target table")
	}
	if len(m.Mapping) == 0 {
		bad("mapping", "map at least one field")
	}
	from, to := map[string]int{}, map[string]int{}
	for i, p := range m.Mapping {
		switch {
		case p.From == "" || p.To == "":
			bad(fmt.Sprintf("mapping[%d]", i), "a mapping needs a source field and a target field")
		case to[p.To] > 0:
			bad("mapping."+p.To, "target field %q receives two source fields", p.To)
		}
		from[p.From]++
		to[p.To]++
	}
	if m.Channel.Concurrent < 0 || m.Channel.Concurrent > 256 {
		bad("channel.concurrent", "parallelism must be between 1 and 256")
	}
	if m.Channel.MBps < 0 {
		bad("channel.mbps", "the rate limit cannot be negative")
	}
	if m.Channel.DirtyLimit < 0 {
		bad("channel.dirtyLimit", "the dirty records tolerated cannot be negative")
	}
	if m.Channel.DirtyLimit > 0 && m.Channel.DirtyPath == "" {
		bad("channel.dirtyPath", "say where tolerated dirty records go")
	}
	if m.Channel.DirtyLimit > 0 && m.Channel.DirtyPath != "" && (filepath.IsAbs(m.Channel.DirtyPath) || strings.HasPrefix(filepath.Clean(m.Channel.DirtyPath), "..")) {
		bad("channel.dirtyPath", "give a path inside the UI's directory")
	}
	switch m.Write.Mode {
	case "", "insert", "replace", "update", "upsert":
	default:
		bad("write.mode", "unknown write mode %q (insert, replace, update or upsert)", m.Write.Mode)
	}
	return errs
}

// plainIdent is a name that needs no quoting in either dialect.
var plainIdent = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// quoteName quotes a name for the engine of data source type t when it
// needs it: backticks for MySQL, double quotes for PostgreSQL (whose
// unquoted names fold to lower case).
func quoteName(t datasource.Type, name string) string {
	if plainIdent.MatchString(name) {
		return name
	}
	if t == datasource.PostgreSQL || t.Engine() == datasource.PostgreSQL {
		return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
	}
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// qualified is schema.table, quoted as needed; table alone when schema is
// "".
func qualified(t datasource.Type, schema, table string) string {
	if schema == "" {
		return quoteName(t, table)
	}
	return quoteName(t, schema) + "." + quoteName(t, table)
}

// engineOf is the type whose quoting a data source's names follow.
func engineOf(cat *datasource.Catalog, name string) datasource.Type {
	d, _ := cat.Lookup(name)
	if e := d.Engine(); e != "" {
		return e
	}
	return d.Type
}

// stepTypeOf is the DataWorks stepType of a data source: its type.
func stepTypeOf(cat *datasource.Catalog, name string) string {
	d, _ := cat.Lookup(name)
	return string(d.Type)
}

// script is a DataWorks v2.0 script, with its members in DataWorks' order.
type script struct {
	Type    string        `json:"type"`
	Version string        `json:"version"`
	Steps   []scriptStep  `json:"steps"`
	Setting scriptSetting `json:"setting"`
	Order   scriptOrder   `json:"order"`
}

type scriptStep struct {
	StepType  string         `json:"stepType"`
	Parameter map[string]any `json:"parameter"`
	Name      string         `json:"name"`
	Category  string         `json:"category"`
}

type scriptSetting struct {
	ErrorLimit map[string]any `json:"errorLimit"`
	Speed      map[string]any `json:"speed"`
	Dirty      *job.Dirty     `json:"dirty,omitempty"`
}

type scriptOrder struct {
	Hops []map[string]string `json:"hops"`
}

// canRead and canWrite say which data sources the UI reads and writes:
// tables of the MySQL and PostgreSQL families, and csv objects of OSS
// (read only).
func canRead(t datasource.Type) bool  { return t.Relational() || t == datasource.OSS }
func canWrite(t datasource.Type) bool { return t.Relational() }

// ossReader is the reader parameter of an OSS object: csv whose first line
// is a header naming its fields, read as text (the target parses it).
func ossReader(dataSource, object string, columns []string) map[string]any {
	p := map[string]any{"datasource": dataSource, "object": []string{object}, "fileFormat": "csv", "skipHeader": true,
		"encoding": "UTF-8"}
	cols := make([]map[string]string, len(columns))
	for i, c := range columns {
		cols[i] = map[string]string{"name": c, "type": "string"}
	}
	p["column"] = cols
	return p
}

// readerParameter is the reader step's parameter object.
func (m *Model) readerParameter(cat *datasource.Catalog) map[string]any {
	if d, _ := cat.Lookup(m.Source.DataSource); d.Type == datasource.OSS {
		from := make([]string, len(m.Mapping))
		for i, pr := range m.Mapping {
			from[i] = pr.From
		}
		return ossReader(m.Source.DataSource, m.Source.Table, from)
	}
	t := engineOf(cat, m.Source.DataSource)
	p := map[string]any{"datasource": m.Source.DataSource, "encoding": "UTF-8"}
	if m.Source.Query != "" {
		p["connection"] = []map[string]any{{"querySql": []string{m.Source.Query}}}
		return p
	}
	cols := make([]string, len(m.Mapping))
	for i, pr := range m.Mapping {
		cols[i] = quoteName(t, pr.From)
	}
	p["table"] = qualified(t, m.Source.Schema, m.Source.Table)
	p["column"] = cols
	p["where"] = m.Source.Where
	if m.Source.SplitPK != "" {
		p["splitPk"] = m.Source.SplitPK
	}
	return p
}

// writerParameter is the writer step's parameter object.
func (m *Model) writerParameter(cat *datasource.Catalog) map[string]any {
	t := engineOf(cat, m.Target.DataSource)
	cols := make([]string, len(m.Mapping))
	for i, pr := range m.Mapping {
		cols[i] = quoteName(t, pr.To)
	}
	p := map[string]any{
		"datasource": m.Target.DataSource,
		"table":      qualified(t, m.Target.Schema, m.Target.Table),
		"column":     cols,
		"writeMode":  m.Write.Mode,
		"preSql":     nonNil(m.Write.PreSQL),
		"postSql":    nonNil(m.Write.PostSQL),
	}
	if m.Write.Mode == "" {
		p["writeMode"] = "insert"
	}
	if m.Write.Truncate {
		p["truncate"] = true
	}
	return p
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Script returns the model as a DataWorks v2.0 code-editor script.
// dirtyDir, when not "", is prefixed to a relative dirty path (for runs,
// which write it in the UI's directory); scripts shown and saved keep the
// path as given.
func (m *Model) Script(cat *datasource.Catalog, dirtyDir string) ([]byte, error) {
	s := script{
		Type: "job", Version: "2.0",
		Steps: []scriptStep{
			{StepType: stepTypeOf(cat, m.Source.DataSource), Parameter: m.readerParameter(cat), Name: readerStep, Category: "reader"},
			{StepType: stepTypeOf(cat, m.Target.DataSource), Parameter: m.writerParameter(cat), Name: writerStep, Category: "writer"},
		},
		Setting: m.setting(dirtyDir),
		Order:   scriptOrder{Hops: []map[string]string{{"from": readerStep, "to": writerStep}}},
	}
	return json.MarshalIndent(s, "", "  ")
}

func (m *Model) setting(dirtyDir string) scriptSetting {
	c := m.Channel
	speed := map[string]any{"throttle": c.MBps > 0, "concurrent": max(c.Concurrent, 1)}
	if c.MBps > 0 {
		speed["mbps"] = strconv.FormatFloat(c.MBps, 'f', -1, 64)
	}
	s := scriptSetting{ErrorLimit: map[string]any{"record": strconv.FormatInt(c.DirtyLimit, 10)}, Speed: speed}
	if c.DirtyLimit > 0 && c.DirtyPath != "" {
		path := c.DirtyPath
		if dirtyDir != "" {
			path = filepath.Join(dirtyDir, path)
		}
		s.Dirty = &job.Dirty{Path: path}
	}
	return s
}

// dataxJob is a DataX job, with its members in DataX's order.
type dataxJob struct {
	Job struct {
		Setting map[string]any   `json:"setting"`
		Content []map[string]any `json:"content"`
	} `json:"job"`
}

// DataX returns the model as a DataX job: the plugins the script's
// stepTypes stand for in reg, the same parameters (naming the data sources,
// which datasync's DataX dialect accepts in a connection entry),
// speed.channel and speed.byte for concurrent and mbps.
func (m *Model) DataX(cat *datasource.Catalog, reg *job.Registry) ([]byte, error) {
	reader, _, ok := reg.StepType(stepTypeOf(cat, m.Source.DataSource))
	_, writer, ok2 := reg.StepType(stepTypeOf(cat, m.Target.DataSource))
	if !ok || !ok2 || reader == "" || writer == "" {
		return nil, fmt.Errorf("no DataX plugins are registered for %s -> %s", stepTypeOf(cat, m.Source.DataSource), stepTypeOf(cat, m.Target.DataSource))
	}
	rp := m.readerParameter(cat)
	if d, _ := cat.Lookup(m.Source.DataSource); d.Type == datasource.OSS {
		return m.dataxJob(reader, rp, writer, cat)
	}
	conn := map[string]any{"datasource": rp["datasource"]}
	delete(rp, "datasource")
	if q, ok := rp["connection"]; ok {
		conn["querySql"] = q.([]map[string]any)[0]["querySql"]
	} else {
		conn["table"] = []string{rp["table"].(string)}
		delete(rp, "table")
	}
	rp["connection"] = []map[string]any{conn}
	return m.dataxJob(reader, rp, writer, cat)
}

// dataxJob is the DataX job of a reader and the model's writer.
func (m *Model) dataxJob(reader string, rp map[string]any, writer string, cat *datasource.Catalog) ([]byte, error) {
	wp := m.writerParameter(cat)
	wp["connection"] = []map[string]any{{"datasource": wp["datasource"], "table": []string{wp["table"].(string)}}}
	delete(wp, "datasource")
	delete(wp, "table")

	var j dataxJob
	speed := map[string]any{"channel": max(m.Channel.Concurrent, 1)}
	if m.Channel.MBps > 0 {
		speed["byte"] = int64(m.Channel.MBps * (1 << 20))
	}
	j.Job.Setting = map[string]any{"speed": speed, "errorLimit": map[string]any{"record": m.Channel.DirtyLimit}}
	if m.Channel.DirtyLimit > 0 && m.Channel.DirtyPath != "" {
		j.Job.Setting["dirty"] = map[string]any{"path": m.Channel.DirtyPath}
	}
	j.Job.Content = []map[string]any{{
		"reader": map[string]any{"name": reader, "parameter": rp},
		"writer": map[string]any{"name": writer, "parameter": wp},
	}}
	return json.MarshalIndent(j, "", "  ")
}
