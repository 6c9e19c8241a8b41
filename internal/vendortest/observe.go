// The recording Observer the vendor packages' tests give their clients
// (WithObserver): one recorder for all six, so that each test asserts on
// the same record of what a client reported.
package vendortest

import (
	"context"
	"sync"

	"github.com/creatorkit/creatorkit-go"
)

// Start is one StartCall: the call's id (from 1, in the order the calls
// started), the id and operation of the call it started inside (0 and
// "": none) and what it named.
type Start struct {
	ID, Parent int
	ParentOp   string
	Info       creatorkit.CallInfo
}

// End is one EndCall, with the operation of the call it ran inside (""
// at the top).
type End struct {
	ParentOp string
	Event    creatorkit.CallEvent
}

// Recorder is a creatorkit.Observer that keeps every event, in order, and
// which call each one belongs to: StartCall puts the call's id in the
// context it returns, so the calls a wait or a roster makes name it as
// their parent. It is safe for concurrent use; its methods return copies.
type Recorder struct {
	mu        sync.Mutex
	starts    []Start
	attempts  []creatorkit.AttemptEvent
	attemptIn []int // the call id of each attempt
	ends      []creatorkit.CallEvent
	endOf     []int // the call id of each end
	events    []any // every CallInfo, AttemptEvent and CallEvent, in order
}

// callKey carries the id of the observed call a context belongs to.
type callKey struct{}

// StartCall records c and returns a context that carries its id.
func (r *Recorder) StartCall(ctx context.Context, c creatorkit.CallInfo) context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	parent, _ := ctx.Value(callKey{}).(int)
	id := len(r.starts) + 1
	r.starts = append(r.starts, Start{ID: id, Parent: parent, ParentOp: r.op(parent), Info: c})
	r.events = append(r.events, c)
	return context.WithValue(ctx, callKey{}, id)
}

// EndAttempt records a under the call of ctx.
func (r *Recorder) EndAttempt(ctx context.Context, a creatorkit.AttemptEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	id, _ := ctx.Value(callKey{}).(int)
	r.attempts = append(r.attempts, a)
	r.attemptIn = append(r.attemptIn, id)
	r.events = append(r.events, a)
}

// EndCall records c under the call of ctx.
func (r *Recorder) EndCall(ctx context.Context, c creatorkit.CallEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	id, _ := ctx.Value(callKey{}).(int)
	r.ends = append(r.ends, c)
	r.endOf = append(r.endOf, id)
	r.events = append(r.events, c)
}

// Started returns every StartCall, in order, with the calls' ids.
func (r *Recorder) Started() []Start {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Start(nil), r.starts...)
}

// Starts returns what every StartCall named, in order.
func (r *Recorder) Starts() []creatorkit.CallInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]creatorkit.CallInfo, len(r.starts))
	for i, s := range r.starts {
		out[i] = s.Info
	}
	return out
}

// Attempts returns every EndAttempt, in order.
func (r *Recorder) Attempts() []creatorkit.AttemptEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]creatorkit.AttemptEvent(nil), r.attempts...)
}

// Ends returns every EndCall, in order.
func (r *Recorder) Ends() []creatorkit.CallEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]creatorkit.CallEvent(nil), r.ends...)
}

// EndsByID returns each ended call's EndCall by the call's id (the last
// one, were a call to end twice).
func (r *Recorder) EndsByID() map[int]creatorkit.CallEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[int]creatorkit.CallEvent, len(r.ends))
	for i, e := range r.ends {
		out[r.endOf[i]] = e
	}
	return out
}

// Calls returns the EndCall of every ended call of op, in order.
func (r *Recorder) Calls(op string) []creatorkit.CallEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []creatorkit.CallEvent
	for _, e := range r.ends {
		if e.Operation == op {
			out = append(out, e)
		}
	}
	return out
}

// StartsOf returns every StartCall of op, in order.
func (r *Recorder) StartsOf(op string) []Start {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Start
	for _, s := range r.starts {
		if s.Info.Operation == op {
			out = append(out, s)
		}
	}
	return out
}

// Events returns every CallInfo, AttemptEvent and CallEvent, in the order
// the observer got them.
func (r *Recorder) Events() []any {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]any(nil), r.events...)
}

// op returns the operation of call id, "" for 0 (no call). Callers hold
// r.mu.
func (r *Recorder) op(id int) string {
	if id < 1 || id > len(r.starts) {
		return ""
	}
	return r.starts[id-1].Info.Operation
}

// EndsIn returns every EndCall, in order, with the operation of the call
// each ran inside: what a test keys the calls made inside waits and
// rosters by.
func (r *Recorder) EndsIn() []End {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]End, len(r.ends))
	for i, e := range r.ends {
		out[i] = End{Event: e}
		if id := r.endOf[i]; id >= 1 && id <= len(r.starts) {
			out[i].ParentOp = r.starts[id-1].ParentOp
		}
	}
	return out
}

// Texts returns every string in the recorded events (Strings):
// those of the starts, then the attempts', then the ends'.
func (r *Recorder) Texts() []string {
	var texts []string
	for _, s := range r.Starts() {
		texts = append(texts, Strings(s)...)
	}
	for _, a := range r.Attempts() {
		texts = append(texts, Strings(a)...)
	}
	for _, e := range r.Ends() {
		texts = append(texts, Strings(e)...)
	}
	return texts
}
