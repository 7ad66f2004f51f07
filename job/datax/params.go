package datax

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// jdbcParams looks up a JDBC URL's parameters by name, with or without
// regard to case: drivers differ (Connector/J 8 and MariaDB Connector/J
// ignore case, Connector/J 5.1 and pgjdbc do not), and for TLS settings the
// reading that honours more of them is the safer one.
type jdbcParams struct {
	exact url.Values
	// folded maps a lower-case name to the names (as written) that fold to
	// it.
	folded map[string][]string
}

func newJDBCParams(v url.Values) jdbcParams {
	p := jdbcParams{exact: v, folded: map[string][]string{}}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range v {
			if !yield(k) {
				return
			}
		}
	}) {
		p.folded[strings.ToLower(k)] = append(p.folded[strings.ToLower(k)], k)
	}
	return p
}

// get returns the value of the parameter named name in any case, and the
// name as written. The same parameter given twice with different values is
// an error: which one a driver takes is not something to guess about a
// security setting.
func (p jdbcParams) get(name string) (value, as string, ok bool, err error) {
	for _, k := range p.folded[strings.ToLower(name)] {
		for _, v := range p.exact[k] {
			if ok && v != value {
				return "", "", false, paramError(name, "given more than once, with different values")
			}
			value, as, ok = v, k, true
		}
	}
	return value, as, ok, nil
}

// getExact is get for a driver that matches names exactly.
func (p jdbcParams) getExact(name string) (string, bool, error) {
	vs := p.exact[name]
	for _, v := range vs[min(1, len(vs)):] {
		if v != vs[0] {
			return "", false, paramError(name, "given more than once, with different values")
		}
	}
	if len(vs) == 0 {
		return "", false, nil
	}
	return vs[0], true, nil
}

// names returns the lower-case names of the parameters.
func (p jdbcParams) names() []string {
	return slices.Sorted(func(yield func(string) bool) {
		for k := range p.folded {
			if !yield(k) {
				return
			}
		}
	})
}

// paramError is a problem with the JDBC parameter name. Its text never
// holds the parameter's value, which may be a secret.
func paramError(name, format string, args ...any) error {
	return fmt.Errorf("parameter %s: %s", name, fmt.Sprintf(format, args...))
}

// parseJDBCBool parses a boolean the way the Java drivers accept them
// (true/false, yes/no, 1/0, in any case), the empty value (a parameter
// given without "=") meaning true as in MariaDB Connector/J.
func parseJDBCBool(name, v string) (bool, error) {
	switch strings.ToLower(v) {
	case "true", "yes", "1", "":
		return true, nil
	case "false", "no", "0":
		return false, nil
	}
	return false, paramError(name, "%q is not true or false", v)
}
