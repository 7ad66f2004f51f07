// Package temporal runs datasync jobs on Temporal.
package temporal
