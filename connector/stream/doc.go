// Package stream is DataX's streamreader and streamwriter: a Source that
// generates records from a column description, and a Sink that prints
// records as delimited text (or drops them). They are for trying a job, for
// load tests, and for pipelines a test feeds by configuration.
//
// Job files name it "streamreader" and "streamwriter" (DataX's) and
// "memory" (both roles); see package job/builtin.
//
// A source column is a constant ("value"), a random value ("random":
// "min,max": a number in that range, or for strings and bytes a length), or
// for long and double a sequence ("incr": "start,step"), of a DataX type:
//
//	long -> Int     double -> Float    string -> String   bool -> Bool
//	date -> Timestamp (a wall-clock time, parsed by datasync.ParseTimestamp)
//	bytes -> Bytes  decimal -> Decimal json -> JSON
//
// As in DataX, every split produces sliceRecordCount records and the source
// plans one split per unit of parallelism ("channel"), so a job produces
// channel x sliceRecordCount records. Random values are seeded by the split,
// so a split produces the same records every time it is read.
package stream
