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
	if err := checkIdentifier(op, r.Platform, r.Username, r.UserID, r.ID); err != nil {
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
//
// Transient answers (a 429 after the transport's retries, as when another
// job shares the key, a 5xx, a connection lost before sending) never end
// the wait: status checks and the paid call are tried again, backing off,
// until the context ends.
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
	// The report is ready: the one paid call. influData charges no failed
	// request, so a transient answer to it (a 429 from another job on the
	// key, a 5xx) is waited out and the call made again; an answer that may
	// have been charged and was lost (ErrOutcomeUnknown) is not.
	var p *Profile
	err = s.c.settle(ctx, op, r.String()+": audience data ready; the paid getUserData call failed transiently", func() error {
		var err error
		p, err = s.fetchAudience(ctx, op, r, cfg)
		return err
	})
	return p, err
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
	// ErrNotFound, ErrQuotaExceeded, ErrNotReady, ErrOutcomeUnknown ...),
	// or a *WaitTimeoutError when the context ended while it was pending.
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
// Every creator is yielded exactly once. A transient answer (a 429 after
// the transport's retries, as when another job shares the key, a 5xx, a
// connection lost before sending) to a status check or to the paid call
// never ends a creator's wait: the creator stays pending and is tried
// again in the next round (influData charges no failed request, so the
// paid call is made again only after an answer that cost nothing). A
// creator that cannot be served is yielded once as a *CreatorError: bad
// references before anything is sent, ErrNotFound and similar as they
// happen, ErrOutcomeUnknown when the paid call's answer was lost after it
// may have been charged (the SDK never pays twice). When the key's budget
// is spent (ErrQuotaExceeded) every creator still pending is yielded with
// that error and the walk ends. When the context ends, each pending
// creator is yielded with a *WaitTimeoutError naming its last status and
// its transient failures. Rounds start WithPollInterval apart and back off
// while nothing changes; break stops it.
func (s *ProfilesService) AudienceAll(ctx context.Context, refs []CreatorRef, opts ...WaitOption) iter.Seq2[*Profile, error] {
	const op = opAudienceAll
	return func(yield func(*Profile, error) bool) {
		cfg, err := newWaitConfig(op, opts)
		if err != nil {
			yield(nil, err)
			return
		}
		var pending []*audienceEntry
		for _, r := range refs {
			if err := checkAudienceRef(op, r, cfg, s.c.plan); err != nil {
				if !yield(nil, &CreatorError{Creator: r, Err: err}) {
					return
				}
				continue
			}
			pending = append(pending, &audienceEntry{ref: r, started: time.Now()})
		}
		giveUp := func(entries []*audienceEntry, cause error) {
			for _, e := range entries {
				err := cause
				if cause == nil {
					err = e.timeout(op, ctxErr(ctx))
				}
				if !yield(nil, &CreatorError{Creator: e.ref, Err: err}) {
					return
				}
			}
		}
		intervals := poll.NewIntervals(cfg.poll)
		for len(pending) > 0 {
			progressed := false
			var still []*audienceEntry
			for i, e := range pending {
				rest := func() []*audienceEntry { return append(append(still, e), pending[i+1:]...) }
				if ctx.Err() != nil {
					giveUp(append(still, pending[i:]...), nil)
					return
				}
				p, done, err := s.audienceStep(ctx, op, e, cfg)
				switch {
				case !done && err == nil: // not ready yet
					still = append(still, e)
					continue
				case !done && ctx.Err() != nil: // the context ended during the call
					giveUp(rest(), nil)
					return
				case !done: // transient: try again next round
					still = append(still, e)
					continue
				}
				progressed = true
				if errors.Is(err, ErrQuotaExceeded) {
					if !yield(p, &CreatorError{Creator: e.ref, Err: err}) {
						return
					}
					giveUp(append(still, pending[i+1:]...), err)
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
				giveUp(pending, nil)
				return
			}
		}
	}
}

// audienceEntry is one creator AudienceAll is waiting for.
type audienceEntry struct {
	ref     CreatorRef
	started time.Time
	checks  int    // status checks answered
	last    string // the last status seen
	// ready: a status check found the report ready, so the paid call is
	// due (it failed transiently, or has not been made yet).
	ready     bool
	transient int
	lastErr   error
}

func (e *audienceEntry) timeout(op string, cause error) *WaitTimeoutError {
	return &WaitTimeoutError{Vendor: vendor, Op: op, Last: e.ref.String() + ": " + e.last, Checks: e.checks,
		Elapsed: time.Since(e.started), TransientErrors: e.transient, LastError: e.lastErr, Err: cause}
}

// audienceStep moves one creator on: a status check (free) until the
// report is ready, then the paid call. done is false while the creator
// stays pending: not ready yet (err nil), or a transient failure (err set,
// counted on the entry). With done, p and err are what to yield.
func (s *ProfilesService) audienceStep(ctx context.Context, op string, e *audienceEntry, cfg waitConfig) (p *Profile, done bool, err error) {
	if !e.ready {
		d, err := s.checkStatus(ctx, opDataStatus, statusParams(e.ref, cfg.weekly && e.checks == 0))
		switch {
		case err == nil:
			e.checks++
			e.last = d.Describe()
			if !d.AudienceReady() {
				return nil, false, nil
			}
			e.ready = true
		case ctx.Err() == nil && poll.IsTransient(err):
			e.transient++
			e.lastErr = err
			return nil, false, err
		case ctx.Err() != nil:
			return nil, false, err
		default:
			return nil, true, err
		}
	}
	p, err = s.fetchAudience(ctx, op, e.ref, cfg)
	if err != nil && !errors.Is(err, ErrNotReady) {
		if ctx.Err() != nil {
			return nil, false, err
		}
		if poll.IsTransient(err) {
			e.transient++
			e.lastErr = err
			e.last = "audience data ready; the paid getUserData call failed transiently"
			return nil, false, err
		}
	}
	return p, true, err
}
