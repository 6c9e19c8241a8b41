package infludata

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// WaitOption tunes GetWithAudience and AudienceAll.
type WaitOption func(*waitConfig) error

type waitConfig struct {
	poll   poll.Config
	scores bool
	weekly bool
}

// Default poll intervals for audience reports. Enrichment of a new creator
// takes 24 to 48 hours and an audience analysis hours, so checks start a
// minute apart and back off to 30 minutes; checkDataStatus is free, so only
// the rate limit is spent.
const (
	defaultAudiencePoll    = time.Minute
	defaultAudiencePollMax = 30 * time.Minute
)

func newWaitConfig(op string, opts []WaitOption) (waitConfig, error) {
	cfg := waitConfig{poll: poll.Config{Initial: defaultAudiencePoll, Max: defaultAudiencePollMax, Multiplier: 1.5}}
	return cfg, transport.ApplyOptions(vendor, op, &cfg, opts)
}

// WithPollInterval sets the first and the longest interval between
// checkDataStatus calls (default 1 min growing to 30 min). Use short ones
// against the infludatatest fake.
func WithPollInterval(initial, maxInterval time.Duration) WaitOption {
	return func(c *waitConfig) error { return poll.Interval(initial, maxInterval)(&c.poll) }
}

// WithScores also asks for profile scores and data logs
// (showDatalogAndScore; Instagram and TikTok) on the final getUserData.
func WithScores() WaitOption { return func(c *waitConfig) error { c.scores = true; return nil } }

// WithWeeklyEnrichment adds the creator to the weekly refresh schedule on
// the first status check (not available for trial keys).
func WithWeeklyEnrichment() WaitOption {
	return func(c *waitConfig) error { c.weekly = true; return nil }
}

func checkAudienceRef(op string, r CreatorRef, cfg waitConfig, plan Plan) error {
	if err := checkPlatform(op, r.Platform, Platform.HasAudienceReports, "audience reports"); err != nil {
		return err
	}
	if err := checkIdentifier(op, r.Username, r.UserID, r.ID); err != nil {
		return err
	}
	if cfg.scores && !r.Platform.HasScores() {
		return invalidParams(op, "WithScores", "scores and data logs are available on instagram and tiktok, not %s", r.Platform)
	}
	if cfg.weekly && plan == Trial {
		return invalidParams(op, "WithWeeklyEnrichment", "weekly enrichment is not available for trial keys")
	}
	return nil
}

func statusParams(r CreatorRef, weekly bool) DataStatusParams {
	return DataStatusParams{Platform: r.Platform, Username: r.Username, UserID: r.UserID, ID: r.ID, AddToWeeklyEnrichment: weekly}
}

// GetWithAudience returns a creator's profile with its audience report,
// spending tokens only once the report exists: it polls the free
// checkDataStatus until the creator is in the database with audience data
// (each check also queues a refresh, and a creator influData does not hold
// yet is queued for enrichment), then makes exactly one getUserData call
// with includeAudienceReport (20 tokens). It never polls the paid call.
//
// The context is the budget: when it ends first, GetWithAudience returns a
// *WaitTimeoutError naming the last status seen, having spent nothing. If
// the paid call still answers 201 or 202 (influData's status moved between
// the two calls), the profile comes back with an error of kind ErrNotReady
// instead of a second paid call.
func (s *ProfilesService) GetWithAudience(ctx context.Context, r CreatorRef, opts ...WaitOption) (*Profile, error) {
	const op = opWithAudience
	cfg, err := newWaitConfig(op, opts)
	if err != nil {
		return nil, err
	}
	if err := checkAudienceRef(op, r, cfg, s.c.plan); err != nil {
		return nil, err
	}
	first := true
	_, err = poll.Until(ctx, vendor, op, cfg.poll, func(ctx context.Context) (*DataStatus, poll.Status, error) {
		d, err := s.checkStatus(ctx, opDataStatus, statusParams(r, cfg.weekly && first))
		if err != nil {
			return nil, poll.Status{}, err
		}
		first = false
		return d, poll.Status{Done: d.AudienceReady(), Describe: r.String() + ": " + d.Describe()}, nil
	})
	if err != nil {
		return nil, err
	}
	return s.fetchAudience(ctx, op, r, cfg)
}

// fetchAudience makes the one paid call.
func (s *ProfilesService) fetchAudience(ctx context.Context, op string, r CreatorRef, cfg waitConfig) (*Profile, error) {
	p, err := s.get(ctx, GetProfileParams{Platform: r.Platform, Username: r.Username, UserID: r.UserID, ID: r.ID,
		IncludeAudienceReport: true, ShowDatalogAndScore: cfg.scores})
	if err != nil {
		return nil, err
	}
	if !p.Ready() {
		return p, transport.NewError(vendor, op, ErrNotReady, "%s: checkDataStatus reported the audience data ready, but getUserData answered %d (%s); not calling it again", r, p.Response.StatusCode, p.State)
	}
	return p, nil
}

// CreatorError reports why AudienceAll yielded no profile for a creator.
type CreatorError struct {
	// Creator is the reference as given.
	Creator CreatorRef
	// Err is the cause: an *Error (ErrInvalidParams for a bad reference,
	// ErrNotFound, ErrQuotaExceeded, ErrNotReady ...), or a
	// *WaitTimeoutError when the context ended while it was pending.
	Err error
}

// Error names the creator and the cause.
func (e *CreatorError) Error() string { return fmt.Sprintf("infludata: %s: %v", e.Creator, e.Err) }

// Unwrap returns the cause.
func (e *CreatorError) Unwrap() error { return e.Err }

// AudienceAll is GetWithAudience for many creators: it checks the data
// status of every pending creator (free) in rounds, makes one getUserData
// call with the audience report (20 tokens) for each as soon as its report
// is ready, and yields the profiles in the order they become ready. It
// never polls the paid call, so a roster costs exactly 20 tokens per
// creator whose report is delivered.
//
// A creator that cannot be served is yielded once as a *CreatorError: bad
// references before anything is sent, ErrNotFound and similar as they
// happen. When the key's budget is spent (ErrQuotaExceeded) every creator
// still pending is yielded with that error and the walk ends. When the
// context ends, each pending creator is yielded with a *WaitTimeoutError
// naming its last status. Rounds start WithPollInterval apart and back off
// while nothing changes; break stops it.
func (s *ProfilesService) AudienceAll(ctx context.Context, refs []CreatorRef, opts ...WaitOption) iter.Seq2[*Profile, error] {
	const op = opAudienceAll
	return func(yield func(*Profile, error) bool) {
		cfg, err := newWaitConfig(op, opts)
		if err != nil {
			yield(nil, err)
			return
		}
		type entry struct {
			ref     CreatorRef
			checks  int
			last    string
			started time.Time
		}
		var pending []*entry
		for _, r := range refs {
			if err := checkAudienceRef(op, r, cfg, s.c.plan); err != nil {
				if !yield(nil, &CreatorError{Creator: r, Err: err}) {
					return
				}
				continue
			}
			pending = append(pending, &entry{ref: r, started: time.Now()})
		}
		intervals := poll.NewIntervals(cfg.poll)
		giveUp := func(cause error) {
			for _, e := range pending {
				err := cause
				if cause == nil {
					err = &WaitTimeoutError{Vendor: vendor, Op: op, Last: e.ref.String() + ": " + e.last, Checks: e.checks, Elapsed: time.Since(e.started), Err: ctx.Err()}
				}
				if !yield(nil, &CreatorError{Creator: e.ref, Err: err}) {
					return
				}
			}
		}
		for len(pending) > 0 {
			progressed := false
			var still []*entry
			for i, e := range pending {
				if ctx.Err() != nil {
					pending = append(still, pending[i:]...)
					giveUp(nil)
					return
				}
				d, err := s.checkStatus(ctx, opDataStatus, statusParams(e.ref, cfg.weekly && e.checks == 0))
				if err == nil {
					e.checks++
					e.last = d.Describe()
					if !d.AudienceReady() {
						still = append(still, e)
						continue
					}
				}
				var p *Profile
				if err == nil {
					p, err = s.fetchAudience(ctx, op, e.ref, cfg)
				}
				if ctx.Err() != nil && err != nil && !errors.Is(err, ErrNotReady) {
					pending = append(append(still, e), pending[i+1:]...)
					giveUp(nil)
					return
				}
				progressed = true
				if errors.Is(err, ErrQuotaExceeded) {
					if !yield(p, &CreatorError{Creator: e.ref, Err: err}) {
						return
					}
					pending = append(still, pending[i+1:]...)
					giveUp(err)
					return
				}
				if err != nil {
					err = &CreatorError{Creator: e.ref, Err: err}
				}
				if !yield(p, err) {
					return
				}
			}
			pending = still
			if len(pending) == 0 {
				return
			}
			if progressed {
				intervals.Reset()
			}
			if poll.Sleep(ctx, intervals.Next()) != nil {
				giveUp(nil)
				return
			}
		}
	}
}
