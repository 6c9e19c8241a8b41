package redact

import "bytes"

// needle is a string Holds looks for, with the position of its byte least
// likely in a JSON body: the search jumps between occurrences of that byte
// (bytes.IndexByte, vectorized) instead of comparing at every position.
type needle struct {
	s    string
	rare int
}

// newNeedle picks s's rarest byte by jsonFreq.
func newNeedle(s string) needle {
	n := needle{s: s}
	for i := 1; i < len(s); i++ {
		if jsonFreq(s[i]) < jsonFreq(s[n.rare]) {
			n.rare = i
		}
	}
	return n
}

// in reports whether n occurs in b. When the rare byte turns out common
// in b (more than one candidate in 32 bytes), it leaves the rest of b to
// bytes.Index.
func (n needle) in(b []byte) bool {
	c, tries := n.s[n.rare], 0
	for i := n.rare; i < len(b); {
		j := bytes.IndexByte(b[i:], c)
		if j < 0 {
			return false
		}
		j += i
		if start := j - n.rare; start+len(n.s) <= len(b) && string(b[start:start+len(n.s)]) == n.s {
			return true
		}
		if tries++; tries > 8 && tries*32 > j {
			return bytes.Contains(b[j+1-n.rare:], []byte(n.s))
		}
		i = j + 1
	}
	return false
}

// jsonFreq ranks how common a byte is in JSON answers: lower is rarer.
func jsonFreq(c byte) int {
	switch {
	case c >= 'a' && c <= 'z', c == '"', c == ' ', c == ':', c == ',':
		return 4
	case c >= '0' && c <= '9', c == '.', c == '_', c == '-', c == '/':
		return 3
	case c >= 'A' && c <= 'Z':
		return 2
	}
	return 1
}
