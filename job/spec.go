package job

import "encoding/json"

// file is the outer shape of a job file.
type file struct {
	Job spec `json:"job" datasync:"required"`
	// Setting beside "job" is ignored by DataX; it is accepted with a
	// warning.
	Setting json.RawMessage `json:"setting"`
	// Core, Common and Entry are DataX's engine settings (core.json's),
	// which a DataX job file may override; they are accepted with a
	// warning.
	Core   json.RawMessage `json:"core"`
	Common json.RawMessage `json:"common"`
	Entry  json.RawMessage `json:"entry"`
}

type spec struct {
	Setting Setting   `json:"setting"`
	Content []content `json:"content" datasync:"required"`
}

type content struct {
	Reader plugin `json:"reader" datasync:"required"`
	Writer plugin `json:"writer" datasync:"required"`
}

// plugin names a connector and carries its parameters, decoded later by the
// connector's own factory.
type plugin struct {
	Name      string          `json:"name" datasync:"required"`
	Parameter json.RawMessage `json:"parameter"`
}

// Setting is job.setting.
type Setting struct {
	Speed      Speed      `json:"speed"`
	ErrorLimit ErrorLimit `json:"errorLimit"`
	Dirty      *Dirty     `json:"dirty"`
	Retry      *Retry     `json:"retry"`
	Batch      *Batch     `json:"batch"`
	Flush      *Flush     `json:"flush"`
	// StallTimeout is how long a split may move nothing before it fails and
	// is retried, a Go duration such as "2m"; "0" disables the watchdog and
	// "" keeps the default (see datasync.WithStallTimeout).
	StallTimeout string `json:"stallTimeout"`
}

// Speed is job.setting.speed: the parallelism and the job-wide limits.
type Speed struct {
	Channel int     `json:"channel"` // splits at a time (default datasync.DefaultParallelism; 1 in a DataX job, as DataX)
	Byte    float64 `json:"byte"`    // bytes per second for the whole job, 0 (or negative, as DataX's -1) for no limit
	Record  float64 `json:"record"`  // records per second for the whole job, 0 (or negative) for no limit
}

// ErrorLimit is job.setting.errorLimit: the dirty-data policy. Absent, no
// dirty record is tolerated.
type ErrorLimit struct {
	Record     *int64   `json:"record"`     // dirty records allowed
	Percentage *float64 `json:"percentage"` // largest dirty fraction allowed (0.01 is 1%)
}

// Dirty says where dirty records go: a JSON-lines file, or any writer.
type Dirty struct {
	Path   string  `json:"path"`
	Writer *plugin `json:"writer"`
}

// Retry is job.setting.retry.
type Retry struct {
	Attempts *int   `json:"attempts"`
	Backoff  string `json:"backoff"` // a Go duration, such as "500ms"
}

// Batch is job.setting.batch.
type Batch struct {
	Rows  int `json:"rows"`
	Bytes int `json:"bytes"`
}
