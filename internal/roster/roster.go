// Package roster is the bookkeeping every roster (...AndWaitAll) shares,
// written once: one answer per input, tied to it; blanks and invalid
// inputs answered at once; duplicates answered with their item's one
// result; progress counts; and answering everything not yet answered when
// the run must stop (the context ended, the budget is spent).
//
// The vendor package keeps what is its own: how to submit, check and
// fetch its items. It works on the distinct items (Keys) and reports each
// outcome once (Done); the book turns it into one creatorkit.Answer per
// input, in the order outcomes arrive.
package roster

import (
	"errors"

	"github.com/creatorkit/creatorkit-go"
)

// Book tracks one roster run. It is not safe for concurrent use: a
// roster runs on its caller's goroutine.
type Book[T any] struct {
	vendor, op string
	inputs     []string
	keyOf      []string         // per input: its item's key; "" when invalid
	byKey      map[string][]int // key -> the inputs standing for it
	keys       []string         // distinct keys, in order of first input
	answered   map[string]bool
	yield      func(creatorkit.Answer[T], error) bool
	stopped    bool

	succeeded, failed int // inputs answered each way
}

// New reads the inputs once: key normalizes an input to its item's key,
// or says why it is not one (a blank, an invalid handle). yield is the
// roster's consumer; the book calls it once per input.
func New[T any](vendor, op string, inputs []string, key func(input string) (string, error),
	yield func(creatorkit.Answer[T], error) bool) (*Book[T], []error) {
	b := &Book[T]{vendor: vendor, op: op, inputs: inputs, keyOf: make([]string, len(inputs)),
		byKey: map[string][]int{}, answered: map[string]bool{}, yield: yield}
	invalid := make([]error, len(inputs))
	for i, in := range inputs {
		k, err := key(in)
		if err == nil && k == "" {
			err = errors.New("blank input")
		}
		if err != nil {
			invalid[i] = err
			continue
		}
		if _, seen := b.byKey[k]; !seen {
			b.keys = append(b.keys, k)
		}
		b.keyOf[i] = k
		b.byKey[k] = append(b.byKey[k], i)
	}
	return b, invalid
}

// Refuse answers the inputs New found invalid, in input order, each with
// an *ItemError whose reason says why (nothing is sent for them). It
// returns false when the consumer stopped.
func (b *Book[T]) Refuse(invalid []error, reason func(input string, err error) string) bool {
	var zero T
	for i, err := range invalid {
		if err == nil {
			continue
		}
		ie := &creatorkit.ItemError{Vendor: b.vendor, Index: i, Input: b.inputs[i], Reason: reason(b.inputs[i], err), Err: err}
		b.failed++
		if !b.emit(i, zero, ie) {
			return false
		}
	}
	return true
}

// Keys returns the distinct items, in the order of their first input.
func (b *Book[T]) Keys() []string { return b.keys }

// Inputs returns the inputs standing for key, as given.
func (b *Book[T]) Inputs(key string) []string {
	out := make([]string, 0, len(b.byKey[key]))
	for _, i := range b.byKey[key] {
		out = append(out, b.inputs[i])
	}
	return out
}

// Answered reports whether key has its answer.
func (b *Book[T]) Answered(key string) bool { return b.answered[key] }

// Done answers every input standing for key with v and err (nil for a
// result; otherwise the item's *ItemError, or any error, which the book
// wraps in one). A key is answered once; a second Done is ignored. It
// returns false when the consumer stopped (then the run should end).
func (b *Book[T]) Done(key string, v T, err error) bool {
	if b.stopped || b.answered[key] {
		return !b.stopped
	}
	b.answered[key] = true
	for _, i := range b.byKey[key] {
		var ierr error
		if err != nil {
			ierr = b.itemError(i, key, err)
			b.failed++
		} else {
			b.succeeded++
		}
		if !b.emit(i, v, ierr) {
			return false
		}
	}
	return true
}

// FailRest answers every key not yet answered, in key order, with the
// error mk returns for it (the context's end as a *TimeoutError, the
// budget spent). It returns false when the consumer stopped.
func (b *Book[T]) FailRest(mk func(key string) (T, error)) bool {
	for _, k := range b.keys {
		if b.answered[k] {
			continue
		}
		v, err := mk(k)
		if !b.Done(k, v, err) {
			return false
		}
	}
	return true
}

// Stopped reports whether the consumer stopped the run.
func (b *Book[T]) Stopped() bool { return b.stopped }

// Counts returns how many inputs there are, how many still wait for their
// answer, and how many were answered with a result and without one.
func (b *Book[T]) Counts() (total, pending, succeeded, failed int) {
	total = len(b.inputs)
	return total, total - b.succeeded - b.failed, b.succeeded, b.failed
}

// Pending returns the keys not answered yet.
func (b *Book[T]) Pending() []string {
	var out []string
	for _, k := range b.keys {
		if !b.answered[k] {
			out = append(out, k)
		}
	}
	return out
}

func (b *Book[T]) emit(i int, v T, err error) bool {
	if b.stopped {
		return false
	}
	if !b.yield(creatorkit.Answer[T]{Index: i, Input: b.inputs[i], Value: v}, err) {
		b.stopped = true
	}
	return !b.stopped
}

// itemError ties err to input i: a copy of the item's *ItemError with the
// input's Index and Input, or a new one around any other error.
func (b *Book[T]) itemError(i int, key string, err error) *creatorkit.ItemError {
	var ie *creatorkit.ItemError
	if errors.As(err, &ie) {
		cp := *ie
		cp.Index, cp.Input = i, b.inputs[i]
		if cp.Vendor == "" {
			cp.Vendor = b.vendor
		}
		if cp.Item == "" {
			cp.Item = key
		}
		if cp.Reason == "" {
			cp.Reason = "no result"
		}
		return &cp
	}
	return &creatorkit.ItemError{Vendor: b.vendor, Index: i, Input: b.inputs[i], Item: key, Reason: err.Error(), Err: err}
}
