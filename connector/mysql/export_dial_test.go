package mysql

// DialedConns returns how many of the connections of the source's own pool
// netdial dialled and are open; -1 for a pool the caller gave.
func DialedConns(s *Source) int {
	if s.pool.dialer == nil {
		return -1
	}
	return s.pool.dialer.Open()
}
