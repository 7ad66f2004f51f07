package job

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/datasync-go/datasync/internal/strictjson"
)

// Dialect is the shape of a job file.
type Dialect string

// The dialects Parse reads.
const (
	// DataX is DataX's job file: {"job": {"setting": ..., "content": [...]}}.
	DataX Dialect = "datax"
	// DataWorks is DataWorks' code-editor script, version 2.0:
	// {"type": "job", "version": "2.0", "steps": [...], "setting": ..., "order": ...}.
	DataWorks Dialect = "dataworks"
)

// script is the shape of a DataWorks code-editor script.
type script struct {
	Type    string    `json:"type" datasync:"required"`
	Version string    `json:"version"`
	Steps   []step    `json:"steps" datasync:"required"`
	Setting dwSetting `json:"setting"`
	Order   *order    `json:"order"`
}

// step is a reader or a writer of a script; its parameter is decoded by
// the connector its stepType stands for.
type step struct {
	StepType  string          `json:"stepType" datasync:"required"`
	Category  string          `json:"category" datasync:"required"`
	Name      string          `json:"name" datasync:"required"`
	Parameter json.RawMessage `json:"parameter"`
}

type order struct {
	Hops []hop `json:"hops" datasync:"required"`
}

// hop sends a reader step's records to a writer step.
type hop struct {
	From string `json:"from" datasync:"required"`
	To   string `json:"to" datasync:"required"`
}

// dwSetting is a script's setting: DataWorks' errorLimit and speed, and
// datasync's own dirty, retry and batch (as in a DataX job).
type dwSetting struct {
	ErrorLimit ErrorLimit `json:"errorLimit"`
	Speed      dwSpeed    `json:"speed"`
	Dirty      *Dirty     `json:"dirty"`
	Retry      *Retry     `json:"retry"`
	Batch      *Batch     `json:"batch"`
}

// dwSpeed is DataWorks' setting.speed. Numbers may be written as strings
// ("mbps": "12"), as DataWorks writes them.
type dwSpeed struct {
	Throttle   bool     `json:"throttle"`   // whether mbps limits the job
	Concurrent int      `json:"concurrent"` // the parallelism
	Mbps       *float64 `json:"mbps"`       // MB/s (MiB/s) for the whole job, when throttle is true
	DMU        int      `json:"dmu"`        // DataWorks' resource units: no effect here
}

// mebibyte is DataWorks' MB of "mbps", as DataX's byte limits count it.
const mebibyte = 1 << 20

// isDataWorks reports whether a job file is a DataWorks script: an object
// with "steps", or with "type" and no "job".
func isDataWorks(text []byte) bool {
	var top map[string]json.RawMessage
	if json.Unmarshal(bytes.TrimSpace(text), &top) != nil {
		return false
	}
	_, steps := top["steps"]
	_, typ := top["type"]
	_, dataX := top["job"]
	return steps || (typ && !dataX)
}

// parseDataWorks reads a DataWorks script: it checks the steps and hops,
// translates the settings, and builds every step's connector, reporting
// every problem with its JSON path in the script.
func parseDataWorks(text []byte, o Options) (*Job, error) {
	var s script
	var problems []error
	if err := strictjson.Decode(text, &s, ""); err != nil {
		problems = unjoin(err)
	}
	j := o.newJob()
	j.Dialect = DataWorks
	if s.Type != "" && s.Type != "job" {
		problems = append(problems, fmt.Errorf(`type: %q is not "job"`, s.Type))
	}
	if s.Version != "" && s.Version != "2.0" {
		problems = append(problems, fmt.Errorf(`version: %q is not supported; datasync reads version "2.0" scripts`, s.Version))
	}
	var errs []error
	j.Setting, errs = s.Setting.translate()
	problems = append(problems, errs...)

	steps, errs := j.checkSteps(s.Steps)
	problems = append(problems, errs...)
	hops, errs := checkHops(s.Order, s.Steps, steps)
	problems = append(problems, errs...)

	// Build each step used, once, then a task per hop.
	sources := map[int]*Task{}
	for i, st := range steps {
		if !st.used || st.plugin == "" {
			continue
		}
		p := plugin{Name: st.plugin, Parameter: s.Steps[i].Parameter}
		path := fmt.Sprintf("steps[%d]", i)
		built := &Task{}
		if st.reader {
			built.Source, errs = j.buildSource(p, path)
		} else {
			var readers []json.RawMessage // of the steps that hop into this one
			for _, h := range hops {
				if h.to == i {
					readers = append(readers, s.Steps[h.from].Parameter)
				}
			}
			p.Parameter = defaultProgressJob(p.Parameter, readers...)
			built.Sink, errs = j.buildSink(p, path)
		}
		problems = append(problems, errs...)
		sources[i] = built
	}
	for k, h := range hops {
		from, to := s.Steps[h.from], s.Steps[h.to]
		j.Tasks = append(j.Tasks, &Task{
			Index: k, Path: fmt.Sprintf("order.hops[%d]", k),
			ReaderName: steps[h.from].plugin, WriterName: steps[h.to].plugin,
			ReaderStep: from.Name, WriterStep: to.Name,
			Source: taskPart(sources, h.from).Source, Sink: taskPart(sources, h.to).Sink,
		})
	}
	return j.finish("setting", problems)
}

func taskPart(built map[int]*Task, i int) *Task {
	if t, ok := built[i]; ok {
		return t
	}
	return &Task{}
}

// translate checks DataWorks' settings and returns them as a DataX job's:
// concurrent is the channel count; mbps, when throttle is true, the byte
// limit (throttle false means no limit, whatever mbps says); dmu has no
// effect.
func (s dwSetting) translate() (Setting, []error) {
	out := Setting{ErrorLimit: s.ErrorLimit, Dirty: s.Dirty, Retry: s.Retry, Batch: s.Batch}
	var errs []error
	sp := s.Speed
	switch {
	case sp.Concurrent < 0:
		errs = append(errs, fmt.Errorf("setting.speed.concurrent: %d is negative", sp.Concurrent))
	default:
		out.Speed.Channel = sp.Concurrent
	}
	if sp.DMU < 0 {
		errs = append(errs, fmt.Errorf("setting.speed.dmu: %d is negative", sp.DMU))
	}
	if sp.Throttle {
		switch {
		case sp.Mbps == nil:
			errs = append(errs, errors.New("setting.speed.mbps: missing: throttle is true, so give the limit in MB/s (or set throttle to false)"))
		case *sp.Mbps <= 0 || math.IsInf(*sp.Mbps, 0) || math.IsNaN(*sp.Mbps):
			errs = append(errs, fmt.Errorf("setting.speed.mbps: %v is not a positive number of MB/s", *sp.Mbps))
		default:
			out.Speed.Byte = *sp.Mbps * mebibyte
		}
	}
	return out, append(errs, out.check("setting")...)
}

// stepInfo is what the checks found out about a step.
type stepInfo struct {
	reader bool   // category reader (else writer)
	plugin string // the connector's registered name, "" when unknown
	used   bool   // in a valid hop
}

// checkSteps checks each step's category, stepType and name, and finds its
// connector.
func (j *Job) checkSteps(steps []step) ([]stepInfo, []error) {
	var errs []error
	out := make([]stepInfo, len(steps))
	names := map[string]int{}
	for i, st := range steps {
		path := fmt.Sprintf("steps[%d]", i)
		if first, dup := names[st.Name]; dup && st.Name != "" {
			errs = append(errs, fmt.Errorf("%s.name: %q is already the name of steps[%d]", path, st.Name, first))
		} else {
			names[st.Name] = i
		}
		switch st.Category {
		case "reader":
			out[i].reader = true
		case "writer":
		case "":
			continue // reported as missing
		default:
			errs = append(errs, fmt.Errorf(`%s.category: %q is not "reader" or "writer"`, path, st.Category))
			continue
		}
		if st.StepType == "" {
			continue
		}
		readerName, writerName, ok := j.registry.StepType(st.StepType)
		if !ok {
			msg := fmt.Sprintf("%s.stepType: no stepType %q", path, st.StepType)
			known := j.registry.StepTypes()
			if s := strictjson.Suggest(st.StepType, known); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			} else {
				msg += "; known: " + strings.Join(known, ", ")
			}
			errs = append(errs, errors.New(msg))
			continue
		}
		name := writerName
		if out[i].reader {
			name = readerName
		}
		if name == "" {
			errs = append(errs, fmt.Errorf("%s.stepType: %q has no %s", path, st.StepType, st.Category))
			continue
		}
		if c, ok := j.registry.Lookup(name); !ok || (out[i].reader && c.Source == nil) || (!out[i].reader && c.Sink == nil) {
			errs = append(errs, fmt.Errorf("%s.stepType: %q stands for the %s %q, which is not registered", path, st.StepType, st.Category, name))
			continue
		}
		out[i].plugin = name
	}
	return out, errs
}

// link is a valid hop, by step index.
type link struct{ from, to int }

// checkHops checks that every hop goes from a reader step to a writer step
// of the script, that a writer has one reader, and that every step is in a
// hop. A script of one reader and one writer may leave order out.
func checkHops(o *order, steps []step, info []stepInfo) ([]link, []error) {
	if o == nil {
		if len(steps) == 2 && info[0].reader != info[1].reader && steps[0].Category != "" && steps[1].Category != "" {
			from, to := 0, 1
			if !info[0].reader {
				from, to = 1, 0
			}
			info[from].used, info[to].used = true, true
			return []link{{from, to}}, nil
		}
		if len(steps) == 0 {
			return nil, nil
		}
		return nil, []error{errors.New(`order: missing: give order.hops, such as [{"from": "Reader", "to": "Writer"}]`)}
	}
	index := map[string]int{}
	var names []string
	for i, st := range steps {
		if _, dup := index[st.Name]; !dup {
			index[st.Name] = i
			names = append(names, st.Name)
		}
	}
	find := func(name, path string) (int, error) {
		if name == "" {
			return -1, nil // reported as missing
		}
		i, ok := index[name]
		if ok {
			return i, nil
		}
		msg := fmt.Sprintf("%s: no step named %q", path, name)
		if s := strictjson.Suggest(name, names); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		} else {
			msg += "; the steps are " + strings.Join(quoteAll(names), ", ")
		}
		return -1, errors.New(msg)
	}
	var links []link
	var errs []error
	writerHop := map[int]int{}
	named := map[string]bool{} // by any hop, valid or not
	for k, h := range o.Hops {
		path := fmt.Sprintf("order.hops[%d]", k)
		named[h.From], named[h.To] = true, true
		from, err1 := find(h.From, path+".from")
		to, err2 := find(h.To, path+".to")
		for _, err := range []error{err1, err2} {
			if err != nil {
				errs = append(errs, err)
			}
		}
		if from < 0 || to < 0 {
			continue
		}
		switch {
		case from == to:
			errs = append(errs, fmt.Errorf("%s: step %q goes to itself", path, h.From))
			continue
		case !info[from].reader && steps[from].Category != "":
			errs = append(errs, fmt.Errorf("%s.from: %q is a writer; a hop goes from a reader to a writer", path, h.From))
			continue
		case info[to].reader:
			errs = append(errs, fmt.Errorf("%s.to: %q is a reader; a hop goes from a reader to a writer", path, h.To))
			continue
		}
		if prev, dup := writerHop[to]; dup {
			errs = append(errs, fmt.Errorf("%s.to: writer %q already takes order.hops[%d]; a writer takes one reader", path, h.To, prev))
			continue
		}
		writerHop[to] = k
		info[from].used, info[to].used = true, true
		links = append(links, link{from, to})
	}
	for i, st := range steps {
		if !info[i].used && info[i].plugin != "" && !named[st.Name] { // a step at fault is reported once
			errs = append(errs, fmt.Errorf("steps[%d]: step %q is in no hop of order.hops", i, st.Name))
		}
	}
	return links, errs
}

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fmt.Sprintf("%q", n)
	}
	return out
}
