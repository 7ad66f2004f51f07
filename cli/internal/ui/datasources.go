package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/job/datasource"
)

// dataSourceInfo is what the browser learns of a data source: never a
// credential, nor where one comes from.
type dataSourceInfo struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Where       string `json:"where"`
	Description string `json:"description,omitempty"`
	Source      bool   `json:"source"` // the UI reads it: MySQL, PostgreSQL, OSS
	Target      bool   `json:"target"` // the UI writes it: MySQL, PostgreSQL
}

type dataSourceList struct {
	DataSources []dataSourceInfo `json:"datasources"`
	Types       []string         `json:"types"` // the types the add form offers
	Warnings    []string         `json:"warnings,omitempty"`
}

func (s *Server) catalog(w http.ResponseWriter) (*datasource.Catalog, bool) {
	cat, err := s.cfg.LoadCatalog()
	if err != nil {
		fail(w, http.StatusInternalServerError, "data source catalog: %v", err)
		return nil, false
	}
	return cat, true
}

func (s *Server) listDataSources(w http.ResponseWriter, r *http.Request) {
	cat, ok := s.catalog(w)
	if !ok {
		return
	}
	out := dataSourceList{DataSources: []dataSourceInfo{}}
	for _, d := range cat.All() {
		where := string(d.Type)
		if s.cfg.Where != nil {
			where = s.cfg.Where(d)
		}
		out.DataSources = append(out.DataSources, dataSourceInfo{Name: d.Name, Type: string(d.Type), Where: where,
			Description: d.Description, Source: canRead(d.Type), Target: canWrite(d.Type)})
	}
	for _, t := range datasource.Types() {
		if t.Relational() {
			out.Types = append(out.Types, string(t))
		}
	}
	out.Warnings = cat.Warnings()
	reply(w, http.StatusOK, out)
}

// newDataSource is the add form: settings, and credentials as references
// (an environment variable or a file), never as values.
type newDataSource struct {
	Name         string            `json:"name"`
	Type         string            `json:"type"`
	Description  string            `json:"description"`
	JdbcURL      string            `json:"jdbcUrl"`
	Host         string            `json:"host"`
	Port         int               `json:"port"`
	Database     string            `json:"database"`
	Properties   map[string]string `json:"properties"`
	Username     string            `json:"username"`
	PasswordEnv  string            `json:"passwordEnv"`
	PasswordFile string            `json:"passwordFile"`
}

func (s *Server) addDataSource(w http.ResponseWriter, r *http.Request) {
	var in newDataSource
	if !decode(w, r, &in) {
		return
	}
	d := datasource.DataSource{Name: strings.TrimSpace(in.Name), Type: datasource.Type(in.Type), Description: in.Description,
		JdbcURL: strings.TrimSpace(in.JdbcURL), Host: strings.TrimSpace(in.Host), Port: in.Port, Database: strings.TrimSpace(in.Database)}
	if len(in.Properties) > 0 {
		d.Properties = in.Properties
	}
	var fields []*modelError
	bad := func(field, text string) { fields = append(fields, &modelError{Field: field, Text: text}) }
	if !d.Type.Relational() {
		bad("type", fmt.Sprintf("the UI adds MySQL and PostgreSQL data sources (use 'datasync datasource add' for %q)", in.Type))
	}
	if strings.Contains(strings.ToLower(d.JdbcURL), "password=") || in.Properties["password"] != "" {
		bad("jdbcUrl", "no password in the URL: name the environment variable or the file that holds it")
	}
	if in.Username != "" {
		d.Username = datasource.Inline(in.Username) // a user name is no secret
	}
	switch {
	case in.PasswordEnv != "" && in.PasswordFile != "":
		bad("passwordEnv", "give the password's environment variable or its file, not both")
	case in.PasswordEnv != "":
		d.Password = datasource.Env(in.PasswordEnv)
	case in.PasswordFile != "":
		d.Password = datasource.File(in.PasswordFile)
	}
	if len(fields) > 0 {
		reply(w, http.StatusBadRequest, failure{Error: "the data source is not valid", Fields: fields})
		return
	}
	cat, ok := s.catalog(w)
	if !ok {
		return
	}
	if _, taken := cat.Lookup(d.Name); taken {
		reply(w, http.StatusBadRequest, failure{Error: "the data source is not valid",
			Fields: []*modelError{{Field: "name", Text: fmt.Sprintf("the catalog already has one named %q", d.Name)}}})
		return
	}
	if err := cat.Add(d); err != nil {
		reply(w, http.StatusBadRequest, failure{Error: err.Error(), Fields: dataSourceFields(err)})
		return
	}
	path, err := s.cfg.SaveCatalog(cat)
	if err != nil {
		fail(w, http.StatusInternalServerError, "save the catalog: %v", err)
		return
	}
	s.log.Info("data source added", "name", d.Name, "type", d.Type, "catalog", path)
	reply(w, http.StatusOK, map[string]string{"name": d.Name, "catalog": path})
}

// dataSourceFields places the catalog's "key: problem" errors beside the
// form's fields.
func dataSourceFields(err error) []*modelError {
	var out []*modelError
	for _, e := range leaves(err) {
		key, text, ok := strings.Cut(e.Error(), ": ")
		if ok && !strings.ContainsAny(key, " \"") {
			out = append(out, &modelError{Field: key, Text: text})
		}
	}
	return out
}

type testRequest struct {
	Name string `json:"name"`
}

type testResult struct {
	OK     bool   `json:"ok"`
	Report string `json:"report,omitempty"`
	Error  string `json:"error,omitempty"`
}

func (s *Server) testDataSource(w http.ResponseWriter, r *http.Request) {
	var in testRequest
	if !decode(w, r, &in) {
		return
	}
	if s.cfg.Probe == nil {
		fail(w, http.StatusNotImplemented, "this program cannot test data sources")
		return
	}
	cat, ok := s.catalog(w)
	if !ok {
		return
	}
	d, err := cat.Get(in.Name)
	if err != nil {
		fail(w, http.StatusNotFound, "%v", err)
		return
	}
	res, err := d.Resolve()
	if err != nil {
		reply(w, http.StatusOK, testResult{Error: err.Error()})
		return
	}
	redactor := &job.Redactor{}
	redactor.Add(res.Secrets()...)
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	defer cancel()
	report, err := s.cfg.Probe(ctx, res)
	if err != nil {
		reply(w, http.StatusOK, testResult{Error: redactor.Redact(err.Error())})
		return
	}
	reply(w, http.StatusOK, testResult{OK: true, Report: redactor.Redact(report.String())})
}

// leaves flattens joined and wrapped errors into the errors that join
// nothing more, the problems themselves: an error that wraps (at any
// depth) a joined one stands for the joined errors.
func leaves(err error) []error {
	if err == nil {
		return nil
	}
	for inner := err; inner != nil; inner = errors.Unwrap(inner) {
		if j, ok := inner.(interface{ Unwrap() []error }); ok {
			var out []error
			for _, e := range j.Unwrap() {
				out = append(out, leaves(e)...)
			}
			return out
		}
	}
	return []error{err}
}
