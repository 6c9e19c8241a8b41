package firstparty

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"
	"time"
)

// stateBytes is the entropy of NewState: 256 bits.
const stateBytes = 32

// NewState returns a fresh, unguessable state: 32 bytes from crypto/rand,
// base64url-encoded without padding (43 characters, safe in a URL).
func NewState() string {
	b := make([]byte, stateBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (it crashes the program instead)
	return base64.RawURLEncoding.EncodeToString(b)
}

// IssuedState is a state handed out with a verification URL, remembered
// until the creator comes back.
type IssuedState struct {
	// State is the value itself.
	State string
	// Platform is the network the creator was sent to connect.
	Platform Platform
	// Data is the caller's own value bound to the state (a user or session
	// id, a return path), given in StartParams and handed back with the
	// callback. It stays on your side: it is never sent to Ylytic.
	Data string
	// Session is the browser session the state was issued to (empty when
	// the flow does not bind states to sessions).
	Session string
	// Issued and Expires bound the state's life.
	Issued, Expires time.Time
}

// StateStore remembers issued states until their callback arrives. The
// default is an in-memory store (NewMemoryStateStore), which is right for
// one process; back it with your database or cache when several processes
// serve the callback. Implementations must be safe for concurrent use.
type StateStore interface {
	// Save records an issued state.
	Save(ctx context.Context, s IssuedState) error
	// Consume removes the state and returns what was saved. found is false
	// when the state was never saved or was already consumed. It must be
	// atomic: of two concurrent calls with the same state, at most one
	// finds it (this is what makes a state single-use). Expiry is checked
	// by the caller; a store may also drop expired states on its own.
	Consume(ctx context.Context, state string) (s IssuedState, found bool, err error)
}

// MemoryStateStore is the default StateStore: a map in memory, keyed by
// the SHA-256 of each state so that a lookup's timing reveals nothing
// about the states it holds. Expired states are swept as new ones are
// saved, and the store refuses new states beyond its capacity rather than
// grow without bound.
type MemoryStateStore struct {
	mu      sync.Mutex
	states  map[[sha256.Size]byte]IssuedState
	max     int
	now     func() time.Time
	lastGC  time.Time
	gcEvery time.Duration
}

// DefaultMaxStates is the capacity of a MemoryStateStore made with
// NewMemoryStateStore(0).
const DefaultMaxStates = 100_000

// ErrStoreFull is returned by MemoryStateStore.Save when it holds its
// capacity of unexpired states.
var ErrStoreFull = errors.New("firstparty: state store is full")

// NewMemoryStateStore returns an in-memory store holding at most maxStates
// unexpired states (DefaultMaxStates when maxStates <= 0).
func NewMemoryStateStore(maxStates int) *MemoryStateStore {
	if maxStates <= 0 {
		maxStates = DefaultMaxStates
	}
	return &MemoryStateStore{states: map[[sha256.Size]byte]IssuedState{}, max: maxStates, now: time.Now, gcEvery: time.Minute}
}

// Save implements StateStore.
func (m *MemoryStateStore) Save(_ context.Context, s IssuedState) error {
	key := sha256.Sum256([]byte(s.State))
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if len(m.states) >= m.max || now.Sub(m.lastGC) >= m.gcEvery {
		m.sweep(now)
	}
	if len(m.states) >= m.max {
		return fmt.Errorf("%w (%d states)", ErrStoreFull, m.max)
	}
	m.states[key] = s
	return nil
}

// Consume implements StateStore. The stored state is compared with the
// presented one in constant time, on top of the hashed lookup.
func (m *MemoryStateStore) Consume(_ context.Context, state string) (IssuedState, bool, error) {
	key := sha256.Sum256([]byte(state))
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.states[key]
	if !ok || subtle.ConstantTimeCompare([]byte(s.State), []byte(state)) != 1 {
		return IssuedState{}, false, nil
	}
	delete(m.states, key)
	return s, true, nil
}

// Len returns how many states the store holds (expired ones included until
// they are swept).
func (m *MemoryStateStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.states)
}

// sweep drops expired states. Callers hold m.mu.
func (m *MemoryStateStore) sweep(now time.Time) {
	for k, s := range m.states {
		if !s.Expires.IsZero() && !now.Before(s.Expires) {
			delete(m.states, k)
		}
	}
	m.lastGC = now
}
