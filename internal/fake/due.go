package fake

import (
	"container/heap"
	"time"
)

// Due holds items that fall due at a time (an audit that ends, a report
// that is generated, a scrape that comes), so that a fake settles what has
// become due in O(log n) an item instead of scanning everything it ever
// created on every request. The zero value is ready to use; it is not
// safe for concurrent use (fakes hold their lock).
type Due[T any] struct {
	h   dueHeap[T]
	seq uint64
}

// Add schedules v at at.
func (d *Due[T]) Add(at time.Time, v T) {
	d.seq++
	heap.Push(&d.h, dueItem[T]{at: at, seq: d.seq, v: v})
}

// Pop removes and returns every item due at or before now, earliest
// first (items due at the same time in the order they were added).
func (d *Due[T]) Pop(now time.Time) []T {
	var out []T
	for len(d.h) > 0 && !d.h[0].at.After(now) {
		out = append(out, heap.Pop(&d.h).(dueItem[T]).v)
	}
	return out
}

// Len returns how many items are not due yet (or not popped).
func (d *Due[T]) Len() int { return len(d.h) }

type dueItem[T any] struct {
	at  time.Time
	seq uint64
	v   T
}

// dueHeap is a container/heap.Interface ordered by time, then by seq.
type dueHeap[T any] []dueItem[T]

// Len is the number of items.
func (h dueHeap[T]) Len() int { return len(h) }

// Less orders by time, then by the order items were added.
func (h dueHeap[T]) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].seq < h[j].seq
}

// Swap swaps two items.
func (h dueHeap[T]) Swap(i, j int) { h[i], h[j] = h[j], h[i] }

// Push adds an item (container/heap calls it).
func (h *dueHeap[T]) Push(x any) { *h = append(*h, x.(dueItem[T])) }

// Pop removes the last item (container/heap calls it).
func (h *dueHeap[T]) Pop() any {
	old := *h
	it := old[len(old)-1]
	var zero dueItem[T]
	old[len(old)-1] = zero
	*h = old[:len(old)-1]
	return it
}
