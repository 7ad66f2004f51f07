package checksum

import (
	"testing"

	"github.com/datasync-go/datasync"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var testSchema = datasync.Schema{
	{Name: "id", Kind: datasync.KindInt},
	{Name: "name", Kind: datasync.KindString},
	{Name: "amount", Kind: datasync.KindDecimal},
	{Name: "ok", Kind: datasync.KindBool},
}

func row(fields ...string) [][]byte {
	out := make([][]byte, len(fields))
	for i, f := range fields {
		if f != "<NULL>" {
			out[i] = []byte(f)
		}
	}
	return out
}

func sumOf(t *testing.T, rows ...[][]byte) Sum {
	t.Helper()
	h := NewHasher(testSchema)
	for _, r := range rows {
		require.NoError(t, h.Add(r))
	}
	return h.Sum()
}

var (
	r1 = row("1", "alice", "1.50", "t")
	r2 = row("2", "bob", "<NULL>", "f")
	r3 = row("3", "carol", "-2", "<NULL>")
)

func TestSumIgnoresOrderAndSpelling(t *testing.T) {
	want := sumOf(t, r1, r2, r3)
	assert.Equal(t, want, sumOf(t, r3, r1, r2))
	// The same rows as another system renders them.
	assert.Equal(t, want, sumOf(t, row("1", "alice", "1.5000", "true"), row("2", "bob", "<NULL>", "0"), row("3", "carol", "-2.0000", "<NULL>")))
	assert.Empty(t, Mismatch(sumOf(t, r2, r3, r1), want))
}

func TestSumDetectsChangedValue(t *testing.T) {
	want := sumOf(t, r1, r2, r3)
	got := sumOf(t, r1, r2, row("3", "carol", "-2.0001", "<NULL>"))
	assert.NotEqual(t, want, got)
	assert.Contains(t, Mismatch(got, want), "same row count (3) but the content checksum differs")
}

func TestSumDetectsMissingRow(t *testing.T) {
	want := sumOf(t, r1, r2, r3)
	got := sumOf(t, r1, r3)
	assert.Equal(t, "2 rows, want 3", Mismatch(got, want))
}

func TestSumDetectsDuplicatedRow(t *testing.T) {
	want := sumOf(t, r1, r2, r3)
	got := sumOf(t, r1, r2, r3, r2)
	assert.Equal(t, "4 rows, want 3", Mismatch(got, want))
	// A duplicate standing in for a missing row keeps the count, not the sum
	// (XOR of row hashes would cancel the pair out; addition does not).
	got = sumOf(t, r1, r2, r2)
	assert.NotEmpty(t, Mismatch(got, want))
	assert.Contains(t, Mismatch(sumOf(t, r1, r1, r3), sumOf(t, r1, r2, r3)), "content checksum differs")
	assert.NotEqual(t, sumOf(t, r1, r1), sumOf(t, r2, r2))
}

func TestSumDistinguishesNullAndEmpty(t *testing.T) {
	assert.NotEqual(t, sumOf(t, row("1", "", "1", "t")), sumOf(t, row("1", "<NULL>", "1", "t")))
	// Length prefixes: moving bytes between columns changes the row.
	two := datasync.Schema{{Name: "a", Kind: datasync.KindString}, {Name: "b", Kind: datasync.KindString}}
	h1, h2 := NewHasher(two), NewHasher(two)
	require.NoError(t, h1.Add(row("ab", "c")))
	require.NoError(t, h2.Add(row("a", "bc")))
	assert.NotEqual(t, h1.Sum(), h2.Sum())
}

func TestSumNamesBadValue(t *testing.T) {
	h := NewHasher(testSchema)
	require.NoError(t, h.Add(r1))
	err := h.Add(row("2", "bob", "NULL", "f"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "row 2, column amount")
	assert.Error(t, h.Add(row("1", "too few")))
}

func TestAddRecordMatchesText(t *testing.T) {
	d, err := datasync.Decimal("1.50")
	require.NoError(t, err)
	h := NewHasher(testSchema)
	require.NoError(t, h.AddRecord(datasync.Record{datasync.Int(1), datasync.String("alice"), d, datasync.Bool(true)}))
	require.NoError(t, h.AddRecord(datasync.Record{datasync.Int(2), datasync.String("bob"), datasync.Null(), datasync.Bool(false)}))
	require.NoError(t, h.AddRecord(datasync.Record{datasync.Int(3), datasync.String("carol"), mustDecimal(t, "-2"), datasync.Null()}))
	assert.Equal(t, sumOf(t, r1, r2, r3), h.Sum())

	// An empty string is not NULL, through AddRecord too.
	e1, e2 := NewHasher(testSchema), NewHasher(testSchema)
	require.NoError(t, e1.AddRecord(datasync.Record{datasync.Int(1), datasync.String(""), datasync.Null(), datasync.Null()}))
	require.NoError(t, e2.AddRecord(datasync.Record{datasync.Int(1), datasync.Null(), datasync.Null(), datasync.Null()}))
	assert.NotEqual(t, e1.Sum(), e2.Sum())
}

func mustDecimal(t *testing.T, s string) datasync.Value {
	t.Helper()
	v, err := datasync.Decimal(s)
	require.NoError(t, err)
	return v
}
