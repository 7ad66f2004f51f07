package datax

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/datasync-go/datasync/job"
)

// textFileFormats are the file formats of the text connectors; DataX's
// others (orc, parquet, rc, seq, excel) are refused before anything else
// about the step, since their settings (hadoopConfig, a column list by
// field type...) would only make noise.
var textFileFormats = []string{"csv", "text", "jsonl"}

// textCompressions are the compressions of the text connectors, reading
// and writing; DataX's others (zip, lzo, lzo_deflate, hadoop-snappy,
// framing-snappy, snappy) are refused.
var textCompressions = map[string][]string{
	"read":  {"none", "gzip", "bzip2", "zstd"},
	"write": {"none", "gzip", "zstd"},
}

// refuseTextFormat refuses a fileFormat or compress the text connectors do
// not have (role "read" or "write"), naming what they support.
func refuseTextFormat(role string) job.Refusal {
	return func(raw json.RawMessage) error {
		var p struct {
			FileFormat any `json:"fileFormat"`
			Compress   any `json:"compress"`
		}
		if len(bytes.TrimSpace(raw)) == 0 || json.Unmarshal(raw, &p) != nil {
			return nil // the decoder reports it
		}
		var errs []error
		if f, ok := p.FileFormat.(string); ok && f != "" && !slices.Contains(textFileFormats, strings.ToLower(f)) {
			errs = append(errs, &job.ParamError{Path: "fileFormat", Err: fmt.Errorf("%q is not supported: datasync %ss %s", f, role, strings.Join(textFileFormats, ", "))})
		}
		if c, ok := p.Compress.(string); ok && c != "" && !slices.Contains(textCompressions[role], strings.ToLower(c)) {
			errs = append(errs, &job.ParamError{Path: "compress", Err: fmt.Errorf("%q is not supported: datasync %ss %s", c, role, strings.Join(textCompressions[role], ", "))})
		}
		if len(errs) == 0 {
			return nil
		}
		return errors.Join(errs...)
	}
}
