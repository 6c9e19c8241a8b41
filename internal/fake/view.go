package fake

import (
	"fmt"
	"slices"
	"sync/atomic"
)

// A View is one query's answer over a fake's records: the records its
// filter matches, in its order. A fake builds a view once per query (one
// scan and one sort), cuts every page from it in O(page), and keeps it up
// to date as records come, go and change (Add, Remove) instead of
// scanning and sorting its whole dataset on every request.
//
// The order must be total (ties broken by a unique sequence or id): then
// a view kept up to date holds exactly what a fresh scan and a stable
// sort would. Records are kept in a buffer with room at both ends, so
// records that sort first or last (the newest, in most orders) are added
// in O(1) and others in O(distance to the nearer end).
//
// A View is not safe for concurrent use: fakes hold their lock.
type View[T comparable] struct {
	match  func(T) bool
	cmp    func(a, b T) int
	buf    []T
	lo, hi int
	shared bool // buf[lo:hi] was handed out by Items: copy before changing
	gen    uint64
	memo   any
	memoOf uint64
}

// NewView builds the view of the records all yields: those match accepts
// (nil accepts all), sorted by cmp.
func NewView[T comparable](match func(T) bool, cmp func(a, b T) int, all func(yield func(T) bool)) *View[T] {
	v := &View[T]{match: match, cmp: cmp}
	type entry struct {
		x T
		i int
	}
	var entries []entry
	all(func(x T) bool {
		if match == nil || match(x) {
			entries = append(entries, entry{x, len(entries)})
		}
		return true
	})
	// A stable sort, as fast as an unstable one: ties keep their order.
	slices.SortFunc(entries, func(a, b entry) int {
		if c := cmp(a.x, b.x); c != 0 {
			return c
		}
		return a.i - b.i
	})
	items := make([]T, len(entries))
	for i, e := range entries {
		items[i] = e.x
	}
	v.buf, v.hi = items, len(items)
	return v
}

// Len returns how many records the view holds.
func (v *View[T]) Len() int { return v.hi - v.lo }

// At returns the i-th record in the view's order.
func (v *View[T]) At(i int) T { return v.buf[v.lo+i] }

// Items returns the records in order. The slice stays as it is when the
// view changes later (the view copies its records first), so a cursor can
// keep it as a point-in-time answer.
func (v *View[T]) Items() []T {
	v.shared = true
	return v.buf[v.lo:v.hi:v.hi]
}

// Gen counts the view's changes.
func (v *View[T]) Gen() uint64 { return v.gen }

// Memo returns what fn derives from the view's records (a newest item, a
// total), computing it again only after the view changed.
func (v *View[T]) Memo(fn func() any) any {
	if v.memo == nil || v.memoOf != v.gen {
		v.memo, v.memoOf = fn(), v.gen
	}
	return v.memo
}

// Add inserts x in order if the filter accepts it (after records that
// compare equal). It reports whether it did.
func (v *View[T]) Add(x T) bool {
	if v.match != nil && !v.match(x) {
		return false
	}
	n := v.Len()
	i, j := 0, n // first position whose record sorts after x
	for i < j {
		h := int(uint(i+j) >> 1)
		if v.cmp(v.At(h), x) <= 0 {
			i = h + 1
		} else {
			j = h
		}
	}
	v.insert(i, x)
	return true
}

// Remove takes x out of the view, if it is there. Call it before changing
// anything the view's order reads, and Add after.
func (v *View[T]) Remove(x T) bool {
	n := v.Len()
	i, j := 0, n // first position whose record does not sort before x
	for i < j {
		h := int(uint(i+j) >> 1)
		if v.cmp(v.At(h), x) < 0 {
			i = h + 1
		} else {
			j = h
		}
	}
	for ; i < n && v.cmp(v.At(i), x) == 0; i++ {
		if v.At(i) == x {
			v.delete(i)
			return true
		}
	}
	return false
}

// own makes the buffer the view's own again after Items handed it out.
func (v *View[T]) own() {
	v.gen++
	if v.shared {
		v.regrow(0)
	}
}

// regrow moves the records to a new buffer with room at both ends.
func (v *View[T]) regrow(extra int) {
	n := v.Len()
	size := max(16, 2*(n+extra))
	buf := make([]T, size)
	lo := (size - n) / 2
	copy(buf[lo:], v.buf[v.lo:v.hi])
	v.buf, v.lo, v.hi, v.shared = buf, lo, lo+n, false
}

func (v *View[T]) insert(i int, x T) {
	v.own()
	n := v.Len()
	if i < n/2 {
		if v.lo == 0 {
			v.regrow(1)
		}
		copy(v.buf[v.lo-1:], v.buf[v.lo:v.lo+i])
		v.lo--
	} else {
		if v.hi == len(v.buf) {
			v.regrow(1)
		}
		copy(v.buf[v.lo+i+1:v.hi+1], v.buf[v.lo+i:v.hi])
		v.hi++
	}
	v.buf[v.lo+i] = x
}

func (v *View[T]) delete(i int) {
	v.own()
	var zero T
	if i < v.Len()/2 {
		copy(v.buf[v.lo+1:v.lo+i+1], v.buf[v.lo:v.lo+i])
		v.buf[v.lo] = zero
		v.lo++
	} else {
		copy(v.buf[v.lo+i:v.hi-1], v.buf[v.lo+i+1:v.hi])
		v.buf[v.hi-1] = zero
		v.hi--
	}
}

// Views caches a fake's views of one kind of record by query, the least
// recently used going first past Max, and passes every record that
// comes, goes or changes on to all of them. The zero value is ready to
// use; it is not safe for concurrent use (fakes hold their lock).
type Views[T comparable] struct {
	// Max is how many views are kept (default 16).
	Max int

	m    map[string]*cached[T]
	tick uint64
}

type cached[T comparable] struct {
	v    *View[T]
	used uint64
}

// Get returns the view cached under key, building it first when there is
// none.
func (vs *Views[T]) Get(key string, build func() *View[T]) *View[T] {
	vs.tick++
	if c := vs.m[key]; c != nil {
		c.used = vs.tick
		if checking.Load() {
			check(key, c.v, build())
		}
		return c.v
	}
	if vs.m == nil {
		vs.m = map[string]*cached[T]{}
	}
	limit := vs.Max
	if limit <= 0 {
		limit = 16
	}
	for len(vs.m) >= limit {
		oldest := ""
		for k, c := range vs.m {
			if oldest == "" || c.used < vs.m[oldest].used {
				oldest = k
			}
		}
		delete(vs.m, oldest)
	}
	v := build()
	vs.m[key] = &cached[T]{v: v, used: vs.tick}
	return v
}

// Add offers x to every view (each keeps it if its filter accepts it).
func (vs *Views[T]) Add(x T) {
	for _, c := range vs.m {
		c.v.Add(x)
	}
}

// Remove takes x out of every view.
func (vs *Views[T]) Remove(x T) {
	for _, c := range vs.m {
		c.v.Remove(x)
	}
}

// Change takes x out of every view, runs change (which may change what
// the filters and orders read of x) and offers x again.
func (vs *Views[T]) Change(x T, change func()) {
	vs.Remove(x)
	change()
	vs.Add(x)
}

// Reset drops every view.
func (vs *Views[T]) Reset() { vs.m = nil }

var checking atomic.Bool

// CheckViews makes every cached view be compared, on each use, with a
// fresh scan of the records; a difference panics. Tests turn it on to
// prove that the fakes keep their views up to date; it makes every list
// request O(dataset) again, so nothing else should.
func CheckViews(on bool) { checking.Store(on) }

func check[T comparable](key string, got, want *View[T]) {
	if got.Len() != want.Len() {
		panic(fmt.Sprintf("fake: view %q holds %d records, a fresh scan finds %d", key, got.Len(), want.Len()))
	}
	for i := 0; i < got.Len(); i++ {
		if got.At(i) != want.At(i) {
			panic(fmt.Sprintf("fake: view %q differs from a fresh scan at position %d of %d", key, i, got.Len()))
		}
	}
}
