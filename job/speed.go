package job

import (
	"fmt"
	"strconv"
	"strings"
)

// dataXChannels is the parallelism of a DataX job that gives no
// speed.channel: DataX runs one channel then, and plugins that make work
// per channel (streamreader makes sliceRecordCount records in each) must
// make what DataX makes.
const dataXChannels = 1

// parallelism returns the number of splits run at a time the setting asks
// for, 0 for the pipeline's default.
func (j *Job) parallelism() int {
	switch {
	case j.Setting.Speed.Channel > 0:
		return j.Setting.Speed.Channel
	case j.Dialect == DataX:
		return dataXChannels
	}
	return 0
}

// LimitsNote says how a DataX job's speed settings were applied, when the
// job sets a byte or record limit ("" otherwise): DataX divides them among
// its channels, datasync applies them to the whole job. A command logs it
// once when the job starts.
func (j *Job) LimitsNote() string {
	s := j.Setting.Speed
	if j.Dialect != DataX || (s.Byte <= 0 && s.Record <= 0) {
		return ""
	}
	var limits []string
	if s.Byte > 0 {
		limits = append(limits, "speed.byte "+strconv.FormatFloat(s.Byte, 'f', -1, 64)+" bytes/s")
	}
	if s.Record > 0 {
		limits = append(limits, "speed.record "+strconv.FormatFloat(s.Record, 'f', -1, 64)+" records/s")
	}
	channels := fmt.Sprintf("%d channels (speed.channel)", j.parallelism())
	if s.Channel <= 0 {
		channels = "1 channel (no speed.channel given, as DataX)"
	}
	return fmt.Sprintf("DataX speed settings: %s for the whole job, shared by all channels (DataX gives each channel its share); %s",
		strings.Join(limits, " and "), channels)
}
