package redisstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// Stream is the webhook fan-in: a Redis stream every replica appends the
// verified webhook events it receives to (WebhookHandler), and from which
// consumers hand them to the process that waits for them (NewConsumer,
// Consumer.Run). Give every replica and worker the same prefix. A Stream
// is safe for concurrent use.
type Stream struct {
	rdb    redis.UniversalClient
	prefix string
	key    string
	cfg    config
	health health
}

// Event is one webhook event as a Stream keeps it.
type Event struct {
	// Source names the vendor: SourceFirstParty, SourceEngageCheck, or a
	// name of your own.
	Source string
	// Key identifies the vendor's event, so that a repeat of it within the
	// dedupe window is not appended again; "" when the vendor gives
	// nothing that identifies it (every delivery is then appended).
	Key string
	// Body is the webhook body, as received (FirstPartyEvents removes a
	// client's token from it).
	Body []byte
}

// ErrEventTooLarge is returned by Append for a body over the stream's
// WithMaxEventBytes; the webhook handler answers 413.
var ErrEventTooLarge = errors.New("redisstore: webhook event too large")

// NewStream returns the stream "<prefix>:events". It accepts
// WithCallTimeout, WithLogger, WithMaxLen, WithMaxEventBytes and
// WithDedupeWindow.
func NewStream(rdb redis.UniversalClient, prefix string, opts ...Option) (*Stream, error) {
	if err := checkPrefix("NewStream", rdb, prefix); err != nil {
		return nil, err
	}
	cfg := defaults()
	if err := cfg.apply(forStream, opts); err != nil {
		return nil, err
	}
	if cfg.logger == nil {
		cfg.logger = slog.Default()
	}
	s := &Stream{rdb: rdb, prefix: prefix, key: prefix + ":events", cfg: cfg}
	s.health = health{logger: cfg.logger.With("stream", s.key)}
	return s, nil
}

// Key returns the stream's Redis key.
func (s *Stream) Key() string { return s.key }

// seenKey is where the stream remembers a vendor event it appended.
func (s *Stream) seenKey(ev Event) string {
	sum := sha256.Sum256([]byte(ev.Source + "\x00" + ev.Key))
	return s.prefix + ":seen:" + hex.EncodeToString(sum[:16])
}

// appendScript appends an event unless its seen key exists, and sets the
// seen key to the new entry's id: both or neither. KEYS[1] is the stream,
// KEYS[2] (absent when the event has no Key) the seen key. ARGV: MAXLEN,
// source, key, body, seen TTL in ms. It returns {id, 1} for a repeat (the
// id of the first) and {id, 0} for a new entry.
var appendScript = redis.NewScript(`
if KEYS[2] then
  local prev = redis.call('GET', KEYS[2])
  if prev then return {prev, 1} end
end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'src', ARGV[2], 'key', ARGV[3], 'body', ARGV[4])
if KEYS[2] then redis.call('SET', KEYS[2], id, 'PX', ARGV[5]) end
return {id, 0}
`)

// Append adds ev to the stream (XADD MAXLEN ~ the stream's cap) unless an
// event with the same Source and Key was appended within the dedupe
// window; duplicate reports that case, and id is then the first one's
// entry. A body over WithMaxEventBytes is ErrEventTooLarge; a Redis
// failure an *UnavailableError (ErrRedisUnavailable): the event is not
// appended.
func (s *Stream) Append(ctx context.Context, ev Event) (id string, duplicate bool, err error) {
	if ev.Source == "" {
		return "", false, errors.New("redisstore: Append: the event has no Source")
	}
	if int64(len(ev.Body)) > s.cfg.maxEventBytes {
		return "", false, fmt.Errorf("%w: %d bytes, over the cap of %d", ErrEventTooLarge, len(ev.Body), s.cfg.maxEventBytes)
	}
	keys := []string{s.key}
	if ev.Key != "" {
		keys = append(keys, s.seenKey(ev))
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.callTimeout)
	defer cancel()
	res, err := appendScript.Run(ctx, s.rdb, keys, s.cfg.maxLen, ev.Source, ev.Key, ev.Body, s.cfg.dedupeWindow.Milliseconds()).Slice()
	if err != nil {
		err = &UnavailableError{Op: "appending a webhook event", Consequence: "the delivery is answered 503", Err: err}
		s.health.fail(err)
		return "", false, err
	}
	s.health.ok()
	if len(res) != 2 {
		return "", false, fmt.Errorf("redisstore: appending a webhook event: unexpected reply %v", res)
	}
	id, _ = res[0].(string)
	dup, _ := res[1].(int64)
	return id, dup == 1, nil
}

// health logs when Redis starts failing and when it is back, once each.
type health struct {
	logger *slog.Logger
	down   atomic.Bool
}

func (h *health) fail(err error) {
	if h.down.CompareAndSwap(false, true) {
		h.logger.Warn("redisstore: Redis failing", "err", err)
	}
}

func (h *health) ok() {
	if h.down.CompareAndSwap(true, false) {
		h.logger.Info("redisstore: Redis is back")
	}
}
