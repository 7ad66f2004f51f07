package dataset

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/datasync-go/datasync"
)

// Pool sizes: enough variety that values are not a handful of constants, few
// enough that building them is instant and costs a few hundred kB.
const (
	namePool   = 4096
	notePool   = 4096
	amountPool = 1 << 16
)

// pools are the variable-width values rows draw from, built once per seed.
type pools struct {
	names   []datasync.Value
	notes   []datasync.Value
	amounts []datasync.Value
}

// Words of the note column. Besides plain ASCII they hold what text formats
// must escape or quote (commas, double and single quotes, backslashes, a tab,
// a newline) and multi-byte UTF-8, so that every loader and every export is
// made to do that work, and the checksum sees it if one gets it wrong. None of
// them makes a note empty, "NULL" or `\N`: those are NULL markers in some of
// the native tools' formats.
var noteWords = []string{
	"order", "shipped", "pending", "refund", "invoice", "customer", "warehouse",
	"priority", "express", "standard", "returned", "gift", "note:", "ok",
	"a,b", `"quoted"`, "it's", `C:\path\x`, "tab\there", "two\nlines",
	"naïve", "café", "Zoë", "東京", "Ünïcödé", "€12", "emoji🚀",
}

// Name suffixes: names are varchar(64) values of 15 to 23 characters, some
// with multi-byte characters, a comma or an apostrophe.
var nameSuffixes = []string{"", "", "", "", "-Müller", "-東京", ", Ltd", "-O'Brien", "-Zoë"}

func newPools(seed uint64) pools {
	rng := rand.New(rand.NewPCG(seed, 0x6461746173796e63)) // "datasync"
	var p pools
	p.names = make([]datasync.Value, namePool)
	for i := range p.names {
		p.names[i] = datasync.String(fmt.Sprintf("customer-%06d%s", rng.IntN(1_000_000), nameSuffixes[rng.IntN(len(nameSuffixes))]))
	}
	p.notes = make([]datasync.Value, notePool)
	for i := range p.notes {
		p.notes[i] = datasync.String(note(rng))
	}
	p.amounts = make([]datasync.Value, amountPool)
	for i := range p.amounts {
		p.amounts[i] = amount(rng)
	}
	return p
}

// note returns a text of about 100 bytes (80 to 120) of noteWords.
func note(rng *rand.Rand) string {
	target := 80 + rng.IntN(41)
	var b strings.Builder
	for b.Len() < target {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(noteWords[rng.IntN(len(noteWords))])
	}
	return b.String()
}

// amount returns a decimal(18,4) with up to 14 integer digits, a fifth of
// them negative, written with its four decimals as the databases show it.
func amount(rng *rand.Rand) datasync.Value {
	digits := 1 + rng.IntN(14)
	whole := rng.Int64N(pow10(digits))
	frac := rng.IntN(10_000)
	sign := ""
	if rng.IntN(5) == 0 && (whole != 0 || frac != 0) {
		sign = "-"
	}
	v, err := datasync.Decimal(fmt.Sprintf("%s%d.%04d", sign, whole, frac))
	if err != nil {
		panic(err) // cannot happen: the text is a valid decimal
	}
	return v
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}
