package job

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
)

// defaultProgressJob returns writer's parameters with progressJob set to
// the task's identity when they turn exactly-once on (progressTable) and
// name no progressJob: "task:" and a hash of the parameters of the task's
// readers and of the writer, secrets left out. The connectors' own default
// is the table's name, which two jobs writing one table share: the
// interrupted run of one would make the other skip the splits whose IDs
// match and resume the others from checkpoints of a different source. The
// identity changes when the task's reader or writer changes, not with its
// settings (channels, limits), so a job resumes after its speed is tuned.
// Parameters that cannot be read are returned unchanged, for the
// connector's decoding to report.
func defaultProgressJob(writer json.RawMessage, readers ...json.RawMessage) json.RawMessage {
	var top map[string]json.RawMessage
	if json.Unmarshal(writer, &top) != nil {
		return writer
	}
	var table string
	if json.Unmarshal(top["progressTable"], &table) != nil || strings.TrimSpace(table) == "" {
		return writer
	}
	if _, ok := top["progressJob"]; ok {
		return writer
	}
	h := sha256.New()
	for _, part := range append([]json.RawMessage{writer}, readers...) {
		var v any
		if json.Unmarshal(part, &v) != nil {
			continue
		}
		canonical, _ := json.Marshal(withoutSecrets(v)) // maps marshal with sorted keys
		// Passwords inside connection strings (jdbc:...://user:pass@host),
		// found as the job's redaction finds them.
		for _, pw := range dsnPasswords(v) {
			canonical = bytes.ReplaceAll(canonical, []byte(pw), nil)
		}
		h.Write(canonical)
		h.Write([]byte{0})
	}
	id, _ := json.Marshal("task:" + hex.EncodeToString(h.Sum(nil))[:24])
	// Inserted as text after the opening brace (the object has a member,
	// progressTable, to follow it), so that the rest keeps its bytes and
	// what is reported of it keeps its place.
	at := bytes.IndexByte(writer, '{') + 1
	out := make(json.RawMessage, 0, len(writer)+len(id)+16)
	out = append(out, writer[:at]...)
	out = append(out, `"progressJob":`...)
	out = append(out, id...)
	out = append(out, ',')
	return append(out, writer[at:]...)
}

// withoutSecrets returns v without the members whose names say they hold
// a secret, at any depth: the identity must not be a hash of a password.
// The parameters are not decoded yet, so the connectors' secret tags are
// not known here: names stand in for them.
func withoutSecrets(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if isSecretName(k) {
				continue
			}
			out[k] = withoutSecrets(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = withoutSecrets(e)
		}
		return out
	}
	return v
}

func isSecretName(name string) bool {
	n := strings.ToLower(name)
	for _, s := range []string{"password", "secret", "accesskey", "token", "credential"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}
