package datax

import (
	"fmt"
	"strings"

	"github.com/datasync-go/datasync/connector/postgres"
	"github.com/datasync-go/datasync/job"
)

// postgresWriteMode translates postgresqlwriter's writeMode: "insert" or
// DataX's "copy" (both COPY), "upsert", "update", or DataX's "update (a, b)",
// which also names the conflict key. conflictKey is datasync's own setting;
// when both name a key they must agree. It returns the mode and the key.
func postgresWriteMode(mode string, conflictKey []string) (postgres.WriteMode, []string, error) {
	t := strings.TrimSpace(mode)
	var key []string
	if open := strings.IndexByte(t, '('); open >= 0 {
		if !strings.HasSuffix(t, ")") {
			return "", nil, &job.ParamError{Path: "writeMode", Err: fmt.Errorf("%q: unbalanced parenthesis", mode)}
		}
		for k := range strings.SplitSeq(t[open+1:len(t)-1], ",") {
			if k = strings.TrimSpace(k); k != "" {
				key = append(key, k)
			}
		}
		t = strings.TrimSpace(t[:open])
	}
	switch strings.ToLower(t) {
	case "", "insert", "copy":
		if len(key) > 0 {
			return "", nil, &job.ParamError{Path: "writeMode", Err: fmt.Errorf("%q: only update (upsert) takes a key", mode)}
		}
		return postgres.WriteInsert, conflictKey, nil
	case "upsert", "update":
		if len(key) == 0 {
			return postgres.WriteUpsert, conflictKey, nil
		}
		if len(conflictKey) > 0 && strings.Join(conflictKey, ",") != strings.Join(key, ",") {
			return "", nil, &job.ParamError{Path: "writeMode", Err: fmt.Errorf("%q and conflictKey %q name different keys", mode, conflictKey)}
		}
		return postgres.WriteUpsert, key, nil
	}
	return "", nil, &job.ParamError{Path: "writeMode", Err: fmt.Errorf("%q: want insert, copy, update or upsert", mode)}
}
