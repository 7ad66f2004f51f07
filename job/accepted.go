package job

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/datasync-go/datasync/internal/strictjson"
)

// Warning is something a job file asks for that runs, but not as the file
// may expect: a setting accepted for compatibility that has no effect
// here. Path is its JSON path in the file, such as
// "job.content[0].writer.parameter.encoding".
type Warning struct {
	Path    string
	Message string
}

func (w Warning) String() string { return w.Path + ": " + w.Message }

// Accepted is a setting a connector accepts without decoding it, because
// the plugin it stands for accepts it (DataX's streamwriter takes
// "encoding") but it has no meaning here. A job file that gives it runs,
// with a Warning naming it and saying why it has no effect. Path is
// relative to the "parameter" object: "encoding", "connection[].checkSlave"
// ("[]" stands for every element of a list).
type Accepted struct {
	Path   string
	Reason string
}

// Refusal checks a connector's raw "parameter" object before it is
// decoded, for what the connector cannot do at all (a file format it does
// not read, say). An error it returns is the only problem reported for
// the step: the settings' other errors would be beside the point.
type Refusal func(raw json.RawMessage) error

// Accepting returns f accepting the settings listed (see Accepted).
func (f *SourceFactory) Accepting(settings ...Accepted) *SourceFactory {
	g := *f
	g.accepted = append(slices.Clip(f.accepted), settings...)
	return &g
}

// Refusing returns f with a check run before decoding (see Refusal).
func (f *SourceFactory) Refusing(r Refusal) *SourceFactory {
	g := *f
	g.refuse = r
	return &g
}

// AcceptedSettings returns the settings f accepts and ignores.
func (f *SourceFactory) AcceptedSettings() []Accepted { return slices.Clone(f.accepted) }

// Accepting returns f accepting the settings listed (see Accepted).
func (f *SinkFactory) Accepting(settings ...Accepted) *SinkFactory {
	g := *f
	g.accepted = append(slices.Clip(f.accepted), settings...)
	return &g
}

// Refusing returns f with a check run before decoding (see Refusal).
func (f *SinkFactory) Refusing(r Refusal) *SinkFactory {
	g := *f
	g.refuse = r
	return &g
}

// AcceptedSettings returns the settings f accepts and ignores.
func (f *SinkFactory) AcceptedSettings() []Accepted { return slices.Clone(f.accepted) }

// dropAccepted removes the accepted settings from raw and returns what is
// left, with a warning for each one given; path is the JSON path of raw.
// raw that is not an object is returned as it is, for the decoder to
// report.
func dropAccepted(raw json.RawMessage, accepted []Accepted, path string) (json.RawMessage, []Warning) {
	if len(accepted) == 0 || len(bytes.TrimSpace(raw)) == 0 {
		return raw, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var tree any
	if dec.Decode(&tree) != nil {
		return raw, nil
	}
	if _, ok := tree.(map[string]any); !ok {
		return raw, nil
	}
	var warnings []Warning
	for _, a := range accepted {
		dropPath(tree, strings.Split(a.Path, "."), path, func(at string) {
			warnings = append(warnings, Warning{Path: at, Message: "accepted, and has no effect: " + a.Reason})
		})
	}
	if len(warnings) == 0 {
		return raw, nil
	}
	slices.SortFunc(warnings, func(a, b Warning) int { return strings.Compare(a.Path, b.Path) })
	out, err := json.Marshal(tree)
	if err != nil {
		return raw, nil
	}
	return out, warnings
}

// dropPath deletes the key that segs lead to in v, calling found with the
// JSON path of each one deleted. A segment ending in "[]" goes into every
// element of a list (or into the value itself when it is not a list: DataX
// lets one value stand for a list of one).
func dropPath(v any, segs []string, at string, found func(string)) {
	obj, ok := v.(map[string]any)
	if !ok || len(segs) == 0 {
		return
	}
	key, each := strings.CutSuffix(segs[0], "[]")
	child, present := obj[key]
	if !present {
		return
	}
	here := at + "." + key
	if len(segs) == 1 && !each {
		delete(obj, key)
		found(here)
		return
	}
	if !each {
		dropPath(child, segs[1:], here, found)
		return
	}
	list, isList := child.([]any)
	if !isList {
		dropPath(child, segs[1:], here, found)
		return
	}
	for i, e := range list {
		dropPath(e, segs[1:], here+"["+strconv.Itoa(i)+"]", found)
	}
}

// topLevelSetting is the warning for a "setting" object beside "job": DataX
// reads only job.setting and ignores it.
func topLevelSetting(raw json.RawMessage) []Warning {
	if len(raw) == 0 {
		return nil
	}
	return []Warning{{Path: "setting", Message: fmt.Sprintf("accepted, and has no effect: DataX reads only job.setting and ignores a %q beside \"job\"; move what it holds into job.setting", "setting")}}
}

// indexRE matches a list index in a JSON path.
var indexRE = regexp.MustCompile(`\[\d+\]`)

// suggestAccepted adds a suggestion to the decoder's "unknown setting"
// errors that have none, from the accepted settings at the same place
// ("encodng" is close to streamwriter's accepted "encoding").
func suggestAccepted(err error, accepted []Accepted) error {
	if err == nil || len(accepted) == 0 {
		return err
	}
	var out []error
	for _, e := range unjoin(err) {
		var pe *ParamError
		if !errors.As(e, &pe) {
			out = append(out, e)
			continue
		}
		parent, key := "", pe.Path
		if i := strings.LastIndexByte(pe.Path, '.'); i >= 0 {
			parent, key = indexRE.ReplaceAllString(pe.Path[:i], "[]"), pe.Path[i+1:]
		}
		if pe.Err.Error() != fmt.Sprintf("unknown setting %q", key) {
			out = append(out, e)
			continue
		}
		var names []string
		for _, a := range accepted {
			p, name := "", a.Path
			if i := strings.LastIndexByte(a.Path, '.'); i >= 0 {
				p, name = a.Path[:i], a.Path[i+1:]
			}
			if p == parent {
				names = append(names, strings.TrimSuffix(name, "[]"))
			}
		}
		if s := strictjson.Suggest(key, names); s != "" {
			e = &ParamError{Path: pe.Path, Err: fmt.Errorf("%w; did you mean %q?", pe.Err, s)}
		}
		out = append(out, e)
	}
	return errors.Join(out...)
}

// engineSettings are the warnings for DataX's engine settings beside
// "job" (core.json's core, common and entry, which a job file may
// override): datasync has no such engine configuration.
func engineSettings(core, common, entry json.RawMessage) []Warning {
	var out []Warning
	for _, s := range []struct {
		key, why string
		raw      json.RawMessage
	}{
		{"core", "DataX's engine settings (core.transport.channel.speed and the like); datasync's limits are job-wide, in job.setting.speed", core},
		{"common", "DataX's column casts (common.column.datetimeFormat...); give the formats in the plugins' settings (dateFormat)", common},
		{"entry", "DataX's JVM settings", entry},
	} {
		if len(s.raw) > 0 {
			out = append(out, Warning{Path: s.key, Message: "accepted, and has no effect: " + s.why})
		}
	}
	return out
}

// unlimited warns about negative limits, which DataX (and datasync) take
// as no limit: DataX's jobs often write "byte": -1.
func (s Speed) unlimited(prefix string) []Warning {
	var out []Warning
	if s.Byte < 0 {
		out = append(out, Warning{Path: prefix + ".byte", Message: "a negative limit means no limit, as in DataX"})
	}
	if s.Record < 0 {
		out = append(out, Warning{Path: prefix + ".record", Message: "a negative limit means no limit, as in DataX"})
	}
	return out
}
