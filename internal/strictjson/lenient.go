package strictjson

// Lenient returns data with what DataX's JSON parser (fastjson) accepts
// beyond JSON turned into whitespace: "//" line comments, "/* */" block
// comments and trailing commas before "}" or "]". Every byte keeps its
// offset and every newline stays, so a syntax error found later is still
// reported at the line and column of the file as written. Text inside
// strings is never touched. An unterminated block comment is left as it
// is, for the JSON decoder to report.
//
// data is not modified; when there is nothing to blank out, data itself is
// returned.
func Lenient(data []byte) []byte {
	var out []byte // a copy, made at the first change
	blank := func(from, to int) {
		if out == nil {
			out = append([]byte(nil), data...)
		}
		for i := from; i < to; i++ {
			if out[i] != '\n' && out[i] != '\r' {
				out[i] = ' '
			}
		}
	}
	lastComma := -1 // offset of a comma followed so far only by blanks
	var prev byte   // the last significant byte before data[i]
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch c {
		case '"':
			lastComma = -1
			i = stringEnd(data, i)
		case '/':
			if i+1 >= len(data) {
				lastComma = -1
				continue
			}
			switch data[i+1] {
			case '/':
				end := i + 2
				for end < len(data) && data[end] != '\n' {
					end++
				}
				blank(i, end)
				i = end - 1
			case '*':
				end := -1
				for k := i + 2; k+1 < len(data); k++ {
					if data[k] == '*' && data[k+1] == '/' {
						end = k + 2
						break
					}
				}
				if end < 0 {
					return orData(out, data)
				}
				blank(i, end)
				i = end - 1
			default:
				lastComma = -1
			}
			continue // a comment is not significant
		case ',':
			// A comma after an opening bracket or another comma is an
			// error that stays one.
			if lastComma < 0 && prev != '[' && prev != '{' && prev != ',' {
				lastComma = i
			} else {
				lastComma = -1
			}
		case '}', ']':
			if lastComma >= 0 {
				blank(lastComma, lastComma+1)
			}
			lastComma = -1
		case ' ', '\t', '\n', '\r':
			continue
		default:
			lastComma = -1
		}
		prev = c
	}
	return orData(out, data)
}

func orData(out, data []byte) []byte {
	if out == nil {
		return data
	}
	return out
}

// stringEnd returns the offset of the quote that closes the string opened
// at data[start], or the last offset when it is not closed.
func stringEnd(data []byte, start int) int {
	for i := start + 1; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return len(data) - 1
}
