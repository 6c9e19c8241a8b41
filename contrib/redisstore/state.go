package redisstore

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/redis/go-redis/v9"
)

// MaxStateTTL is the life in Redis of a state saved without an expiry
// (IssuedState.Expires zero), which a ConnectFlow never does.
const MaxStateTTL = 24 * time.Hour

// StateStore is a firstparty.StateStore kept in Redis, so that a consent
// flow started on one replica (/connect) can be completed on another
// (/callback). Give every replica the same prefix:
//
//	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379"})
//	store, err := redisstore.NewStateStore(rdb, "myapp")
//	flow, err := firstparty.NewConnectFlow(c, firstparty.ConnectConfig{RedirectURL: ..., Store: store})
//
// Save writes the state with its expiry as the key's TTL. Consume reads
// and deletes it in one GETDEL, so of two replicas given the same callback
// at once at most one finds the state.
//
// Nothing in Redis reveals a state or what was bound to it: the key is
// "<prefix>:fpstate:" and the hex SHA-256 of the state, and the value (the
// connector, your Data, the browser Session, the issue and expiry times)
// is sealed with AES-256-GCM under a key derived from the state itself
// (HKDF-SHA-256), bound to its Redis key. The state is 256 random bits
// that only the creator's browser carries, so reading Redis (a replica, a
// backup, a dump) yields neither the states nor your sessions; and a value
// moved to another key does not open.
//
// When Redis fails, Save and Consume return an *UnavailableError
// (errors.Is(err, ErrRedisUnavailable)): Start then fails, and the flow
// refuses the callback (Complete returns the error and calls nothing at
// Ylytic). A state Redis consumed but whose answer was lost is gone: the
// creator starts again. A StateStore is safe for concurrent use.
type StateStore struct {
	rdb    redis.UniversalClient
	prefix string
	cfg    config
	now    func() time.Time
}

var _ firstparty.StateStore = (*StateStore)(nil)

// NewStateStore returns a store whose keys start with prefix and a colon.
// It accepts WithCallTimeout.
func NewStateStore(rdb redis.UniversalClient, prefix string, opts ...Option) (*StateStore, error) {
	if err := checkPrefix("NewStateStore", rdb, prefix); err != nil {
		return nil, err
	}
	cfg := defaults()
	if err := cfg.apply(forStore, opts); err != nil {
		return nil, err
	}
	return &StateStore{rdb: rdb, prefix: prefix, cfg: cfg, now: time.Now}, nil
}

// checkPrefix refuses a nil client and a blank prefix or one with spaces
// or control characters.
func checkPrefix(op string, rdb redis.UniversalClient, prefix string) error {
	if rdb == nil {
		return fmt.Errorf("redisstore: %s: the Redis client is nil", op)
	}
	if strings.TrimSpace(prefix) == "" {
		return fmt.Errorf("redisstore: %s: the key prefix is blank", op)
	}
	if strings.ContainsFunc(prefix, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return fmt.Errorf("redisstore: %s: the key prefix %q holds a space or a control character", op, prefix)
	}
	return nil
}

// Key returns the Redis key a state is kept under.
func (s *StateStore) Key(state string) string {
	sum := sha256.Sum256([]byte(state))
	return s.prefix + ":fpstate:" + hex.EncodeToString(sum[:])
}

// sealed is what the value holds once opened. The state itself is not in
// it: Consume is given it.
type sealed struct {
	Connector firstparty.Platform `json:"c,omitempty"`
	Data      string              `json:"d,omitempty"`
	Session   string              `json:"s,omitempty"`
	Issued    time.Time           `json:"i"`
	Expires   time.Time           `json:"e"`
}

// sealVersion is the first byte of every value.
const sealVersion = 1

// hkdfInfo separates the value key from any other use of the state.
const hkdfInfo = "creatorkit-go/contrib/redisstore: First Party IssuedState v1"

func stateAEAD(state string) (cipher.AEAD, error) {
	key, err := hkdf.Key(sha256.New, []byte(state), nil, hkdfInfo, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Save implements firstparty.StateStore: the state is kept until its
// Expires, measured on this process's clock, and at most MaxStateTTL. A
// state already expired is not written: its callback will be refused.
// Saving a state again (as Complete does when Ylytic did not answer in
// time) replaces it.
func (s *StateStore) Save(ctx context.Context, st firstparty.IssuedState) error {
	ttl := MaxStateTTL
	if !st.Expires.IsZero() {
		ttl = min(st.Expires.Sub(s.now()), MaxStateTTL)
	}
	if ttl < time.Millisecond {
		return nil
	}
	key := s.Key(st.State)
	plain, err := json.Marshal(sealed{Connector: st.Platform, Data: st.Data, Session: st.Session, Issued: st.Issued, Expires: st.Expires})
	if err != nil {
		return fmt.Errorf("redisstore: saving a consent state: %w", err)
	}
	aead, err := stateAEAD(st.State)
	if err != nil {
		return fmt.Errorf("redisstore: saving a consent state: %w", err)
	}
	val := make([]byte, 1+aead.NonceSize(), 1+aead.NonceSize()+len(plain)+aead.Overhead())
	val[0] = sealVersion
	_, _ = rand.Read(val[1:]) // crypto/rand.Read never fails
	val = aead.Seal(val, val[1:], plain, []byte(key))
	ctx, cancel := context.WithTimeout(ctx, s.cfg.callTimeout)
	defer cancel()
	if err := s.rdb.Set(ctx, key, val, ttl).Err(); err != nil {
		return &UnavailableError{Op: "saving a consent state", Consequence: "the flow is not started", Err: err}
	}
	return nil
}

// Consume implements firstparty.StateStore: it reads and deletes the
// state in one GETDEL (Redis 6.2 or later) and opens the value. found is
// false when Redis holds no such state (never issued, used, or past its
// TTL). A Redis failure is an *UnavailableError and a value that does not
// open is ErrCorruptState: either way the callback is refused.
func (s *StateStore) Consume(ctx context.Context, state string) (firstparty.IssuedState, bool, error) {
	key := s.Key(state)
	ctx, cancel := context.WithTimeout(ctx, s.cfg.callTimeout)
	defer cancel()
	val, err := s.rdb.GetDel(ctx, key).Bytes()
	if errors.Is(err, redis.Nil) {
		return firstparty.IssuedState{}, false, nil
	}
	if err != nil {
		return firstparty.IssuedState{}, false, &UnavailableError{Op: "consuming a consent state", Consequence: "the callback cannot be checked and is refused", Err: err}
	}
	aead, err := stateAEAD(state)
	if err != nil {
		return firstparty.IssuedState{}, false, fmt.Errorf("redisstore: consuming a consent state: %w", err)
	}
	n := 1 + aead.NonceSize()
	if len(val) < n || val[0] != sealVersion {
		return firstparty.IssuedState{}, false, ErrCorruptState
	}
	plain, err := aead.Open(nil, val[1:n], val[n:], []byte(key))
	if err != nil {
		return firstparty.IssuedState{}, false, ErrCorruptState
	}
	var v sealed
	if err := json.Unmarshal(plain, &v); err != nil {
		return firstparty.IssuedState{}, false, ErrCorruptState
	}
	return firstparty.IssuedState{State: state, Platform: v.Connector, Data: v.Data, Session: v.Session, Issued: v.Issued, Expires: v.Expires}, true, nil
}
