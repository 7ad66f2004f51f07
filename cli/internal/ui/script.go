package ui

import (
	"cmp"
	"context"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// scripts is the model converted: the DataWorks v2.0 script and the DataX
// job, both checked by parsing them as datasync will.
type scripts struct {
	DataWorks string `json:"dataworks"`
	DataX     string `json:"datax"`
}

// convert turns the model into both scripts, or says what is wrong.
func (s *Server) convert(w http.ResponseWriter, r *http.Request, m *Model) (*scripts, bool) {
	cat, ok := s.catalog(w)
	if !ok {
		return nil, false
	}
	if errs := m.validate(cat); len(errs) > 0 {
		reply(w, http.StatusBadRequest, failure{Error: "the job is not complete", Fields: errs})
		return nil, false
	}
	ctx, cancel := context.WithTimeout(r.Context(), introspectTimeout)
	errs := s.orderQueryMapping(ctx, cat, m)
	cancel()
	if len(errs) > 0 {
		reply(w, http.StatusBadRequest, failure{Error: "the mapping does not fit the query", Fields: errs})
		return nil, false
	}
	dw, err := m.Script(cat, "")
	if err != nil {
		fail(w, http.StatusBadRequest, "%v", err)
		return nil, false
	}
	dx, err := m.DataX(cat, s.cfg.Registry)
	if err != nil {
		fail(w, http.StatusBadRequest, "%v", err)
		return nil, false
	}
	for _, text := range [][]byte{dw, dx} {
		j, err := s.parse(cat, text)
		if err != nil {
			fail(w, http.StatusBadRequest, "the converted script does not parse: %v", err)
			return nil, false
		}
		j.Close()
	}
	return &scripts{DataWorks: string(dw) + "\n", DataX: string(dx) + "\n"}, true
}

// script converts the model to a script (one way: the page then stops
// editing the model).
func (s *Server) script(w http.ResponseWriter, r *http.Request) {
	var in modelRequest
	if !decode(w, r, &in) {
		return
	}
	if out, ok := s.convert(w, r, &in.Model); ok {
		reply(w, http.StatusOK, out)
	}
}

type saveRequest struct {
	Model     Model  `json:"model"`
	Dialect   string `json:"dialect"` // dataworks (default) or datax
	Path      string `json:"path"`
	Overwrite bool   `json:"overwrite"`
}

// save writes the converted script to a file inside the UI's directory.
func (s *Server) save(w http.ResponseWriter, r *http.Request) {
	var in saveRequest
	if !decode(w, r, &in) {
		return
	}
	path := filepath.Clean(strings.TrimSpace(in.Path))
	switch {
	case in.Path == "":
		reply(w, http.StatusBadRequest, failure{Error: "name the file", Fields: []*modelError{{Field: "save.path", Text: "name the file"}}})
		return
	case !filepath.IsLocal(path):
		reply(w, http.StatusBadRequest, failure{Error: "the file must be inside " + s.dir,
			Fields: []*modelError{{Field: "save.path", Text: "give a relative path inside the UI's directory"}}})
		return
	case in.Dialect != "" && in.Dialect != "dataworks" && in.Dialect != "datax":
		fail(w, http.StatusBadRequest, "unknown dialect %q (dataworks or datax)", in.Dialect)
		return
	}
	out, ok := s.convert(w, r, &in.Model)
	if !ok {
		return
	}
	text := out.DataWorks
	if in.Dialect == "datax" {
		text = out.DataX
	}
	s.saves.Lock()
	defer s.saves.Unlock()
	root, err := os.OpenRoot(s.dir)
	if err != nil {
		fail(w, http.StatusInternalServerError, "%v", err)
		return
	}
	defer root.Close()
	if dir := filepath.Dir(path); dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			fail(w, http.StatusInternalServerError, "%v", err)
			return
		}
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if in.Overwrite {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := root.OpenFile(path, flags, 0o644)
	if errors.Is(err, fs.ErrExist) {
		reply(w, http.StatusConflict, failure{Error: path + " exists", Fields: []*modelError{{Field: "save.path", Text: "the file exists: choose another name, or overwrite it"}}})
		return
	}
	if err != nil {
		fail(w, http.StatusBadRequest, "%v", err)
		return
	}
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fail(w, http.StatusInternalServerError, "write %s: %v", path, err)
		return
	}
	full, _ := filepath.Abs(filepath.Join(s.dir, path))
	s.log.Info("script saved", "path", full)
	reply(w, http.StatusOK, map[string]string{"path": full, "dialect": cmp.Or(in.Dialect, "dataworks")})
}
