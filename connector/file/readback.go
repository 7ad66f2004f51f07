package file

import (
	"context"
	"path/filepath"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/text"
)

// ReadBack returns a Source reading the files the sink writes, for records
// of schema: the single file, or every <FileName>_*<Suffix> in Path, in
// the sink's format, each field read as the kind of schema's column (with
// the sink's date and time formats), after a header when the sink writes
// one. Package verify compares it with the job's source.
func (s *Sink) ReadBack(_ context.Context, schema datasync.Schema) (datasync.Source, error) {
	pattern := filepath.Join(s.cfg.Path, s.cfg.FileName+"_*"+s.suffix)
	if s.cfg.SingleFile {
		pattern = filepath.Join(s.cfg.Path, s.cfg.FileName)
	}
	jsonl := s.cfg.FileFormat == text.FormatJSONL
	cols := make([]text.ColumnSpec, len(schema))
	for i, c := range schema {
		kind := c.Kind
		if kind == datasync.KindNull {
			kind = datasync.KindString
		}
		if jsonl {
			name := c.Name
			if i < len(s.cfg.Header) {
				name = s.cfg.Header[i]
			}
			cols[i] = text.ColumnNamed(name, kind)
		} else {
			cols[i] = text.ColumnAt(i, kind)
		}
		switch kind {
		case datasync.KindDate:
			cols[i].Format = s.cfg.DateFormat
		case datasync.KindTimestamp:
			cols[i].Format = s.cfg.TimestampFormat
		case datasync.KindTime:
			cols[i].Format = s.cfg.TimeFormat
		}
	}
	return NewSource(SourceConfig{Path: []string{pattern}, ReadOptions: text.ReadOptions{
		Format:     s.cfg.Format,
		Column:     cols,
		SkipHeader: !jsonl && (s.cfg.WriteHeader || len(s.cfg.Header) > 0),
	}})
}
