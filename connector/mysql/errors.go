package mysql

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"

	"github.com/go-sql-driver/mysql"

	"github.com/datasync-go/datasync"
)

// classify marks err retryable when reopening the split from its checkpoint
// may succeed: a lost or killed connection, a deadlock, a lock wait timeout,
// a server going away or read-only during a failover.
func classify(err error) error {
	if err == nil || !transient(err) {
		return err
	}
	return datasync.Retryable(err)
}

func transient(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, mysql.ErrInvalidConn) || errors.Is(err, mysql.ErrPktSync) ||
		errors.Is(err, mysql.ErrPktSyncMul) || errors.Is(err, mysql.ErrBusyBuffer) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var my *mysql.MySQLError
	if errors.As(err, &my) {
		switch my.Number {
		case 1040, // too many connections
			1053,                   // server shutdown in progress
			1077,                   // normal shutdown
			1078,                   // got signal
			1079,                   // shutdown complete
			1152,                   // aborted connection
			1153,                   // packet too large (on a read)
			1158, 1159, 1160, 1161, // network read/write errors
			1205,             // lock wait timeout (the statement was rolled back)
			1213,             // deadlock (the transaction was rolled back)
			1290, 1792, 1836, // read-only, as during a failover
			1317, // query interrupted (KILL QUERY)
			1927, // connection killed (MariaDB)
			4031: // disconnected for inactivity (MySQL 8)
			return true
		}
	}
	return false
}

// rowErrorCodes are the server's errors that concern the values of a row
// rather than the statement: the row is dirty data, the others are written.
var rowErrorCodes = map[uint16]bool{
	1048: true, // column cannot be null
	1062: true, // duplicate entry
	1263: true, // NULL supplied to NOT NULL column
	1264: true, // out of range
	1265: true, // data truncated
	1292: true, // incorrect (datetime, ...) value
	1300: true, // invalid character string
	1364: true, // field has no default value
	1366: true, // incorrect string / integer value
	1367: true, // illegal value
	1406: true, // data too long
	1411: true, // incorrect value for function
	1416: true, // cannot get geometry object
	1451: true, // foreign key: cannot delete or update a parent row
	1452: true, // foreign key: cannot add or update a child row
	1557: true, // foreign key: duplicate
	1586: true, // duplicate entry with key name
	1644: true, // SIGNAL from a trigger
	1690: true, // value out of range
	1761: true, // foreign key duplicate
	1762: true, // foreign key duplicate
	1859: true, // duplicate unknown entry
	3140: true, // invalid JSON text (MySQL)
	3819: true, // check constraint violated (MySQL)
	4025: true, // constraint failed (MariaDB)
	4038: true, // syntax error in JSON text (MariaDB)
}

// isRowError reports whether err is the server rejecting a row's values.
func isRowError(err error) bool {
	var my *mysql.MySQLError
	return errors.As(err, &my) && rowErrorCodes[my.Number]
}

// isLoadDisabled reports whether err says LOAD DATA LOCAL is not allowed, by
// the server or by the client.
func isLoadDisabled(err error) bool {
	var my *mysql.MySQLError
	if errors.As(err, &my) {
		switch my.Number {
		case 1148, // the used command is not allowed with this version
			2068, // LOAD DATA LOCAL INFILE request rejected (client)
			3948, // loading local data is disabled (MySQL 8)
			3950, // loading local data is disabled (MySQL 8)
			4166: // local infile capability disabled (MariaDB)
			return true
		}
	}
	return false
}

// wrongWarning reports whether a warning from SHOW WARNINGS means a value
// did not arrive exactly: every Warning and Error does, and the Notes that
// say a value was changed.
func wrongWarning(level string, code uint16) bool {
	if level != "Note" {
		return code != 1287 // deprecated syntax is no data change
	}
	switch code {
	case 1048, 1062, 1261, 1262, 1263, 1264, 1265, 1292, 1366, 1406:
		return true
	}
	return false
}
