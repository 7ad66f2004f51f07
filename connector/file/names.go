package file

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/datasync-go/datasync/connector/internal/textcodec"
)

// safeID turns a split ID into a part of a file name.
func safeID(id string) string { return textcodec.SafeName(id) }

// createTemp creates a new hidden temporary file in dir for the file
// named final, with the permissions a new file gets (0666 less the umask),
// unlike os.CreateTemp's 0600: it becomes the final file by a rename.
func createTemp(dir, final string) (*os.File, error) {
	for range 100 {
		name := filepath.Join(dir, "."+final+"."+randomSuffix()+tmpSuffix)
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, fmt.Errorf("cannot create a temporary file in %q", dir)
}

// randomSuffix returns 8 random hex digits.
func randomSuffix() string {
	var b [4]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// dataXSuffix returns a random UUID written as DataX's txtfilewriter
// writes it in file names: 8_4_4_4_12 hexadecimal digits.
func dataXSuffix() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	h := hex.EncodeToString(b[:])
	return h[0:8] + "_" + h[8:12] + "_" + h[12:16] + "_" + h[16:20] + "_" + h[20:]
}

// naturalCompare orders strings with their runs of digits compared as
// numbers, so that part-2 comes before part-10.
func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if c := cmp.Compare(len(na), len(nb)); c != 0 {
				return c
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			if c := cmp.Compare(da, db); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		a, b = a[1:], b[1:]
	}
	return cmp.Compare(len(a), len(b))
}

func digitRun(s string) int {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}
