package textcodec

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/text"
)

// TestFloat32Text writes single-precision Floats (datasync.Float32) in every
// format as the float32's shortest text: 0.1, not 0.10000000149011612.
func TestFloat32Text(t *testing.T) {
	schema := datasync.Schema{{Name: "f", Kind: datasync.KindFloat}}
	var rows []datasync.Record
	for _, f := range []float32{0.1, -0.3, math.MaxFloat32, math.SmallestNonzeroFloat32, float32(math.Copysign(0, -1)), float32(math.NaN())} {
		rows = append(rows, datasync.Record{datasync.Float32(f)})
	}
	want := map[text.FileFormat]string{
		text.FormatCSV:   "0.1\n-0.3\n3.4028235e+38\n1e-45\n-0\nNaN\n",
		text.FormatText:  "0.1\n-0.3\n3.4028235e+38\n1e-45\n-0\nNaN\n",
		text.FormatJSONL: `{"f":0.1}` + "\n" + `{"f":-0.3}` + "\n" + `{"f":3.4028235e+38}` + "\n" + `{"f":1e-45}` + "\n" + `{"f":-0}` + "\n" + `{"f":"NaN"}` + "\n",
	}
	for format, out := range want {
		t.Run(string(format), func(t *testing.T) {
			ws, err := CompileWrite(text.WriteOptions{Format: text.Format{FileFormat: format}})
			require.NoError(t, err)
			files, err := encodeAll(t, ws, schema, rows, StreamConfig{})
			require.NoError(t, err)
			require.Len(t, files, 1)
			assert.Equal(t, out, string(files[0]))
		})
	}
}
