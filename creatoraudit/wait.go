package creatoraudit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// WaitOption tunes the package's waits (Accounts.GetAndWait and
// Videos.GetAndWait).
type WaitOption func(*waitConfig) error

// waitConfig is what the wait options set.
type waitConfig struct {
	poll     poll.Config
	progress func(Progress)
}

// Default poll intervals of the waits: CreatorAudit fetches a new account
// or video in the background, so the first check comes after 5 s and the
// interval grows by half each time, to at most a minute.
const (
	DefaultPollInitial = 5 * time.Second
	DefaultPollMax     = time.Minute
)

// WithPollInterval sets the first interval between checks (first > 0) and
// the longest one the interval grows to (default DefaultPollInitial
// growing to DefaultPollMax); maxInterval 0 keeps the default ceiling (or
// first, when first is longer), and otherwise must be at least first. Use
// short ones against the creatoraudittest fake (its Server.PollOptions
// does).
func WithPollInterval(first, maxInterval time.Duration) WaitOption {
	return func(c *waitConfig) error { return poll.Interval(first, maxInterval, DefaultPollMax)(&c.poll) }
}

// WithProgress calls fn after each check that did not end the wait (the
// account or video was not scraped yet, or the check failed transiently).
// It runs on the waiting goroutine; keep it quick.
func WithProgress(fn func(Progress)) WaitOption {
	return func(c *waitConfig) error { c.progress = fn; return nil }
}

// Progress is how far a wait got, as WithProgress reports it.
type Progress struct {
	// Op is the waiting call: "Accounts.GetAndWait" or
	// "Videos.GetAndWait".
	Op string
	// ID is the account's or video's id, as given.
	ID string
	// Item is the account ("instagram/@natgeo") or video
	// ("tiktok/id:7234567890") as the last answer named it; "" before one.
	Item string
	// State is the last state seen: "not scraped yet", or "" when no
	// check has been answered yet.
	State string
	// Checks is how many checks were made so far, TransientErrors how many
	// of them failed transiently (a 429, a 5xx, a lost connection) and
	// will be made again.
	Checks, TransientErrors int
	// Elapsed is the time since the wait began.
	Elapsed time.Duration
}

// newWaitConfig is a wait's config: the options over the defaults, and as
// many transient failures in a row as the client's retries (the one wait
// policy, see poll.Until).
func (c *Client) newWaitConfig(op string, opts []WaitOption) (waitConfig, error) {
	cfg := waitConfig{poll: poll.Config{Initial: DefaultPollInitial, Max: DefaultPollMax, Multiplier: 1.5, Tolerate: c.t.MaxRetries()}}
	return cfg, transport.ApplyOptions(vendor, op, &cfg, opts)
}

// GetAndWait is Get once CreatorAudit has refreshed the account at least
// once (last_scrape_time is no longer null): it polls Get and returns the
// scraped account. CreatorAudit has no webhooks: polling the account is
// the documented way.
//
// Outcomes other than the scraped account:
//   - an account CreatorAudit marks is_unavailable before any scrape (a
//     private or deleted profile) will never be scraped: the wait ends at
//     once with that account and an *ItemError (Err ErrUnavailable, State
//     "unavailable", Input the id given, Item "instagram/@handle", ID the
//     account id, a Reason);
//   - when the context ends first: the last account seen and an *ItemError
//     (Input the id given, Item "instagram/@handle" once an answer named
//     it, ID the account id, State the last state seen) whose Err is a
//     *TimeoutError naming that state: errors.As(err, &timeout) and
//     errors.Is(err, context.DeadlineExceeded) both hold;
//   - an answer whose last_scrape_time or is_unavailable cannot be read:
//     that account and ErrUnexpectedResponse (the wait cannot tell the
//     state from it);
//   - any other failure of Get is its *Error (ErrNotFound, ...), and bad
//     input is ErrInvalidParams before anything is sent.
//
// A check that fails transiently (a 429 because another job fills the
// key's window, a 5xx, a lost connection, after the transport's own
// retries) is made again at the next interval, up to as many failed checks
// in a row as the client's retries (WithMaxRetries, default 3: the option
// means the same for a wait as for one call); one more ends the wait with
// that check's error.
func (s *AccountsService) GetAndWait(ctx context.Context, id string, opts ...WaitOption) (*Account, error) {
	const op = "Accounts.GetAndWait"
	cfg, err := s.c.newWaitConfig(op, opts)
	if err != nil {
		return nil, err
	}
	given := id
	if id, err = checkID(op, "account_id", id); err != nil {
		return nil, err
	}
	ctx, end := s.c.t.Observe(ctx, op)
	w := waiter{op: op, id: given, cfg: cfg, start: time.Now()}
	a, err := poll.Until(ctx, vendor, op, cfg.poll, func(ctx context.Context) (*Account, poll.Status, error) {
		a, err := s.Get(ctx, id)
		if err != nil {
			return nil, poll.Status{}, w.failed(err)
		}
		if err := unreadableState(op, a.Response); err != nil {
			return a, poll.Status{}, err
		}
		done := a.Scraped() || a.IsUnavailable
		w.seen(a.item(), a.ID, done)
		return a, poll.Status{Done: done, Describe: describe(a.Scraped(), a.IsUnavailable)}, nil
	})
	switch {
	case err == nil && !a.Scraped() && a.IsUnavailable:
		err = unavailable(given, a.item(), a.ID, "account")
	case err != nil:
		err = w.timedOut(err)
	}
	s.c.t.RedactValue(err) // built from the answer
	end(w.p.Checks, 0, err)
	return a, err
}

// GetAndWait is Get once CreatorAudit has refreshed the individual video
// at least once (last_scrape_time set); see AccountsService.GetAndWait for
// the outcomes. An unavailable video ends the wait with an *ItemError
// whose Item is "instagram/id:<shortcode>" (or "tiktok/id:<platform id>").
func (s *VideosService) GetAndWait(ctx context.Context, id string, opts ...WaitOption) (*Video, error) {
	const op = "Videos.GetAndWait"
	cfg, err := s.c.newWaitConfig(op, opts)
	if err != nil {
		return nil, err
	}
	given := id
	if id, err = checkID(op, "video_id", id); err != nil {
		return nil, err
	}
	ctx, end := s.c.t.Observe(ctx, op)
	w := waiter{op: op, id: given, cfg: cfg, start: time.Now()}
	v, err := poll.Until(ctx, vendor, op, cfg.poll, func(ctx context.Context) (*Video, poll.Status, error) {
		v, err := s.Get(ctx, id)
		if err != nil {
			return nil, poll.Status{}, w.failed(err)
		}
		if err := unreadableState(op, v.Response); err != nil {
			return v, poll.Status{}, err
		}
		done := v.Scraped() || v.IsUnavailable
		w.seen(v.item(), string(v.ID), done)
		return v, poll.Status{Done: done, Describe: describe(v.Scraped(), v.IsUnavailable)}, nil
	})
	switch {
	case err == nil && !v.Scraped() && v.IsUnavailable:
		err = unavailable(given, v.item(), string(v.ID), "video")
	case err != nil:
		err = w.timedOut(err)
	}
	s.c.t.RedactValue(err) // built from the answer
	end(w.p.Checks, 0, err)
	return v, err
}

// waiter keeps a wait's progress and reports it.
type waiter struct {
	op, id string
	cfg    waitConfig
	start  time.Time
	p      Progress
	inARow int    // transient failures in a row
	lastID string // the id the last answer gave
}

// seen records an answered check; one that did not end the wait is
// reported.
func (w *waiter) seen(item, id string, done bool) {
	w.p.Checks++
	w.inARow = 0
	w.p.Item, w.lastID = item, id
	if !done {
		w.p.State = stateNotScraped
		w.report()
	}
}

// failed records a check that failed; a transient failure after which the
// wait goes on (at most Tolerate in a row) is reported. It returns err.
func (w *waiter) failed(err error) error {
	w.p.Checks++
	if poll.IsTransient(err) {
		w.p.TransientErrors++
		if w.inARow++; w.inARow <= w.cfg.poll.Tolerate {
			w.report()
		}
	}
	return err
}

// timedOut is a wait's error: when the context ended (a *TimeoutError),
// the *ItemError of the account or video waited on, with the last state
// seen; any other error as it is.
func (w *waiter) timedOut(err error) error {
	var te *TimeoutError
	if !errors.As(err, &te) {
		return err
	}
	ie := &ItemError{Vendor: vendor, Input: w.id, Item: w.p.Item, ID: w.lastID, State: w.p.State, Err: te,
		Reason: "the wait ended before the first scrape"}
	if w.p.State == "" {
		ie.Reason = "the wait ended before any check was answered"
	}
	return ie
}

func (w *waiter) report() {
	if w.cfg.progress == nil {
		return
	}
	w.p.Op, w.p.ID, w.p.Elapsed = w.op, w.id, time.Since(w.start)
	w.cfg.progress(w.p)
}

const (
	stateNotScraped  = "not scraped yet"
	stateUnavailable = "unavailable"
)

// item names the account as CreatorAudit knows it, the way every
// creatorkit-go ItemError names an item: "instagram/@natgeo", or
// "instagram/id:<account id>" when the answer gave no username.
func (a *Account) item() string {
	if a.Username == "" {
		return string(a.Platform) + "/id:" + a.ID
	}
	return string(a.Platform) + "/@" + a.Username
}

// item names the video as CreatorAudit knows it: "instagram/id:<shortcode>",
// else its platform id ("tiktok/id:7234567890"), else its CreatorAudit id.
func (v *Video) item() string {
	name := v.Shortcode
	if name == "" {
		name = v.ExternalID
	}
	if name == "" {
		name = string(v.ID)
	}
	return string(v.Platform) + "/id:" + name
}

// unreadableState fails a check whose answer did not let the wait read the
// state it waits on.
func unreadableState(op string, meta *ResponseMeta) error {
	if meta == nil {
		return nil
	}
	for _, is := range meta.DecodeIssues {
		switch is.Path {
		case "data.last_scrape_time", "data.is_unavailable":
			return transport.NewError(vendor, op, ErrUnexpectedResponse, "cannot tell whether it was scraped: %s", is)
		}
	}
	return nil
}

// describe is the state a check saw, for the *TimeoutError (the
// *ItemError around it names the account or video).
func describe(scraped, unavailable bool) string {
	switch {
	case scraped:
		return "scraped"
	case unavailable:
		return stateUnavailable
	}
	return stateNotScraped
}

// unavailable is the outcome of a wait for an account or video that
// CreatorAudit will never scrape.
func unavailable(input, item, id, kind string) error {
	return &ItemError{Vendor: vendor, Input: input, Item: item, ID: id, State: stateUnavailable,
		Reason: fmt.Sprintf("the %s is unavailable on the platform (private, deleted or renamed) and was never scraped", kind),
		Err:    ErrUnavailable}
}
