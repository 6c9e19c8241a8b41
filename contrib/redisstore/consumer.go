package redisstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Message is one event as a consumer hands it to its Handler.
type Message struct {
	// ID is the stream entry's id ("1718000000000-0"): unique per entry.
	ID string
	// Source names the vendor (SourceFirstParty, SourceEngageCheck).
	Source string
	// Key identifies the vendor's event ("" when the vendor gives nothing
	// that does; see Event.Key).
	Key string
	// Body is the webhook body the intake verified and parsed.
	Body []byte
	// Redelivered is true when the event was handed to a consumer of the
	// group before: one that crashed, or whose handler failed or could not
	// acknowledge it. Its earlier handling may have had effects.
	Redelivered bool
}

// Handler handles one event in the worker running a Consumer. nil means
// handled: the event is acknowledged. An error leaves it pending, to be
// handed again (to this or another consumer of the group) once it has
// been idle for the consumer's MinIdle; Permanent(err) drops it instead.
// FirstPartyHandler adapts a First Party event handler.
type Handler func(ctx context.Context, m Message) error

type messageKey struct{}

// MessageFromContext returns the message a Handler (or a typed handler
// behind an adapter such as FirstPartyHandler) is handling.
func MessageFromContext(ctx context.Context) (Message, bool) {
	m, ok := ctx.Value(messageKey{}).(Message)
	return m, ok
}

// Permanent marks a Handler's error as final: the event is acknowledged
// and dropped (and logged) instead of being retried. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err}
}

type permanentError struct{ err error }

func (e *permanentError) Error() string { return "permanent: " + e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Route returns a Handler that hands each message to the handler of its
// Source. A message of a source without one is acknowledged and skipped:
// this group has no use for it.
func Route(handlers map[string]Handler) Handler {
	return func(ctx context.Context, m Message) error {
		if h := handlers[m.Source]; h != nil {
			return h(ctx, m)
		}
		return nil
	}
}

// Consumer reads a Stream as one consumer of a consumer group and hands
// each event to a Handler, acknowledging it once the handler succeeded.
//
// Every group receives every event; the consumers of one group share
// them, each event going to one. Use one group per deployment that must
// see every event (all the web replicas that record First Party events,
// say), and a group of its own for each process that waits for particular
// events (a worker whose roster waits for its audits). Give each consumer
// a name that is stable across restarts (a pod or host name): a restarted
// consumer first takes up the events it had been handed and had not
// acknowledged.
//
// Delivery is at least once. An event is acknowledged (XACK) only after
// its handler returned nil. The events of a consumer that crashed, or
// whose handler failed, stay pending, and any consumer of the group
// reclaims them (XAUTOCLAIM) once they have been idle for MinIdle, marked
// Redelivered; while a handler runs, its consumer keeps its event claimed,
// so a slow handler is not reclaimed from under it. A consumer that dies
// after its handler succeeded but before the XACK reached Redis has the
// event handed again: make handlers idempotent (the roster's are; use
// Message.ID, Key and Redelivered for your own). Repeats of one vendor
// event are already collapsed at intake (Event.Key).
type Consumer struct {
	s           *Stream
	group, name string
	cfg         config
	logger      *slog.Logger
	health      health
	running     atomic.Bool

	handled, redelivered, failed, dropped, lost atomic.Int64
}

// ConsumerStats counts what a Consumer did.
type ConsumerStats struct {
	// Handled counts events whose handler succeeded.
	Handled int64
	// Redelivered counts events handed again: reclaimed from a consumer
	// that crashed or failed, or this consumer's own unacknowledged events
	// when Run started.
	Redelivered int64
	// Failed counts handler errors (each event stays pending and is
	// retried after MinIdle).
	Failed int64
	// Dropped counts events acknowledged without success: the handler
	// returned Permanent, or the entry was not an event.
	Dropped int64
	// Lost counts pending events the stream's cap (WithMaxLen) trimmed
	// before they were handled.
	Lost int64
}

// NewConsumer returns consumer name of group, and creates the group
// (XGROUP CREATE ... MKSTREAM) if it does not exist, reading from
// WithGroupStart ("$": events appended from now on). Events appended after
// NewConsumer returns reach the group even before Run starts: create the
// consumer before the work whose events it waits for. An empty name is
// the host name and process id. It accepts WithCallTimeout, WithLogger,
// WithBlock, WithBatch, WithMinIdle and WithGroupStart.
func (s *Stream) NewConsumer(ctx context.Context, group, name string, opts ...Option) (*Consumer, error) {
	if name == "" {
		host, _ := os.Hostname()
		name = host + "-" + strconv.Itoa(os.Getpid())
	}
	for what, v := range map[string]string{"group": group, "consumer name": name} {
		if strings.TrimSpace(v) == "" || strings.ContainsFunc(v, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			return nil, fmt.Errorf("redisstore: NewConsumer: the %s %q is blank or holds a control character", what, v)
		}
	}
	cfg := s.cfg
	if err := cfg.apply(forConsumer, opts); err != nil {
		return nil, err
	}
	c := &Consumer{s: s, group: group, name: name, cfg: cfg}
	c.logger = cfg.logger.With("stream", s.key, "group", group, "consumer", name)
	c.health = health{logger: c.logger}
	if err := c.createGroup(ctx, cfg.groupStart); err != nil {
		return nil, err
	}
	return c, nil
}

// Name returns the consumer's name.
func (c *Consumer) Name() string { return c.name }

// Stats returns the consumer's counts.
func (c *Consumer) Stats() ConsumerStats {
	return ConsumerStats{Handled: c.handled.Load(), Redelivered: c.redelivered.Load(), Failed: c.failed.Load(), Dropped: c.dropped.Load(), Lost: c.lost.Load()}
}

func (c *Consumer) createGroup(ctx context.Context, start string) error {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.callTimeout)
	defer cancel()
	err := c.s.rdb.XGroupCreateMkStream(ctx, c.s.key, c.group, start).Err()
	if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return &UnavailableError{Op: "creating consumer group " + strconv.Quote(c.group), Err: err}
	}
	return nil
}

func isNoGroup(err error) bool { return err != nil && strings.HasPrefix(err.Error(), "NOGROUP") }

// regroup recreates a group that vanished (Redis restarted empty, or the
// group was destroyed) at "0": whatever the stream holds now arrived
// after the loss.
func (c *Consumer) regroup(ctx context.Context) {
	if err := c.createGroup(ctx, "0"); err != nil {
		c.health.fail(err)
		return
	}
	c.logger.Warn("redisstore: consumer group was missing (Redis restarted empty?): recreated; events appended before it went missing and not yet handled are lost")
}

// Run reads the stream and hands each event to h until ctx ends, then
// returns nil (within about WithBlock, once h returns). It first reclaims
// the group's events idle longer than MinIdle and takes up this
// consumer's own unacknowledged events, then reads new ones, reclaiming
// again every MinIdle/2. Events are handled
// one at a time. While Redis fails it logs once, retries with a backoff,
// and goes on when Redis is back (recreating the group if Redis lost it);
// it never returns for it and never panics, also when h panics (which
// counts as a failure). A Consumer runs once at a time.
func (c *Consumer) Run(ctx context.Context, h Handler) error {
	if h == nil {
		return errors.New("redisstore: Consumer.Run: the handler is nil")
	}
	if !c.running.CompareAndSwap(false, true) {
		return fmt.Errorf("redisstore: Consumer.Run: consumer %q is already running", c.name)
	}
	defer c.running.Store(false)
	own := "0" // cursor through this consumer's own pending events; "" once read
	var nextReclaim time.Time
	var wait time.Duration
	for ctx.Err() == nil {
		if wait > 0 && !sleep(ctx, wait) {
			break
		}
		if !time.Now().Before(nextReclaim) {
			if err := c.reclaim(ctx, h); err != nil {
				wait = backoff(wait)
				continue
			}
			nextReclaim = time.Now().Add(max(c.cfg.minIdle/2, 10*time.Millisecond))
		}
		fromOwn := own != ""
		msgs, err := c.read(ctx, own)
		if err != nil {
			wait = backoff(wait)
			continue
		}
		wait = 0
		if fromOwn {
			if len(msgs) == 0 {
				own = ""
				continue
			}
			own = msgs[len(msgs)-1].ID
		}
		c.handleAll(ctx, h, msgs, fromOwn)
	}
	return nil
}

// handleAll handles a batch in order, keeping all of it claimed until
// done. When ctx ends, the rest stay pending: reclaimed by the group after
// MinIdle, or taken up by this consumer's next Run.
func (c *Consumer) handleAll(ctx context.Context, h Handler, msgs []redis.XMessage, redelivered bool) {
	if len(msgs) == 0 {
		return
	}
	ids := make([]string, len(msgs))
	for i, xm := range msgs {
		ids[i] = xm.ID
	}
	stop := c.keepClaimed(ids)
	defer stop()
	for _, xm := range msgs {
		if ctx.Err() != nil {
			return
		}
		c.handle(ctx, h, xm, redelivered)
	}
}

func backoff(d time.Duration) time.Duration {
	return min(max(2*d, 50*time.Millisecond), 2*time.Second)
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// read reads this consumer's own pending events after cursor own, or new
// events when own is "".
func (c *Consumer) read(ctx context.Context, own string) ([]redis.XMessage, error) {
	id, block := ">", c.cfg.block
	if own != "" {
		id, block = own, -1
	}
	rctx, cancel := context.WithTimeout(ctx, max(block, 0)+c.cfg.callTimeout)
	defer cancel()
	res, err := c.s.rdb.XReadGroup(rctx, &redis.XReadGroupArgs{Group: c.group, Consumer: c.name, Streams: []string{c.s.key, id}, Count: c.cfg.batch, Block: block}).Result()
	switch {
	case errors.Is(err, redis.Nil):
		c.health.ok()
		return nil, nil
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case isNoGroup(err):
		c.regroup(ctx)
		return nil, err
	case err != nil:
		c.health.fail(&UnavailableError{Op: "reading webhook events", Consequence: "retrying", Err: err})
		return nil, err
	}
	c.health.ok()
	if len(res) == 0 {
		return nil, nil
	}
	return res[0].Messages, nil
}

// reclaim claims and handles the group's events idle longer than MinIdle.
func (c *Consumer) reclaim(ctx context.Context, h Handler) error {
	cursor := "0-0"
	for ctx.Err() == nil {
		rctx, cancel := context.WithTimeout(ctx, c.cfg.callTimeout)
		msgs, next, deleted, err := c.s.rdb.XAutoClaimWithDeleted(rctx, &redis.XAutoClaimArgs{
			Stream: c.s.key, Group: c.group, Consumer: c.name, MinIdle: c.cfg.minIdle, Start: cursor, Count: c.cfg.batch,
		}).Result()
		cancel()
		switch {
		case ctx.Err() != nil:
			return nil
		case isNoGroup(err):
			c.regroup(ctx)
			return err
		case err != nil:
			c.health.fail(&UnavailableError{Op: "reclaiming pending webhook events", Consequence: "retrying", Err: err})
			return err
		}
		c.health.ok()
		for _, id := range deleted { // XAUTOCLAIM removed them from the group's pending list
			c.lostOne(id)
		}
		c.handleAll(ctx, h, msgs, true)
		if next == "" || next == "0-0" {
			return nil
		}
		cursor = next
	}
	return nil
}

func (c *Consumer) lostOne(id string) {
	c.lost.Add(1)
	c.logger.Warn("redisstore: a pending webhook event was trimmed before it was handled (the stream's cap, WithMaxLen, is too small for the backlog)", "id", id)
}

// handle hands one entry to h and acknowledges it unless h failed.
func (c *Consumer) handle(ctx context.Context, h Handler, xm redis.XMessage, redelivered bool) {
	if len(xm.Values) == 0 { // a pending entry the stream no longer holds
		c.lostOne(xm.ID)
		c.ack(ctx, xm.ID)
		return
	}
	src, _ := xm.Values["src"].(string)
	key, _ := xm.Values["key"].(string)
	body, ok := xm.Values["body"].(string)
	if src == "" || !ok {
		c.dropped.Add(1)
		c.logger.Error("redisstore: dropping a stream entry that is not a webhook event", "id", xm.ID)
		c.ack(ctx, xm.ID)
		return
	}
	if redelivered {
		c.redelivered.Add(1)
	}
	m := Message{ID: xm.ID, Source: src, Key: key, Body: []byte(body), Redelivered: redelivered}
	err := call(context.WithValue(ctx, messageKey{}, m), h, m)
	var perm *permanentError
	switch {
	case err == nil:
		c.handled.Add(1)
		c.ack(ctx, xm.ID)
	case errors.As(err, &perm):
		c.dropped.Add(1)
		c.logger.Error("redisstore: the handler refused a webhook event for good: dropped", "id", xm.ID, "source", src, "err", err)
		c.ack(ctx, xm.ID)
	default:
		c.failed.Add(1)
		c.logger.Warn("redisstore: the handler failed: the event stays pending and is handed again after MinIdle", "id", xm.ID, "source", src, "err", err, "min_idle", c.cfg.minIdle)
	}
}

// call runs h, turning a panic into an error.
func call(ctx context.Context, h Handler, m Message) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("redisstore: the handler panicked: %v", r)
		}
	}()
	return h(ctx, m)
}

// ack acknowledges an entry, even when ctx has ended: its handling is done.
func (c *Consumer) ack(ctx context.Context, id string) {
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.callTimeout)
	defer cancel()
	if err := c.s.rdb.XAck(actx, c.s.key, c.group, id).Err(); err != nil {
		c.health.fail(err)
		c.logger.Warn("redisstore: could not acknowledge a handled webhook event: it will be handed again, marked Redelivered", "id", id, "err", err)
	}
}

// keepClaimed resets the idle time of a batch's entries every MinIdle/3
// while they are handled (XCLAIM JUSTID, which leaves the acknowledged
// ones alone), so that no other consumer reclaims an entry this one is
// handling or about to; the returned func stops it.
func (c *Consumer) keepClaimed(ids []string) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(max(c.cfg.minIdle/3, time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				ctx, cancel := context.WithTimeout(context.Background(), c.cfg.callTimeout)
				_ = c.s.rdb.XClaimJustID(ctx, &redis.XClaimArgs{Stream: c.s.key, Group: c.group, Consumer: c.name, Messages: ids}).Err()
				cancel()
			}
		}
	})
	return func() { close(done); wg.Wait() }
}
