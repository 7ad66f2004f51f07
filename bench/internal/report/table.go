package report

import (
	"io"
	"strings"
	"unicode/utf8"
)

// Align is a column's alignment.
type Align int

// The alignments.
const (
	Left Align = iota
	Right
)

// Column is a table column: its title and alignment.
type Column struct {
	Title string
	Align Align
}

// Table is a plain-text table whose columns are aligned for a fixed-width
// font: a header, a rule of dashes, then the rows, columns two spaces apart,
// no trailing spaces. Widths count runes, so non-ASCII text aligns too.
type Table struct {
	Columns []Column
	Rows    [][]string
}

// Render writes the table to w.
func (t Table) Render(w io.Writer) error {
	widths := make([]int, len(t.Columns))
	for i, c := range t.Columns {
		widths[i] = utf8.RuneCountInString(c.Title)
	}
	for _, row := range t.Rows {
		for i, cell := range row {
			if i < len(widths) {
				widths[i] = max(widths[i], utf8.RuneCountInString(cell))
			}
		}
	}
	var b strings.Builder
	line := func(cells []string) {
		var l strings.Builder
		for i, c := range t.Columns {
			cell := ""
			if i < len(cells) {
				cell = cells[i]
			}
			if i > 0 {
				l.WriteString("  ")
			}
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell))
			if c.Align == Right {
				l.WriteString(pad + cell)
			} else {
				l.WriteString(cell + pad)
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " "))
		b.WriteByte('\n')
	}
	titles := make([]string, len(t.Columns))
	rules := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		titles[i] = c.Title
		rules[i] = strings.Repeat("-", widths[i])
	}
	line(titles)
	line(rules)
	for _, row := range t.Rows {
		line(row)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
