package file

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// fileInfo is one file to read.
type fileInfo struct {
	path string
	size int64
}

// expand resolves the configured paths into the files to read, sorted and
// without duplicates.
func expand(patterns []string) ([]fileInfo, error) {
	if len(patterns) == 0 {
		return nil, errors.New("file: path is empty: name the files to read")
	}
	seen := map[string]bool{}
	var files []fileInfo
	found := 0 // files the current pattern names
	add := func(path string, size int64) {
		found++
		if !seen[path] {
			seen[path] = true
			files = append(files, fileInfo{path: path, size: size})
		}
	}
	var errs []error
	for _, p := range patterns {
		if p == "" {
			errs = append(errs, errors.New("file: path has an empty entry"))
			continue
		}
		matches := []string{p}
		glob := hasMeta(p)
		if glob {
			var err error
			if matches, err = filepath.Glob(p); err != nil {
				errs = append(errs, fmt.Errorf("file: path %q: %w", p, err))
				continue
			}
			explicitDot := strings.HasPrefix(filepath.Base(p), ".")
			matches = slices.DeleteFunc(matches, func(m string) bool { return !explicitDot && strings.HasPrefix(filepath.Base(m), ".") })
		}
		found = 0
		errsBefore := len(errs)
		for _, m := range matches {
			info, err := os.Stat(m)
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) && !glob {
					errs = append(errs, fmt.Errorf("file: path %q does not exist", p))
				} else {
					errs = append(errs, fmt.Errorf("file: path %q: %w", p, err))
				}
				continue
			}
			if !info.IsDir() {
				if info.Mode().IsRegular() {
					add(m, info.Size())
				}
				continue
			}
			err = filepath.WalkDir(m, func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if path != m && strings.HasPrefix(d.Name(), ".") {
					if d.IsDir() {
						return filepath.SkipDir
					}
					return nil
				}
				switch {
				case d.Type().IsRegular():
					fi, err := d.Info()
					if err != nil {
						return err
					}
					add(path, fi.Size())
				case d.Type()&fs.ModeSymlink != 0:
					// A link to a regular file is read; links to directories
					// are not followed (they could loop).
					if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
						add(path, fi.Size())
					}
				}
				return nil
			})
			if err != nil {
				errs = append(errs, fmt.Errorf("file: path %q: %w", p, err))
			}
		}
		if found == 0 && len(errs) == errsBefore {
			if glob {
				errs = append(errs, fmt.Errorf("file: path %q matches no file", p))
			} else {
				errs = append(errs, fmt.Errorf("file: directory %q holds no file", p))
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	slices.SortFunc(files, func(a, b fileInfo) int { return strings.Compare(a.path, b.path) })
	return files, nil
}

func hasMeta(p string) bool { return strings.ContainsAny(p, `*?[`) }
