package ui

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/job/datasource"
)

type modelRequest struct {
	Model Model `json:"model"`
}

// pairCheck is one mapped pair as the check saw it: both types, and the
// problems found with it.
type pairCheck struct {
	From       string   `json:"from"`
	To         string   `json:"to"`
	FromKind   string   `json:"fromKind,omitempty"`
	FromNative string   `json:"fromNative,omitempty"`
	ToNative   string   `json:"toNative,omitempty"`
	OK         bool     `json:"ok"`
	Errors     []string `json:"errors,omitempty"`
}

// checkResult is the check of a model: each pair's verdict, the problems
// placed beside the form's fields, and those that concern the job as a
// whole.
type checkResult struct {
	OK      bool          `json:"ok"`
	Pairs   []pairCheck   `json:"pairs"`
	Fields  []*modelError `json:"fields,omitempty"`
	General []string      `json:"general,omitempty"`
	Splits  int           `json:"splits,omitempty"`
}

// check validates the model, then runs the job's check (Pipeline.Check:
// the source's and the sink's checks against the live systems, moving no
// data) and places each problem beside the mapped pair or the field it
// names.
func (s *Server) check(w http.ResponseWriter, r *http.Request) {
	var in modelRequest
	if !decode(w, r, &in) {
		return
	}
	cat, ok := s.catalog(w)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), introspectTimeout)
	defer cancel()
	reply(w, http.StatusOK, s.checkModel(ctx, cat, &in.Model))
}

func (s *Server) checkModel(ctx context.Context, cat *datasource.Catalog, m *Model) *checkResult {
	res := &checkResult{Pairs: []pairCheck{}}
	if errs := m.validate(cat); len(errs) > 0 {
		res.Fields = errs
		return res
	}
	if errs := s.orderQueryMapping(ctx, cat, m); len(errs) > 0 {
		res.Fields = errs
		return res
	}
	for _, p := range m.Mapping {
		res.Pairs = append(res.Pairs, pairCheck{From: p.From, To: p.To, OK: true})
	}
	text, err := m.Script(cat, s.dir)
	if err != nil {
		res.General = append(res.General, err.Error())
		return res
	}
	j, err := s.parse(cat, text)
	if err != nil {
		s.place(res, err, nil)
		return res
	}
	defer j.Close()
	s.types(ctx, cat, m, j, res)
	pipelines, err := j.Pipelines()
	if err != nil {
		s.place(res, err, j)
		return res
	}
	p := pipelines[0]
	if err := p.Check(ctx); err != nil {
		s.place(res, err, j)
		return res
	}
	splits, err := p.Plan(ctx)
	if err != nil {
		s.place(res, err, j)
		return res
	}
	res.Splits = len(splits)
	res.OK = len(res.Fields) == 0 && len(res.General) == 0
	for _, pc := range res.Pairs {
		res.OK = res.OK && pc.OK
	}
	return res
}

// types fills each pair's source kind and native type (as the job's source
// reads them) and target type (as the target table has it). What cannot be
// read here the check reports.
func (s *Server) types(ctx context.Context, cat *datasource.Catalog, m *Model, j *job.Job, res *checkResult) {
	if schema, err := j.Tasks[0].Source.Schema(ctx); err == nil && m.Source.Query == "" && len(schema) == len(res.Pairs) {
		for i, c := range schema {
			res.Pairs[i].FromKind, res.Pairs[i].FromNative = c.Kind.String(), c.Native
		}
	} else if err == nil {
		for i := range res.Pairs {
			if k := schema.Index(res.Pairs[i].From); k >= 0 {
				res.Pairs[i].FromKind, res.Pairs[i].FromNative = schema[k].Kind.String(), schema[k].Native
			}
		}
	}
	in, tj, err := s.introspector(cat, m.Target.DataSource)
	if err != nil {
		return
	}
	defer tj.Close()
	cols, err := in.Columns(ctx, m.Target.Schema, m.Target.Table)
	if err != nil {
		return
	}
	for i := range res.Pairs {
		if k := datasync.Schema(cols).Index(res.Pairs[i].To); k >= 0 {
			res.Pairs[i].ToNative = cols[k].Native
		}
	}
}

var (
	// columnPath is a script's path to a reader's or writer's column.
	columnPath = regexp.MustCompile(`steps\[([01])\]\.parameter\.column\[(\d+)\]`)
	stepPath   = regexp.MustCompile(`steps\[([01])\]\.parameter\.(table|where|splitPk|datasource|writeMode)`)
	// quotedName is a name quoted in an error: "name", `name`.
	quotedName = regexp.MustCompile("\"((?:[^\"\\\\]|\\\\.)*)\"|`([^`]*)`")
)

// place puts each problem of err beside the pair or field it concerns:
// by the JSON path of a parse error, or by the column names quoted in a
// check's message (source and target name both, else the target's, else
// the source's); the rest concern the whole job.
func (s *Server) place(res *checkResult, err error, j *job.Job) {
	for _, e := range leaves(err) {
		msg := e.Error()
		if j != nil {
			msg = j.Redact(msg)
		}
		if m := columnPath.FindStringSubmatch(msg); m != nil {
			if i, _ := strconv.Atoi(m[2]); i < len(res.Pairs) {
				res.Pairs[i].OK = false
				res.Pairs[i].Errors = append(res.Pairs[i].Errors, msg)
				continue
			}
		}
		if m := stepPath.FindStringSubmatch(msg); m != nil {
			side := map[string]string{"0": "source.", "1": "target."}[m[1]]
			field := map[string]string{"datasource": "datasource", "table": "table", "where": "where", "splitPk": "splitPk", "writeMode": "write.mode"}[m[2]]
			if m[2] == "writeMode" {
				side = ""
			}
			res.Fields = append(res.Fields, &modelError{Field: side + field, Text: msg})
			continue
		}
		if i := pairNamed(res.Pairs, msg); i >= 0 {
			res.Pairs[i].OK = false
			res.Pairs[i].Errors = append(res.Pairs[i].Errors, msg)
			continue
		}
		res.General = append(res.General, msg)
	}
}

// pairNamed returns the pair whose columns msg names, or -1. Messages name
// the source column before the target one ("source column "a" cannot be
// written to column "b""), so a pair named in that order wins over one
// named the other way round.
func pairNamed(pairs []pairCheck, msg string) int {
	at := map[string]int{} // each quoted name's first position
	for i, m := range quotedName.FindAllStringSubmatch(msg, -1) {
		n := m[1] + m[2]
		if u, err := strconv.Unquote(`"` + n + `"`); err == nil {
			n = u
		}
		n = strings.Trim(n, "\"`")
		if _, seen := at[n]; !seen {
			at[n] = i
		}
	}
	best, bestScore := -1, 0
	for i, p := range pairs {
		from, hasFrom := at[p.From]
		to, hasTo := at[p.To]
		score := 0
		switch {
		case hasFrom && hasTo && (from < to || p.From == p.To):
			score = 4
		case hasFrom && hasTo:
			score = 3
		case hasTo:
			score = 2
		case hasFrom:
			score = 1
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	return best
}
