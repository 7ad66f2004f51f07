package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/datasync-go/datasync"
)

const planHelp = `Usage: datasync plan <job.json> [-p name=value ...]

Prints, as JSON, the splits each task of the job would run: the input of a
distributed run, where each split is handed to Pipeline.RunSplit on some
machine. Planning reads table statistics and key boundaries but moves no
data.

Examples:
  datasync plan mysql-to-postgres.json > splits.json
  datasync plan daily.json -p bizdate=20261124 | jq '.tasks[0].splits | length'
`

// planOutput is what plan prints.
type planOutput struct {
	Tasks []planTask `json:"tasks"`
}

type planTask struct {
	Index  int              `json:"index"`
	Reader string           `json:"reader"`
	Writer string           `json:"writer"`
	Splits []datasync.Split `json:"splits"`
}

func planCommand(args []string, stdout, stderr io.Writer) int {
	fs, vars := jobFlags("plan", planHelp, stderr)
	s, code, ok := openJob(fs, vars, args, stdout, stderr)
	if !ok {
		return code
	}
	defer s.job.Close()
	j := s.job
	plans, err := j.Plan(context.Background())
	if err != nil {
		return s.fail(err)
	}
	var out planOutput
	for i, splits := range plans {
		t := j.Tasks[i]
		out.Tasks = append(out.Tasks, planTask{Index: i, Reader: t.ReaderName, Writer: t.WriterName, Splits: splits})
	}
	text, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return s.fail(err)
	}
	fmt.Fprintln(s.out, string(text))
	return exitOK
}
