// Package stream is the counterpart of DataX's streamreader and
// streamwriter: a Source that generates records from a column description,
// and a Sink that prints records as delimited text (or drops them). They are for trying a job, for
// load tests, and for pipelines a test feeds by configuration.
//
// Job files name it "memory" (both roles, with these configs) and
// "streamreader" and "streamwriter" (DataX's parameters, translated by
// package job/datax); see package job/builtin.
//
// A source column (ColumnSpec) of any kind is a constant (Value), a random
// value (Random: a number in a Range, or for strings and bytes a length in
// it), or for Int and Float a Sequence (Incr).
//
// As in DataX, every split produces RecordsPerSplit records and the source
// plans one split per unit of parallelism ("channel"), so a job produces
// channel x RecordsPerSplit records. Random values are seeded by the split,
// so a split produces the same records every time it is read.
package stream
