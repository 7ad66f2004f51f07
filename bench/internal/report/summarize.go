package report

import (
	"github.com/datasync-go/datasync/bench/internal/proc"
)

// Summarize sets the derived figures of every row from its runs: medians of
// rows/s and MB/s over the passing runs, peaks, status, and each row's
// ratio to the fastest native tool of its scenario that passed. rows and
// bytes are the dataset's.
func Summarize(results []Row, rows, bytes int64) {
	fastest := map[string]float64{}
	for i := range results {
		r := &results[i]
		if r.Status == Unavailable || r.Status == NotWired {
			continue
		}
		var rates, cpus, libCPUs []float64
		var procCPUs [][]float64
		r.Passed, r.Failed, r.PeakRSS, r.ProcessPeaks = 0, 0, 0, nil
		r.CPUPerMRows, r.ProcessCPUPerMRows, r.LibraryCPUPerMRows = 0, nil, 0
		for _, run := range r.Runs {
			if !run.OK {
				r.Failed++
				if r.Reason == "" {
					r.Reason = run.Failure
				}
				continue
			}
			r.Passed++
			rates = append(rates, float64(rows)/run.Elapsed.Seconds())
			var sum int64
			var cpu float64
			for j, p := range run.Processes {
				sum += p.PeakRSS
				c := perMillion((p.UserCPU + p.SysCPU).Seconds(), rows)
				cpu += c
				if j == len(procCPUs) {
					procCPUs = append(procCPUs, nil)
				}
				procCPUs[j] = append(procCPUs[j], c)
				if j == len(r.ProcessPeaks) {
					r.ProcessPeaks = append(r.ProcessPeaks, proc.Usage{Name: p.Name})
				}
				if pp := &r.ProcessPeaks[j]; p.PeakRSS > pp.PeakRSS {
					pp.PeakRSS, pp.PeakSource = p.PeakRSS, p.PeakSource
				}
			}
			r.PeakRSS = max(r.PeakRSS, sum)
			if len(run.Processes) > 0 {
				cpus = append(cpus, cpu)
			}
			if run.LibraryCPU > 0 {
				libCPUs = append(libCPUs, perMillion(run.LibraryCPU.Seconds(), rows))
			}
		}
		r.CPUPerMRows, r.LibraryCPUPerMRows = Median(cpus), Median(libCPUs)
		for _, c := range procCPUs {
			r.ProcessCPUPerMRows = append(r.ProcessCPUPerMRows, Median(c))
		}
		switch {
		case r.Failed > 0:
			r.Status = Failed
		case r.Passed > 0:
			r.Status = OK
		default:
			r.Status = NotRun
		}
		r.RowsPerSec = Median(rates)
		if rows > 0 {
			r.MBPerSec = r.RowsPerSec * float64(bytes) / float64(rows) / 1e6
		}
		if r.Native && r.Passed > 0 {
			fastest[r.Scenario] = max(fastest[r.Scenario], r.RowsPerSec)
		}
	}
	for i := range results {
		r := &results[i]
		r.Ratio = 0
		if f := fastest[r.Scenario]; f > 0 && r.Passed > 0 {
			r.Ratio = r.RowsPerSec / f
		}
	}
}

// perMillion scales a quantity measured over rows rows to one million rows
// (0 when there were no rows).
func perMillion(x float64, rows int64) float64 {
	if rows <= 0 {
		return 0
	}
	return x * 1e6 / float64(rows)
}
