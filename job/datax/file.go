package datax

import (
	"fmt"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/file"
	"github.com/datasync-go/datasync/connector/text"
	"github.com/datasync-go/datasync/job"
)

// fileReaderParams is txtfilereader's parameter object: DataX's, with
// datasync's own settings beside it.
type fileReaderParams struct {
	Path []string `json:"path"`
	textReadParams
}

// fileWriterParams is txtfilewriter's parameter object: DataX's, with
// datasync's own settings (singleFile, maxFileBytes, suffix, ...) beside it.
type fileWriterParams struct {
	Path      string `json:"path"`
	FileName  string `json:"fileName"`
	WriteMode string `json:"writeMode"`
	// MaxFileSize is DataX's roll size in MiB; MaxFileBytes, datasync's,
	// gives it in bytes and wins when set.
	MaxFileSize  int64  `json:"maxFileSize"`
	MaxFileBytes int64  `json:"maxFileBytes"`
	SingleFile   bool   `json:"singleFile"`
	Suffix       string `json:"suffix"`
	textWriteParams
}

// registerFile registers DataX's "txtfilereader" and "txtfilewriter".
func registerFile(r *job.Registry) {
	r.Register("txtfilereader", job.Connector{Source: job.SourceFunc(newFileSource).Accepting(acceptedFor("txtfilereader", textReaderAccepted)...).Refusing(refuseTextFormat("read"))})
	r.Register("txtfilewriter", job.Connector{Sink: job.SinkFunc(newFileSink).Accepting(acceptedFor("txtfilewriter", textWriterAccepted)...).Refusing(refuseTextFormat("write"))})
}

func newFileSource(p *fileReaderParams) (datasync.Source, error) {
	opts, err := p.textReadParams.native()
	if err != nil {
		return nil, err
	}
	return file.NewSource(file.SourceConfig{Path: p.Path, ReadOptions: opts})
}

func newFileSink(p *fileWriterParams) (datasync.Sink, error) {
	size, err := rollBytes(p.MaxFileSize, p.MaxFileBytes)
	if err != nil {
		return nil, err
	}
	opts, err := p.textWriteParams.native()
	if err != nil {
		return nil, err
	}
	naming, suffix := file.NameRandom, p.Suffix
	if p.SingleFile {
		naming = ""
	}
	if suffix == "" {
		suffix = "none" // DataX's names have no extension
	}
	return file.NewSink(file.SinkConfig{
		Path:         p.Path,
		FileName:     p.FileName,
		WriteMode:    text.WriteMode(p.WriteMode),
		SingleFile:   p.SingleFile,
		MaxFileBytes: size,
		Suffix:       suffix,
		Naming:       naming,
		WriteOptions: opts,
	})
}

// rollBytes returns the roll size in bytes: maxFileBytes when set, else
// DataX's maxFileSize in MiB.
func rollBytes(mib, bytes int64) (int64, error) {
	if bytes != 0 {
		if bytes < 0 {
			return 0, &job.ParamError{Path: "maxFileBytes", Err: fmt.Errorf("%d is negative", bytes)}
		}
		return bytes, nil
	}
	return maxFileBytes(mib)
}
