package fake

// TextIndex finds the records whose text contains a string without
// looking at every record: it lists, for each three-byte sequence, the
// records whose text holds it. The records holding the needle are among
// those listed under the needle's rarest three-byte sequence; a caller
// checks each of those candidates (strings.Contains) and scans everything
// only for needles shorter than three bytes. The zero value is ready to
// use; it is not safe for concurrent use (fakes hold their lock).
type TextIndex[T comparable] struct {
	grams map[uint32][]T
}

// gram packs the three bytes at t[i:] into a key.
func gram(t string, i int) uint32 { return uint32(t[i])<<16 | uint32(t[i+1])<<8 | uint32(t[i+2]) }

// Add indexes x under every three-byte sequence of its texts, which must
// be exactly what a search compares the needle with (lower-cased, as a
// rule). Indexing x again under other texts (a rename) adds it under
// those; entries are never removed, so candidates can be records since
// deleted or renamed, or appear twice.
func (ix *TextIndex[T]) Add(x T, texts ...string) {
	if ix.grams == nil {
		ix.grams = map[uint32][]T{}
	}
	var buf [64]uint32 // the sequences indexed so far (a short text needs no map)
	seen := buf[:0]
	var seenMap map[uint32]bool
	for _, t := range texts {
		for i := 0; i+3 <= len(t); i++ {
			g := gram(t, i)
			if seenMap != nil {
				if seenMap[g] {
					continue
				}
				seenMap[g] = true
			} else {
				if contains32(seen, g) {
					continue
				}
				if len(seen) == cap(seen) {
					seenMap = map[uint32]bool{g: true}
					for _, s := range seen {
						seenMap[s] = true
					}
				} else {
					seen = append(seen, g)
				}
			}
			ix.grams[g] = append(ix.grams[g], x)
		}
	}
}

func contains32(list []uint32, v uint32) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Candidates returns the records indexed under the rarest three-byte
// sequence of needle, in the order they were added; ok is false for a
// needle shorter than three bytes, which the caller must search by
// scanning. The slice must not be changed.
func (ix *TextIndex[T]) Candidates(needle string) (list []T, ok bool) {
	if len(needle) < 3 {
		return nil, false
	}
	for i := 0; i+3 <= len(needle); i++ {
		l := ix.grams[gram(needle, i)]
		if i == 0 || len(l) < len(list) {
			list = l
		}
		if len(list) == 0 {
			break
		}
	}
	return list, true
}
