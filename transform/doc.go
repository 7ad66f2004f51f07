// Package transform holds ready-made record transformers for
// [datasync.WithTransform]: the ones DataX ships (dx_substr, dx_pad,
// dx_replace, dx_filter, dx_digest), with DataX's semantics, under Go names:
// [Substr], [Pad], [Replace], [Filter] and [Digest].
//
// Each works on one column, given by its 0-based position in the source's
// schema (DataX's columnIndex), and reads the column as text: the value's
// text form ([datasync.Value.AppendTo]; a Timestamp as
// "YYYY-MM-DD HH:MM:SS[.ffffff]", with a trailing Z for an instant). Those
// that change the column leave a String in it.
//
// Positions and lengths count characters as Java does, in UTF-16 code
// units: a character outside the Basic Multilingual Plane (an emoji) counts
// as two, so that a DataX job cuts strings where DataX cuts them; a cut
// through the middle of such a character leaves U+FFFD for the half, where
// Java would leave a lone surrogate (which it writes as "?").
//
// A parameter that can never work (a column past the end of the schema, a
// negative length, a regular expression that does not compile, an unknown
// operator) is refused when the job starts, naming the transformer; DataX
// instead fails every record. An error on a record (a start position past
// the end of its value, a Filter operand that is not a number for a numeric
// column) makes that record dirty, with the reason, as in DataX.
package transform
