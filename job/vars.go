package job

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// substitute replaces ${name} in text by lookup(name): JSON-escaped inside a
// JSON string, as is elsewhere. $${ is a literal ${. Every missing name is
// reported, with its line.
func substitute(text []byte, lookup func(string) (string, bool)) ([]byte, error) {
	var out bytes.Buffer
	var missing []string
	inString, escaped := false, false
	line := 1
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
		if c == '$' && i+2 < len(text) && text[i+1] == '$' && text[i+2] == '{' {
			out.WriteString("${")
			i += 2
			continue
		}
		if c != '$' || i+1 >= len(text) || text[i+1] != '{' {
			out.WriteByte(c)
			continue
		}
		end := bytes.IndexByte(text[i+2:], '}')
		if end < 0 {
			out.Write(text[i:])
			break
		}
		name := string(text[i+2 : i+2+end])
		value, ok := lookup(name)
		if !ok {
			missing = append(missing, fmt.Sprintf("${%s} on line %d has no value: give it with -p %s=... or the environment variable %s", name, line, name, name))
		} else if inString {
			quoted, _ := json.Marshal(value)
			out.Write(quoted[1 : len(quoted)-1])
		} else {
			out.WriteString(value)
		}
		i += 2 + end
	}
	if len(missing) > 0 {
		return nil, &InvalidError{Problems: stringsToErrors(missing)}
	}
	return out.Bytes(), nil
}

// lookupIn returns a lookup that tries vars, then the environment.
func lookupIn(vars map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		if v, ok := vars[name]; ok {
			return v, true
		}
		return os.LookupEnv(strings.TrimSpace(name))
	}
}

// lookup returns how o fills ${name}.
func (o Options) lookup() func(string) (string, bool) { return lookupIn(o.Vars) }
