package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/job/datasource"
)

// introspectTimeout bounds one listing or preview.
const introspectTimeout = 30 * time.Second

// parse parses a script with the catalog and the server's registry. Its
// errors are the job's (redacted, with JSON paths).
func (s *Server) parse(cat *datasource.Catalog, script []byte) (*job.Job, error) {
	return job.Parse(script, job.Options{Registry: s.cfg.Registry, DataSources: cat})
}

// readerOnly is a script that reads with the reader step's parameter and
// drops what it reads (a stream writer that prints nothing).
func readerOnly(stepType string, reader map[string]any) []byte {
	b, _ := json.Marshal(script{
		Type: "job", Version: "2.0",
		Steps: []scriptStep{
			{StepType: stepType, Parameter: reader, Name: readerStep, Category: "reader"},
			{StepType: "stream", Parameter: map[string]any{"print": false}, Name: writerStep, Category: "writer"},
		},
		Setting: scriptSetting{ErrorLimit: map[string]any{"record": "0"}, Speed: map[string]any{"concurrent": 1}},
		Order:   scriptOrder{Hops: []map[string]string{{"from": readerStep, "to": writerStep}}},
	})
	return b
}

// introspector opens the data source named as a source and returns it as
// a datasync.Introspector, with the job to close (and redact with).
func (s *Server) introspector(cat *datasource.Catalog, name string) (datasync.Introspector, *job.Job, error) {
	d, err := cat.Get(name)
	if err != nil {
		return nil, nil, err
	}
	var reader map[string]any
	switch {
	case d.Type.Relational():
		reader = map[string]any{"datasource": name, "connection": []map[string]any{{"querySql": []string{"SELECT 1"}}}}
	case d.Type == datasource.OSS:
		reader = ossReader(name, "*", nil) // every object of the bucket
		reader["column"] = []string{"*"}
	default:
		return nil, nil, fmt.Errorf("data source %q is %s: the UI lists the tables of MySQL and PostgreSQL data sources and the objects of OSS ones", name, d.Type)
	}
	j, err := s.parse(cat, readerOnly(string(d.Type), reader))
	if err != nil {
		return nil, nil, err
	}
	in, ok := j.Tasks[0].Source.(datasync.Introspector)
	if !ok {
		j.Close()
		return nil, nil, fmt.Errorf("the %s connector cannot list tables", d.Type)
	}
	return in, j, nil
}

type introspectRequest struct {
	DataSource string `json:"datasource"`
	Schema     string `json:"schema"`
	Table      string `json:"table"`
}

// column is a column as the browser shows it.
type column struct {
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Native   string `json:"native"`
	Nullable bool   `json:"nullable"`
	Key      int    `json:"key,omitempty"`
}

func columnsOf(schema datasync.Schema) []column {
	out := make([]column, len(schema))
	for i, c := range schema {
		out[i] = column{Name: c.Name, Kind: c.Kind.String(), Native: c.Native, Nullable: c.Nullable, Key: c.Key}
	}
	return out
}

// withIntrospector runs do with the request's data source open, and
// answers with its result or its (redacted) error.
func (s *Server) withIntrospector(w http.ResponseWriter, r *http.Request, do func(context.Context, datasync.Introspector, introspectRequest) (any, error)) {
	var in introspectRequest
	if !decode(w, r, &in) {
		return
	}
	cat, ok := s.catalog(w)
	if !ok {
		return
	}
	intro, j, err := s.introspector(cat, in.DataSource)
	if err != nil {
		fail(w, http.StatusBadRequest, "%v", err)
		return
	}
	defer j.Close()
	ctx, cancel := context.WithTimeout(r.Context(), introspectTimeout)
	defer cancel()
	out, err := do(ctx, intro, in)
	if err != nil {
		fail(w, http.StatusBadGateway, "%s", j.Redact(err.Error()))
		return
	}
	reply(w, http.StatusOK, out)
}

func (s *Server) schemas(w http.ResponseWriter, r *http.Request) {
	s.withIntrospector(w, r, func(ctx context.Context, in datasync.Introspector, _ introspectRequest) (any, error) {
		names, err := in.Schemas(ctx)
		if names == nil {
			names = []string{}
		}
		// The schema tables are listed in when none is chosen.
		current := ""
		if err == nil {
			if t, err := in.Tables(ctx, ""); err == nil && len(t) > 0 {
				current = t[0].Schema
			}
		}
		return map[string]any{"schemas": names, "current": current}, err
	})
}

func (s *Server) tables(w http.ResponseWriter, r *http.Request) {
	s.withIntrospector(w, r, func(ctx context.Context, in datasync.Introspector, req introspectRequest) (any, error) {
		tables, err := in.Tables(ctx, req.Schema)
		if tables == nil {
			tables = []datasync.TableInfo{}
		}
		return map[string]any{"tables": tables}, err
	})
}

func (s *Server) columns(w http.ResponseWriter, r *http.Request) {
	s.withIntrospector(w, r, func(ctx context.Context, in datasync.Introspector, req introspectRequest) (any, error) {
		cols, err := in.Columns(ctx, req.Schema, req.Table)
		return map[string]any{"columns": columnsOf(cols)}, err
	})
}

// previewRows is how many rows a preview shows.
const previewRows = 20

type previewRequest struct {
	Source Endpoint `json:"source"`
}

type previewResult struct {
	Columns []column            `json:"columns"`
	Rows    [][]json.RawMessage `json:"rows"`
}

// preview reads the first rows of the source table (every column) or
// query: the plan's first split, one batch.
func (s *Server) preview(w http.ResponseWriter, r *http.Request) {
	var in previewRequest
	if !decode(w, r, &in) {
		return
	}
	cat, ok := s.catalog(w)
	if !ok {
		return
	}
	m := Model{Source: in.Source}
	if _, ok := cat.Lookup(m.Source.DataSource); !ok || (m.Source.Table == "") == (m.Source.Query == "") {
		fail(w, http.StatusBadRequest, "choose a source data source and a table (or write a query)")
		return
	}
	reader := m.readerParameter(cat)
	if m.Source.Query == "" {
		reader["column"] = []string{"*"}
	}
	j, err := s.parse(cat, readerOnly(stepTypeOf(cat, m.Source.DataSource), reader))
	if err != nil {
		reply(w, http.StatusBadRequest, failure{Error: err.Error()})
		return
	}
	defer j.Close()
	ctx, cancel := context.WithTimeout(r.Context(), introspectTimeout)
	defer cancel()
	out, err := firstRows(ctx, j.Tasks[0].Source, previewRows)
	if err != nil {
		fail(w, http.StatusBadGateway, "%s", j.Redact(err.Error()))
		return
	}
	reply(w, http.StatusOK, out)
}

// firstRows reads up to n records from src's first non-empty splits.
func firstRows(ctx context.Context, src datasync.Source, n int) (*previewResult, error) {
	schema, err := src.Schema(ctx)
	if err != nil {
		return nil, err
	}
	out := &previewResult{Columns: columnsOf(schema), Rows: [][]json.RawMessage{}}
	splits, err := src.Plan(ctx, datasync.PlanHint{Parallelism: 1})
	if err != nil {
		return nil, err
	}
	b := datasync.NewBatch(schema, 256, 4<<20)
	for _, sp := range splits {
		rd, err := src.Open(ctx, sp, nil)
		if err != nil {
			return nil, err
		}
		for len(out.Rows) < n {
			b.Reset()
			err := rd.Read(ctx, b)
			for i := 0; i < b.Len() && len(out.Rows) < n; i++ {
				row := make([]json.RawMessage, len(schema))
				for k, v := range b.Row(i) {
					row[k], _ = v.MarshalJSON()
				}
				out.Rows = append(out.Rows, row)
			}
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				rd.Close()
				return nil, err
			}
		}
		rd.Close()
		if len(out.Rows) >= n {
			break
		}
	}
	return out, nil
}
