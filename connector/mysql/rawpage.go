package mysql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/encoded"
)

// Pages read from the driver. A keyset page is a complete query read within
// one Read, so it can be read from the driver's own connection (sql.Conn.Raw)
// with driver.Rows.Next, each row's values going straight to the decoder's
// scanners. database/sql's Rows.Scan gives a Scanner the same driver values,
// through a lock, a conversion switch and a check of every argument per
// row: skipping it takes a share of the reader's CPU away. A driver whose
// connection cannot query directly is read through database/sql.

// disableRawPages makes readers read pages through database/sql; tests and
// benchmarks set it to compare the two ways.
var disableRawPages = false

// errNoRawQuery says the driver's connection has no QueryerContext.
var errNoRawQuery = errors.New("mysql source: the driver's connection cannot query directly")

// pageResult is what reading one page gave.
type pageResult struct {
	rows    int  // rows the page gave
	stopped bool // the batch filled before the page ended: the rest is unread
	bad     []*datasync.RowError
}

// readPageRaw reads one page of limit rows from the driver into b. Its
// errors are the reader's, ready to return, but errNoRawQuery.
func (rd *reader) readPageRaw(ctx context.Context, b *datasync.Batch, limit int) (pageResult, error) {
	var res pageResult
	query := rd.pageQuery(limit)
	var scanErr error
	err := rd.c.Raw(func(dc any) error {
		q, ok := dc.(driver.QueryerContext)
		if !ok {
			return errNoRawQuery
		}
		rows, err := q.QueryContext(ctx, query, nil)
		if err != nil {
			return err
		}
		if cap(rd.dest) < len(rd.dec.targets) {
			rd.dest = make([]driver.Value, len(rd.dec.targets))
		}
		dest := rd.dest[:len(rd.dec.targets)]
		if n := len(rows.Columns()); n != len(dest) {
			rows.Close()
			return errors.New("mysql source: the page has another number of columns than was selected")
		}
		for {
			if err := rows.Next(dest); err != nil {
				if err == io.EOF {
					break
				}
				rows.Close()
				return err
			}
			res.rows++
			if scanErr = rd.scanDriverRow(dest, b); scanErr != nil {
				break
			}
			rd.keepKey()
			if rd.dec.bad != nil {
				res.bad = append(res.bad, rd.annotate(rd.dec.bad))
			}
			if b.Full() && res.rows < limit {
				res.stopped = true
				break
			}
		}
		return rows.Close()
	})
	switch {
	case scanErr != nil:
		return res, scanErr
	case err != nil && !errors.Is(err, errNoRawQuery):
		return res, rd.fail("read a page", err)
	}
	return res, err
}

// scanDriverRow decodes a row of driver values into b, as scanRow does from
// database/sql.
func (rd *reader) scanDriverRow(dest []driver.Value, b *datasync.Batch) error {
	d := rd.dec
	d.bad = nil
	if d.encoded {
		d.line, d.size = d.line[:0], 0
		if err := scanAll(d.targets, dest); err != nil {
			return rd.fail("read a row", err)
		}
		if d.bad == nil {
			d.line = append(d.line, '\n')
			encoded.Append(b, d.line, d.size, rd.decodeFn)
		}
		return nil
	}
	d.rec = b.Append()
	if err := scanAll(d.targets, dest); err != nil {
		return rd.fail("read a row", err)
	}
	if d.bad != nil {
		b.RemoveLast()
	}
	return nil
}

// scanAll gives each target its value.
func scanAll(targets []any, dest []driver.Value) error {
	for i, t := range targets {
		if err := t.(sql.Scanner).Scan(dest[i]); err != nil {
			return err
		}
	}
	return nil
}
