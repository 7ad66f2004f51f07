package datax

import (
	"strings"

	"github.com/datasync-go/datasync"
)

// dataxTypes are the column type names of DataX's file and stream plugins
// that are not datasync kind names, and the kinds they stand for.
var dataxTypes = map[string]datasync.Kind{
	"long":     datasync.KindInt,
	"integer":  datasync.KindInt,
	"double":   datasync.KindFloat,
	"boolean":  datasync.KindBool,
	"datetime": datasync.KindTimestamp,
}

// parseType returns the kind of a DataX column type: a DataX name ("long",
// "double", "boolean", "date", "string", "bytes") or a datasync kind name
// ("Int", "Decimal", "Timestamp"...), in any case. DataX's "date" is
// datasync's Date here; the readers that give it a time of day (a format
// with hours, or streamreader) make it a Timestamp themselves.
func parseType(name string) (datasync.Kind, bool) {
	if k, ok := dataxTypes[strings.ToLower(strings.TrimSpace(name))]; ok {
		return k, true
	}
	k, ok := datasync.ParseKind(strings.TrimSpace(name))
	if !ok || k == datasync.KindNull {
		return datasync.KindNull, false
	}
	return k, true
}
