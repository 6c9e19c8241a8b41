package redisstore

import (
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Defaults of the options.
const (
	// DefaultCallTimeout bounds each Redis call (but a consumer's blocking
	// read, which WithBlock bounds).
	DefaultCallTimeout = time.Second
	// DefaultMaxLen is about how many events a Stream keeps (XADD MAXLEN ~).
	DefaultMaxLen = 10_000
	// DefaultMaxEventBytes caps one webhook body: a First Party event is a
	// few hundred bytes, an EngageCheck report a few kilobytes.
	DefaultMaxEventBytes = 64 << 10
	// DefaultDedupeWindow is how long a Stream remembers a vendor event it
	// appended, so that a repeat of it (the vendor's retry, or the same
	// delivery reaching two replicas) is not appended again.
	DefaultDedupeWindow = 24 * time.Hour
	// DefaultBlock is how long a consumer's read waits for new events; it
	// also bounds how long Run takes to return once its context ends.
	DefaultBlock = time.Second
	// DefaultBatch is how many events a consumer reads at a time.
	DefaultBatch = 16
	// DefaultMinIdle is how long an event may stay unacknowledged with a
	// consumer before another consumer reclaims it (a crashed consumer's
	// events; a handler that failed is retried after it too).
	DefaultMinIdle = 30 * time.Second
)

// scope says which constructors read an option.
type scope uint8

const (
	forStore scope = 1 << iota
	forStream
	forConsumer
)

func (s scope) String() string {
	var names []string
	for _, x := range []struct {
		s    scope
		name string
	}{{forStore, "NewStateStore"}, {forStream, "NewStream"}, {forConsumer, "Stream.NewConsumer"}} {
		if s&x.s != 0 {
			names = append(names, x.name)
		}
	}
	return strings.Join(names, ", ")
}

// Option configures a StateStore, a Stream or a Consumer. Each option's
// documentation says which it applies to; passing it to another
// constructor is an error.
type Option struct {
	name  string
	scope scope
	set   func(*config) error
}

type config struct {
	callTimeout   time.Duration
	logger        *slog.Logger
	maxLen        int64
	maxEventBytes int64
	dedupeWindow  time.Duration
	block         time.Duration
	batch         int64
	minIdle       time.Duration
	groupStart    string
}

func defaults() config {
	return config{
		callTimeout:   DefaultCallTimeout,
		maxLen:        DefaultMaxLen,
		maxEventBytes: DefaultMaxEventBytes,
		dedupeWindow:  DefaultDedupeWindow,
		block:         DefaultBlock,
		batch:         DefaultBatch,
		minIdle:       DefaultMinIdle,
		groupStart:    "$",
	}
}

// apply sets opts on cfg for the constructor of target.
func (cfg *config) apply(target scope, opts []Option) error {
	for _, o := range opts {
		if o.set == nil {
			continue
		}
		if o.scope&target == 0 {
			return fmt.Errorf("redisstore: %s: %s applies to %s only", target, o.name, o.scope)
		}
		if err := o.set(cfg); err != nil {
			return fmt.Errorf("redisstore: %s: %w", o.name, err)
		}
	}
	return nil
}

func positive[T int64 | time.Duration](what string, v T, dst *T) error {
	if v <= 0 {
		return fmt.Errorf("%s must be positive, got %v", what, v)
	}
	*dst = v
	return nil
}

// WithCallTimeout bounds each Redis call (default DefaultCallTimeout). It
// applies to NewStateStore, NewStream and Stream.NewConsumer (a consumer
// inherits its stream's otherwise).
func WithCallTimeout(d time.Duration) Option {
	return Option{"WithCallTimeout", forStore | forStream | forConsumer, func(c *config) error { return positive("the timeout", d, &c.callTimeout) }}
}

// WithLogger logs what an operator should know: Redis failing and coming
// back, events lost to the stream's cap, events a handler refused for
// good. The default is slog.Default(). It applies to NewStream and
// Stream.NewConsumer (a consumer inherits its stream's otherwise).
func WithLogger(l *slog.Logger) Option {
	return Option{"WithLogger", forStream | forConsumer, func(c *config) error {
		if l == nil {
			return fmt.Errorf("the logger is nil")
		}
		c.logger = l
		return nil
	}}
}

// WithMaxLen caps the stream at about n events (XADD MAXLEN ~ n; default
// DefaultMaxLen): the oldest are trimmed, acknowledged or not. Size it to
// how many events may arrive while the consumers are down. It applies to
// NewStream.
func WithMaxLen(n int64) Option {
	return Option{"WithMaxLen", forStream, func(c *config) error { return positive("the length", n, &c.maxLen) }}
}

// WithMaxEventBytes caps one webhook body (default DefaultMaxEventBytes): a
// larger delivery is answered 413 and not appended. With WithMaxLen it
// bounds the stream's memory. It applies to NewStream.
func WithMaxEventBytes(n int64) Option {
	return Option{"WithMaxEventBytes", forStream, func(c *config) error { return positive("the size", n, &c.maxEventBytes) }}
}

// WithDedupeWindow sets how long a vendor event's key is remembered so a
// repeat is not appended again (default DefaultDedupeWindow). It applies
// to NewStream.
func WithDedupeWindow(d time.Duration) Option {
	return Option{"WithDedupeWindow", forStream, func(c *config) error { return positive("the window", d, &c.dedupeWindow) }}
}

// WithBlock sets how long a consumer's read waits for new events (default
// DefaultBlock); Run notices the end of its context within about that
// long. It applies to Stream.NewConsumer.
func WithBlock(d time.Duration) Option {
	return Option{"WithBlock", forConsumer, func(c *config) error { return positive("the block", d, &c.block) }}
}

// WithBatch sets how many events a consumer reads at a time (default
// DefaultBatch). It applies to Stream.NewConsumer.
func WithBatch(n int64) Option {
	return Option{"WithBatch", forConsumer, func(c *config) error { return positive("the batch", n, &c.batch) }}
}

// WithMinIdle sets how long an event may stay unacknowledged with a
// consumer before another reclaims it (default DefaultMinIdle). A consumer
// whose handler runs long keeps its event claimed while it runs, so this
// bounds how long a crashed consumer's events wait, not how long a handler
// may take. A failed handler's event is retried after it too. It applies
// to Stream.NewConsumer.
func WithMinIdle(d time.Duration) Option {
	return Option{"WithMinIdle", forConsumer, func(c *config) error { return positive("the idle time", d, &c.minIdle) }}
}

// WithGroupStart sets where a new consumer group starts reading: "$" (the
// default) for events appended after NewConsumer created it, "0" for every
// event the stream still holds. It has no effect on a group that exists.
// It applies to Stream.NewConsumer.
func WithGroupStart(id string) Option {
	return Option{"WithGroupStart", forConsumer, func(c *config) error {
		if strings.TrimSpace(id) == "" {
			return fmt.Errorf("the id is blank")
		}
		c.groupStart = id
		return nil
	}}
}
