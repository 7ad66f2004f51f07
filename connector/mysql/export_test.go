package mysql

// Stats returns what the sink's writers did: LOAD DATA statements kept and
// undone, INSERT statements kept, and INSERT statements undone and halved.
func Stats(s *Sink) (loads, loadsUndone, inserts, narrowed int64) {
	return s.stats.loads.Load(), s.stats.loadsUndone.Load(), s.stats.inserts.Load(), s.stats.narrowed.Load()
}

// EncodedLoads returns the LOAD DATA statements of the pass-through kept.
func EncodedLoads(s *Sink) int64 { return s.stats.encoded.Load() }

// SetRawPages makes readers read keyset pages from the driver (true, the
// default) or through database/sql (false); it returns what undoes it.
func SetRawPages(on bool) (undo func()) {
	was := disableRawPages
	disableRawPages = !on
	return func() { disableRawPages = was }
}
