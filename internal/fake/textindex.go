package fake

import "slices"

// TextIndex finds the records whose text contains a string without
// looking at every record: it lists, for each three-byte sequence, the
// records whose text holds it. The records holding the needle are among
// those listed under the needle's rarest three-byte sequence; a caller
// checks each of those candidates (strings.Contains) and scans everything
// only for needles shorter than three bytes. The zero value is ready to
// use; it is not safe for concurrent use (fakes hold their lock).
type TextIndex[T comparable] struct {
	grams map[string][]T
}

// Add indexes x under every three-byte sequence of its texts, which must
// be exactly what a search compares the needle with (lower-cased, as a
// rule). Indexing x again under other texts (a rename) adds it under
// those; entries are never removed, so candidates can be records since
// deleted or renamed, or appear twice.
func (ix *TextIndex[T]) Add(x T, texts ...string) {
	if ix.grams == nil {
		ix.grams = map[string][]T{}
	}
	var buf [64]string // the sequences indexed so far (a short text needs no map)
	seen := buf[:0]
	var seenMap map[string]bool
	for _, t := range texts {
		for i := 0; i+3 <= len(t); i++ {
			g := t[i : i+3]
			if seenMap != nil {
				if seenMap[g] {
					continue
				}
				seenMap[g] = true
			} else {
				if slices.Contains(seen, g) {
					continue
				}
				if len(seen) == cap(seen) {
					seenMap = map[string]bool{}
					for _, s := range seen {
						seenMap[s] = true
					}
					seenMap[g] = true
				} else {
					seen = append(seen, g)
				}
			}
			ix.grams[g] = append(ix.grams[g], x)
		}
	}
}

// Candidates returns the records indexed under the rarest three-byte
// sequence of needle, in the order they were added; ok is false for a
// needle shorter than three bytes, which the caller must search by
// scanning. The slice must not be changed.
func (ix *TextIndex[T]) Candidates(needle string) (list []T, ok bool) {
	if len(needle) < 3 {
		return nil, false
	}
	best := -1
	for i := 0; i+3 <= len(needle); i++ {
		l := ix.grams[needle[i:i+3]]
		if best < 0 || len(l) < len(list) {
			list, best = l, i
		}
		if len(list) == 0 {
			break
		}
	}
	return list, true
}
