package job

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/internal/strictjson"
	"github.com/datasync-go/datasync/transform"
)

// DataX's transformers: a content entry's "transformer" list, mapped onto
// datasync.WithTransform and package transform.
//
// Where DataX checks a parameter only when the first record arrives, or
// never (an empty dx_pad padding loops for ever, a negative length fails
// every record), it is refused here when the file is read, with its JSON
// path. Names of choices are read in any case, as DataX validates them
// ("MD5", "L"); DataX's dx_digest then compares "md5" and "toUpperCase"
// exactly and computes SHA-1, lower case, for "MD5" or "TOUPPERCASE": here
// they mean what they say.

// transformerSpec is one entry of job.content[].transformer.
type transformerSpec struct {
	Name      string            `json:"name" datasync:"required"`
	Parameter transformerParams `json:"parameter"`
}

// transformerParams is a transformer's parameter object, as DataX's
// TransformerUtil reads it.
type transformerParams struct {
	// ColumnIndex is the 0-based position of the column in the reader's
	// record.
	ColumnIndex *int `json:"columnIndex"`
	// Paras are the transformer's other parameters, as text.
	Paras []string `json:"paras"`
	// Code and ExtraPackage are dx_groovy's, which is refused.
	Code         string   `json:"code"`
	ExtraPackage []string `json:"extraPackage"`
	// Context is handed by DataX to custom transformers; its built-in ones
	// (all that are supported here) do not read it.
	Context map[string]any `json:"context"`
}

// transformerNames are the transformers a DataX job may name here.
var transformerNames = []string{"dx_substr", "dx_pad", "dx_replace", "dx_filter", "dx_digest"}

// buildTransformers maps a content entry's transformers, whose JSON path is
// path ("job.content[0].transformer"), and returns every problem found.
func buildTransformers(specs []transformerSpec, path string) ([]datasync.Transformer, []error) {
	var out []datasync.Transformer
	var errs []error
	for i, s := range specs {
		p := fmt.Sprintf("%s[%d]", path, i)
		t, err := buildTransformer(s, p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, namedTransformer{path: p, name: s.Name, Transformer: t})
	}
	return out, errs
}

func buildTransformer(s transformerSpec, path string) (datasync.Transformer, error) {
	prm := s.Parameter
	switch s.Name {
	case "":
		return nil, errors.New(path + ".name: missing")
	case "dx_groovy":
		return nil, fmt.Errorf("%s.name: dx_groovy runs Groovy code, which needs a Java virtual machine, so datasync cannot run it; "+
			"use %s, or a Go function with datasync.WithTransform", path, strings.Join(transformerNames, ", "))
	case "dx_substr", "dx_pad", "dx_replace", "dx_filter", "dx_digest":
	default:
		msg := fmt.Sprintf("%s.name: no transformer named %q", path, s.Name)
		if sug := strictjson.Suggest(s.Name, transformerNames); sug != "" {
			return nil, fmt.Errorf("%s; did you mean %q?", msg, sug)
		}
		return nil, fmt.Errorf("%s; known: %s (dx_groovy needs a JVM and is not supported)", msg, strings.Join(transformerNames, ", "))
	}
	if prm.ColumnIndex == nil {
		return nil, fmt.Errorf("%s.parameter.columnIndex: missing: %s needs the position of its column (from 0)", path, s.Name)
	}
	col := *prm.ColumnIndex
	if col < 0 {
		return nil, fmt.Errorf("%s.parameter.columnIndex: %d is negative (columns count from 0)", path, col)
	}
	if prm.Code != "" || len(prm.ExtraPackage) > 0 {
		return nil, fmt.Errorf("%s.parameter: code and extraPackage are dx_groovy's; %s takes columnIndex and paras", path, s.Name)
	}
	paras := prm.Paras
	parasPath := path + ".parameter.paras"
	want := func(n int, what string) error {
		if len(paras) != n {
			return fmt.Errorf("%s: %s takes %d paras (%s), got %d", parasPath, s.Name, n, what, len(paras))
		}
		return nil
	}
	// number reads paras[i] as Java's Integer.valueOf does.
	number := func(i int, what string) (int, error) {
		n, err := strconv.ParseInt(paras[i], 10, 32)
		if err != nil {
			return 0, fmt.Errorf("%s[%d]: %s %q is not a whole number", parasPath, i, what, paras[i])
		}
		if n < 0 {
			return 0, fmt.Errorf("%s[%d]: %s %d is negative", parasPath, i, what, n)
		}
		return int(n), nil
	}
	switch s.Name {
	case "dx_substr":
		if err := want(2, "start position and length"); err != nil {
			return nil, err
		}
		start, err := number(0, "the start position")
		if err != nil {
			return nil, err
		}
		length, err := number(1, "the length")
		if err != nil {
			return nil, err
		}
		return transform.Substr(col, start, length), nil
	case "dx_replace":
		if err := want(3, "start position, length and replacement"); err != nil {
			return nil, err
		}
		start, err := number(0, "the start position")
		if err != nil {
			return nil, err
		}
		length, err := number(1, "the length")
		if err != nil {
			return nil, err
		}
		return transform.Replace(col, start, length, paras[2]), nil
	case "dx_pad":
		if err := want(3, `"l" or "r", length and padding`); err != nil {
			return nil, err
		}
		var side transform.Side
		switch {
		case strings.EqualFold(paras[0], "l"):
			side = transform.Left
		case strings.EqualFold(paras[0], "r"):
			side = transform.Right
		default:
			return nil, fmt.Errorf(`%s[0]: the side %q is neither "l" nor "r"`, parasPath, paras[0])
		}
		length, err := number(1, "the length")
		if err != nil {
			return nil, err
		}
		if paras[2] == "" {
			return nil, fmt.Errorf("%s[2]: the padding is empty", parasPath)
		}
		return transform.Pad(col, side, length, paras[2]), nil
	case "dx_filter":
		if err := want(2, "operator and value"); err != nil {
			return nil, err
		}
		op, err := transform.ParseOp(paras[0])
		if err != nil {
			return nil, fmt.Errorf("%s[0]: %w", parasPath, err)
		}
		if paras[1] == "" {
			return nil, fmt.Errorf("%s[1]: the value is empty", parasPath)
		}
		return transform.Filter(col, op, paras[1]), nil
	case "dx_digest":
		if err := want(2, `"md5" or "sha1", and "toUpperCase" or "toLowerCase"`); err != nil {
			return nil, err
		}
		var alg transform.Algorithm
		switch {
		case strings.EqualFold(paras[0], "md5"):
			alg = transform.MD5
		case strings.EqualFold(paras[0], "sha1"):
			alg = transform.SHA1
		default:
			return nil, fmt.Errorf(`%s[0]: the hash %q is neither "md5" nor "sha1"`, parasPath, paras[0])
		}
		var upper bool
		switch {
		case strings.EqualFold(paras[1], "toUpperCase"):
			upper = true
		case strings.EqualFold(paras[1], "toLowerCase"):
		default:
			return nil, fmt.Errorf(`%s[1]: %q is neither "toUpperCase" nor "toLowerCase"`, parasPath, paras[1])
		}
		return transform.Digest(col, alg, upper), nil
	}
	panic("unreachable")
}

// namedTransformer names a job file's transformer in the errors it gives
// when the job starts (a column index past the reader's columns).
type namedTransformer struct {
	path, name string
	datasync.Transformer
}

func (n namedTransformer) NewTransform(s datasync.Schema) (datasync.TransformFunc, error) {
	f, err := n.Transformer.NewTransform(s)
	if err != nil {
		return nil, fmt.Errorf("%s (%s): %w", n.path, n.name, err)
	}
	return f, nil
}
