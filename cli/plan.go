package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/datasync-go/datasync"
)

const planHelp = `Usage: datasync plan <job.json> [-p name=value ...]

Prints, as JSON, the splits each task of the job would run: the input of a
distributed run, where each split is handed to Pipeline.RunSplit on some
machine. Planning reads table statistics and key boundaries but moves no
data. Each split has its "range" said readably (such as "id" > 20017 AND
"id" <= 40033) when the reader can, beside its "spec", the connector's own
encoding that a distributed run hands back.

Examples:
  datasync plan mysql-to-postgres.json > splits.json
  datasync plan daily.json -p bizdate=20261124 | jq '.tasks[0].splits | length'
`

// planOutput is what plan prints.
type planOutput struct {
	Tasks []planTask `json:"tasks"`
}

type planTask struct {
	Index  int         `json:"index"`
	Reader string      `json:"reader"`
	Writer string      `json:"writer"`
	Splits []planSplit `json:"splits"`
}

// planSplit is a split with its range said readably, when the source can
// (datasync.SplitDescriber): the spec is the connector's own encoding.
type planSplit struct {
	datasync.Split
	Range string `json:"range,omitempty"`
}

func (e *env) planCommand(ctx context.Context, args []string) int {
	fs, vars := e.jobFlags("plan", planHelp)
	s, code, ok := e.openJob(fs, vars, args)
	if !ok {
		return code
	}
	defer s.job.Close()
	j := s.job
	plans, err := j.Plan(ctx)
	if err != nil {
		return s.fail(err)
	}
	var out planOutput
	for i, splits := range plans {
		t := j.Tasks[i]
		task := planTask{Index: i, Reader: t.ReaderName, Writer: t.WriterName, Splits: []planSplit{}}
		for _, sp := range splits {
			task.Splits = append(task.Splits, planSplit{Split: sp, Range: datasync.DescribeSplit(t.Source, sp)})
		}
		out.Tasks = append(out.Tasks, task)
	}
	text, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return s.fail(err)
	}
	fmt.Fprintln(s.out, string(text))
	return ExitOK
}
