package creatoraudit

import (
	"context"
	"fmt"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// WaitOption tunes the WaitForFirstScrape helpers.
type WaitOption func(*poll.Config) error

// Default poll intervals of WaitForFirstScrape: CreatorAudit fetches a new
// account or video in the background, so the first check comes after 5 s
// and the interval grows by half each time, to at most a minute.
const (
	DefaultPollInitial = 5 * time.Second
	DefaultPollMax     = time.Minute
)

// WithPollInterval sets the first and the longest interval between checks
// (default 5 s growing to 1 min). Use short ones against the
// creatoraudittest fake.
func WithPollInterval(initial, maxInterval time.Duration) WaitOption {
	return poll.Interval(initial, maxInterval)
}

func waitConfig(op string, opts []WaitOption) (poll.Config, error) {
	cfg := poll.Config{Initial: DefaultPollInitial, Max: DefaultPollMax, Multiplier: 1.5}
	return cfg, transport.ApplyOptions(vendor, op, &cfg, opts)
}

// WaitForFirstScrape polls an account until CreatorAudit has refreshed it
// once (last_scrape_time is no longer null) and returns it. CreatorAudit
// has no webhooks: polling the account is the documented way. The context
// is the budget: when it ends, the last account seen is returned with a
// *WaitTimeoutError. An account marked is_unavailable before any scrape is
// returned with an error of kind ErrUnavailable.
//
// A check that fails transiently (a 429 because another job fills the
// key's window, a 5xx, a lost connection) is tried again at the next
// interval: only the account's state or the end of ctx ends the wait. An
// answer whose last_scrape_time or is_unavailable cannot be read is
// ErrUnexpectedResponse: the wait cannot tell the state from it.
func (s *AccountsService) WaitForFirstScrape(ctx context.Context, id string, opts ...WaitOption) (*Account, error) {
	const op = "Accounts.WaitForFirstScrape"
	cfg, err := waitConfig(op, opts)
	if err != nil {
		return nil, err
	}
	if id, err = checkID(op, "account_id", id); err != nil {
		return nil, err
	}
	a, err := poll.Until(ctx, vendor, op, cfg, func(ctx context.Context) (*Account, poll.Status, error) {
		a, err := s.Get(ctx, id)
		if err != nil {
			return nil, poll.Status{}, err
		}
		if err := unreadableState(op, a.Response); err != nil {
			return a, poll.Status{}, err
		}
		return a, poll.Status{Done: a.Scraped() || a.IsUnavailable, Describe: describe("account", a.ID, "@"+a.Username, a.Scraped(), a.IsUnavailable)}, nil
	})
	if err == nil && !a.Scraped() && a.IsUnavailable {
		err = unavailable(op, "account @"+a.Username)
	}
	s.c.t.RedactValue(err) // built from the answer
	return a, err
}

// WaitForFirstScrape polls an individual video until its first refresh
// (last_scrape_time set) and returns it; see
// AccountsService.WaitForFirstScrape.
func (s *VideosService) WaitForFirstScrape(ctx context.Context, id string, opts ...WaitOption) (*Video, error) {
	const op = "Videos.WaitForFirstScrape"
	cfg, err := waitConfig(op, opts)
	if err != nil {
		return nil, err
	}
	if id, err = checkID(op, "video_id", id); err != nil {
		return nil, err
	}
	v, err := poll.Until(ctx, vendor, op, cfg, func(ctx context.Context) (*Video, poll.Status, error) {
		v, err := s.Get(ctx, id)
		if err != nil {
			return nil, poll.Status{}, err
		}
		if err := unreadableState(op, v.Response); err != nil {
			return v, poll.Status{}, err
		}
		return v, poll.Status{Done: v.Scraped() || v.IsUnavailable, Describe: describe("video", string(v.ID), v.Shortcode, v.Scraped(), v.IsUnavailable)}, nil
	})
	if err == nil && !v.Scraped() && v.IsUnavailable {
		err = unavailable(op, "video "+string(v.ID))
	}
	s.c.t.RedactValue(err) // built from the answer
	return v, err
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

func describe(kind, id, name string, scraped, unavailable bool) string {
	state := "not scraped yet"
	switch {
	case scraped:
		state = "scraped"
	case unavailable:
		state = "unavailable"
	}
	return fmt.Sprintf("%s %s (%s) is %s", kind, id, name, state)
}

func unavailable(op, what string) error {
	return transport.NewError(vendor, op, ErrUnavailable, "%s is unavailable on the platform and was never scraped", what)
}
