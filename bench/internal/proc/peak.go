package proc

// Why peak memory needs care: Go starts processes with vfork (CLONE_VM), so
// until it execs, the child shares the harness's memory, and at exec Linux
// records that memory's high-water mark into the child's ru_maxrss. Every
// child's ru_maxrss is therefore at least the harness's own peak RSS, which
// is larger than psql's or the mariadb client's.
//
// So, when GNU time is installed, each process is started through it: it
// forks normally (the child's ru_maxrss then starts from GNU time's own 1-2
// MB) and reports the child's ru_maxrss from wait4, exactly. Without it, the
// harness samples the child's VmHWM (the high-water mark of its own image,
// after exec) from /proc while it runs, and decidePeak chooses between that
// and ru_maxrss.

// Where a Usage's PeakRSS comes from.
const (
	PeakGNUTime = "gnu time"    // ru_maxrss as GNU time reports it: exact
	PeakRusage  = "rusage"      // wait4's ru_maxrss, exact: it exceeds the harness's own peak
	PeakSampled = "sampled"     // the last VmHWM sampled from /proc before exit
	PeakBound   = "upper bound" // ru_maxrss, which may be the harness's own peak: the process ended before a sample
)

// decidePeak returns a process's peak RSS and its source (a Peak constant),
// from its wait4 ru_maxrss, its last sampled VmHWM (0 if none), and the
// harness's own high-water mark when the process started (0 when unknown,
// as off Linux).
func decidePeak(rusage, sampled, parentHWM int64) (int64, string) {
	switch {
	case rusage > parentHWM:
		return rusage, PeakRusage // above the harness's floor: the child's own
	case sampled > 0:
		return sampled, PeakSampled
	}
	return rusage, PeakBound
}
