// Package sink provides in-memory and generic Sinks: a collecting sink for
// tests, a discarding sink for benchmarks, and a sink that calls a function
// for each record.
//
// All of them are safe for use by a pipeline running many splits at once,
// and all of them keep only copies (Record.Clone) of what they are given.
package sink
