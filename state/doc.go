// Package state keeps the durable state of datasync jobs on the local
// machine, with no server: the split checkpoints that let a job killed
// half-way resume where it stopped, and what later runs of a job need to
// know about earlier ones.
//
// A Store is a directory. Each job has a subdirectory named after its key
// (a hash of the job's name), holding small JSON files that are always
// replaced atomically (written to a temporary file, synced, renamed), so a
// crash at any moment leaves either the old or the new content, never a torn
// file. A directory of files was chosen over an embedded database (SQLite
// through modernc.org/sqlite) because the state is a few kilobytes per job,
// written at most once per flush: plain files need no dependency, can be read
// and repaired with cat and rm, and rename(2) gives the atomicity needed.
package state
