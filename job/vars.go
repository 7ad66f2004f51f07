package job

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// filler gives the values of a job file's parameters: the command line's
// -p values (Options.Vars), DataWorks' scheduling parameters computed from
// the run date, and the environment.
type filler struct {
	vars  map[string]string
	sched schedule
}

func (o Options) filler() filler { return filler{vars: o.Vars, sched: newSchedule(o.RunDate)} }

// brace returns the value of ${name}: the -p value (itself evaluated when
// it is a scheduling expression, as DataWorks assigns bizdate=$bizdate),
// else a system parameter (bizdate, cyctime, gmtdate, bizmonth), else a
// business-date expression (yyyymmdd-1), else the environment variable.
func (f filler) brace(name string) (string, bool, error) {
	if v, ok := f.vars[name]; ok {
		return f.assigned(v)
	}
	if v, ok := f.sched.system(name); ok {
		return v, true, nil
	}
	if v, ok, err := f.sched.business(name); ok || err != nil {
		return v, ok, err
	}
	v, ok := os.LookupEnv(strings.TrimSpace(name))
	return v, ok, nil
}

// bare returns the value of $bizdate (and the other system parameters
// written without braces): the -p value, else the computed one.
func (f filler) bare(name string) (string, bool, error) {
	if v, ok := f.vars[name]; ok {
		return f.assigned(v)
	}
	v, ok := f.sched.system(name)
	return v, ok, nil
}

// assigned evaluates a -p value that is a scheduling expression, and
// returns any other as it is.
func (f filler) assigned(v string) (string, bool, error) {
	if got, ok, err := f.sched.evaluate(v); ok || err != nil {
		return got, true, err
	}
	return v, true, nil
}

// temporal tells a mistyped $[...] time expression from other text
// written $[...] (such as MongoDB's $[] and $[elem] update operators),
// which is left alone.
var temporal = regexp.MustCompile(`yy|hh24|add_months|mmdd|mi?ss`)

// substitute fills text's parameters (see the package doc): ${name},
// $bizdate-style system parameters and $[...] scheduled-time expressions.
// Inside a JSON string a value is escaped as JSON requires. $${, $$[ and
// $$bizdate stand for themselves without the first $. Every parameter with
// no value, and every malformed expression, is reported with its line.
func substitute(text []byte, f filler) ([]byte, error) {
	var out bytes.Buffer
	var problems []string
	inString, escaped := false, false
	line := 1
	write := func(value string) {
		if inString {
			quoted, _ := json.Marshal(value)
			out.Write(quoted[1 : len(quoted)-1])
		} else {
			out.WriteString(value)
		}
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '\n':
			line++
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		}
		if c != '$' || i+1 >= len(text) {
			out.WriteByte(c)
			continue
		}
		rest := text[i+1:]
		switch {
		case rest[0] == '$' && (bytes.HasPrefix(rest[1:], []byte("{")) || bytes.HasPrefix(rest[1:], []byte("[")) || systemAt(rest[1:]) != ""):
			out.WriteByte('$') // $${ is a literal ${, and so on
			i++
		case rest[0] == '{':
			end := bytes.IndexByte(rest, '}')
			if end < 0 {
				out.Write(text[i:])
				i = len(text)
				continue
			}
			name := string(rest[1:end])
			value, ok, err := f.brace(name)
			switch {
			case err != nil:
				problems = append(problems, fmt.Sprintf("${%s} on line %d: %v", name, line, err))
			case !ok:
				problems = append(problems, fmt.Sprintf("${%s} on line %d has no value: give it with -p %s=... or the environment variable %s", name, line, name, name))
			default:
				write(value)
			}
			i += end + 1
		case rest[0] == '[':
			end := bytes.IndexByte(rest, ']')
			if end < 0 {
				out.WriteByte(c)
				continue
			}
			expr := string(rest[1:end])
			value, ok, err := f.sched.scheduled(expr)
			switch {
			case err != nil:
				problems = append(problems, fmt.Sprintf("$[%s] on line %d: %v", expr, line, err))
			case ok:
				write(value)
			case temporal.MatchString(expr):
				problems = append(problems, fmt.Sprintf("$[%s] on line %d is not a time expression such as $[yyyymmdd-1], $[hh24miss-1/24] or $[add_months(yyyymmdd,-1)]", expr, line))
			default:
				out.Write(text[i : i+end+2]) // not a scheduling parameter
			}
			i += end + 1
		default:
			name := systemAt(rest)
			if name == "" {
				out.WriteByte(c)
				continue
			}
			value, _, err := f.bare(name)
			if err != nil {
				problems = append(problems, fmt.Sprintf("$%s on line %d: %v", name, line, err))
			} else {
				write(value)
			}
			i += len(name)
		}
	}
	if len(problems) > 0 {
		return nil, &InvalidError{Problems: stringsToErrors(problems)}
	}
	return out.Bytes(), nil
}

// systemAt returns the system parameter name text starts with, when the
// name ends there (bizdate, not bizdates), or "".
func systemAt(text []byte) string {
	for _, name := range systemNames {
		if bytes.HasPrefix(text, []byte(name)) {
			if len(text) == len(name) || !isNameByte(text[len(name)]) {
				return name
			}
		}
	}
	return ""
}

func isNameByte(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}
