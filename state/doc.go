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
//
// Store.Begin starts a run of a job: it takes the job's lock (flock(2) on
// Unix, which the kernel drops when the process dies, even by SIGKILL, so a
// crash leaves no stale lock; a second run of the job meanwhile fails with
// ErrLocked), and resumes the job's unfinished run when there is one,
// unless the job's identity (the resolved job without secrets) changed
// since, which fails with ErrJobChanged until BeginOptions.Fresh. Each task
// of the Run (Run.Task) is a datasync.CheckpointStore and
// datasync.PlanStore for datasync.WithCheckpointStore: the pipeline saves
// the plan and, after every commit, the split's progress; a resumed run
// uses that plan, skips the splits done and restarts the others from their
// checkpoints. Run.Finish records the outcome: success drops the progress
// (the next run starts over), failure keeps it. Store.List, Store.Get and
// Store.Clear are "datasync state list|show|clear".
//
// Progress kept here is saved just after the commit it describes: a crash
// between the two replays that window (at-least-once). Sinks that keep it
// in the target, in the commit's transaction (datasync.CheckpointSink, such
// as PostgreSQL and MySQL with a progress table), are asked first and make
// the resume exact.
// # Incremental marks
//
// A job's incremental tasks (a source that is a datasync.IncrementalSource
// with its Column set) keep their high-water marks in marks.json in the
// job's directory, by task name, replaced atomically. RunIncremental (or
// BeginIncremental, a pipeline of one's own, then Incremental.Commit) reads
// the task's mark and the source's current high-water mark H, copies the
// rows past the mark (less the lookback) up to H (every row on the first
// run), and saves H only when the run succeeded: a failed or killed run
// leaves the mark, so the next run copies its rows again. Rows that get a
// value at or below H after the run read them (a transaction that commits
// late) are picked up only within the lookback: pair a lookback with an
// overwriting sink mode (upsert, replace) so that rows read twice are not
// written twice. Rows whose column is NULL are never read by an
// incremental run. A run after one that failed copies that run's range
// again (recorded as pending when it began), so that a resumed run reads
// what its splits were planned for; later rows wait for the next run. A
// sink that empties or replaces its table each run (truncate,
// atomicRefresh) is refused (CheckIncrementalSink). Store.ClearMarks (or
// clearing the job) makes the next run copy everything again.
package state
