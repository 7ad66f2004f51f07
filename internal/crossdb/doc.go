// Package crossdb holds tests that move data between connectors: MySQL to
// PostgreSQL and back, and PostgreSQL through OSS to MySQL, checking that
// every common type arrives value for value.
package crossdb
