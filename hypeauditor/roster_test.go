package hypeauditor_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rosterAnswer is one yielded pair.
type rosterAnswer struct {
	hypeauditor.Answer[*hypeauditor.AnyReport]
	err error
}

func collectRoster(seq func(func(hypeauditor.Answer[*hypeauditor.AnyReport], error) bool)) []rosterAnswer {
	var out []rosterAnswer
	for a, err := range seq {
		out = append(out, rosterAnswer{a, err})
	}
	return out
}

// reportRoutes are the report methods a roster calls.
var reportRoutes = []string{hypeauditortest.RouteReport, hypeauditortest.RouteReportByUserID, hypeauditortest.RouteTikTok, hypeauditortest.RouteTikTokByUserID,
	hypeauditortest.RouteYouTube, hypeauditortest.RouteTwitch, hypeauditortest.RouteTwitter, hypeauditortest.RouteSnapchat}

// arrivals returns the report requests that reached the fake, per
// account, over every report route.
func arrivals(srv *hypeauditortest.Server) map[string]int {
	out := map[string]int{}
	for _, r := range reportRoutes {
		maps.Copy(out, srv.Arrivals(r))
	}
	return out
}

// tooMany counts the fake's 429s.
func tooMany(srv *hypeauditortest.Server) int {
	n := 0
	for _, st := range srv.Snapshot().Statuses {
		n += st[http.StatusTooManyRequests]
	}
	return n
}

// rosterCopy is one copy of the roster the scale test runs, i its
// number: six accounts on six platforms, a private one, an unknown
// TikTok id, two blanks, two inputs that name no account, three
// duplicates (the same account in another case or form), a report
// HypeAuditor is still calculating (REPORT_CALCULATING, no retryTtl) and
// a low-confidence one.
func rosterCopy(i int) []string {
	return []string{
		fmt.Sprintf("instagram/@acct%d", i),
		fmt.Sprintf("https://www.tiktok.com/@tt%d", i),
		fmt.Sprintf("youtube/@Yt%d", i),
		fmt.Sprintf("twitch/tw%d", i),
		fmt.Sprintf("x/xx%d", i),
		fmt.Sprintf("snapchat/sc%d", i),
		fmt.Sprintf("instagram/private%d", i),
		fmt.Sprintf("tiktok/id:99%d", i),
		"",
		"   ",
		fmt.Sprintf("facebook/fb%d", i),
		fmt.Sprintf("instagram/bad handle%d", i),
		fmt.Sprintf("Instagram/ACCT%d", i),
		fmt.Sprintf("https://instagram.com/acct%d/", i),
		fmt.Sprintf("youtube/yt%d", i),
		fmt.Sprintf("tiktok/calculating%d", i),
		fmt.Sprintf("instagram/lowconf%d", i),
	}
}

// GetAndWaitAll yields exactly one value per input, tied to it (index and
// input as given), at 1x, 10x and 100x a roster with blanks, invalid
// inputs and duplicates: duplicates get the one report (the same value),
// each account is requested and paid once, no request is refused with a
// 429, and no account takes more requests than its single wait's bound
// (ceil(90 s / 30 s) + 1 = 4).
func TestGetAndWaitAllAnswersEveryInputOnce(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 10, 100} {
		t.Run(fmt.Sprintf("%dx", n), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) { checkEveryInputOnce(t, n) })
		})
	}
}

func checkEveryInputOnce(t *testing.T, n int) {
	srv, c := newFake(t, hypeauditortest.WithCredits(10*n))
	const per = 17 // inputs per copy
	var inputs []string
	for i := range n {
		inputs = append(inputs, rosterCopy(i)...)
	}
	var last hypeauditor.Progress
	answers := collectRoster(c.Reports.GetAndWaitAll(testCtx(t), inputs, hypeauditor.WithProgress(func(p hypeauditor.Progress) {
		assert.LessOrEqual(t, p.Pending, max(last.Pending, p.Total), "pending never grows")
		last = p
	})))
	require.Len(t, answers, len(inputs), "one answer per input")
	byIndex := map[int]rosterAnswer{}
	for _, a := range answers {
		_, seen := byIndex[a.Index]
		require.False(t, seen, "input %d answered twice", a.Index)
		byIndex[a.Index] = a
		require.Equal(t, inputs[a.Index], a.Input, "the input as given")
		if a.err == nil {
			require.NotNil(t, a.Value, a.Input)
			assert.True(t, a.Value.State().Ready(), a.Input)
			assert.NotEmpty(t, a.Value.Raw, a.Input)
			assert.NotNil(t, a.Value.Response, a.Input)
			assert.NotEmpty(t, a.Value.Summary().Username, a.Input)
			continue
		}
		var ie *hypeauditor.ItemError
		require.ErrorAs(t, a.err, &ie, a.Input)
		assert.Equal(t, a.Index, ie.Index)
		assert.Equal(t, a.Input, ie.Input)
		assert.NotEmpty(t, ie.Reason)
	}
	for i := range n {
		at := func(k int) rosterAnswer { return byIndex[i*per+k] }
		for k := range 6 {
			require.NoError(t, at(k).err, at(k).Input)
		}
		assert.Equal(t, []hypeauditor.Platform{hypeauditor.Instagram, hypeauditor.TikTok, hypeauditor.YouTube, hypeauditor.Twitch, hypeauditor.Twitter, hypeauditor.Snapchat},
			[]hypeauditor.Platform{at(0).Value.Platform, at(1).Value.Platform, at(2).Value.Platform, at(3).Value.Platform, at(4).Value.Platform, at(5).Value.Platform})
		assert.NotNil(t, at(4).Value.Network)
		var ie *hypeauditor.ItemError
		require.ErrorAs(t, at(6).err, &ie)
		assert.ErrorIs(t, ie, hypeauditor.ErrReportUnavailable)
		assert.Equal(t, fmt.Sprintf("instagram/@private%d", i), ie.Item)
		assert.Equal(t, "PRIVATE", ie.State)
		require.ErrorAs(t, at(7).err, &ie)
		assert.Equal(t, fmt.Sprintf("tiktok/id:99%d", i), ie.Item)
		assert.ErrorIs(t, ie, hypeauditor.ErrNotFound)
		for k := 8; k <= 11; k++ {
			require.ErrorAs(t, at(k).err, &ie, at(k).Input)
			assert.ErrorIs(t, ie, hypeauditor.ErrInvalidParams, at(k).Input)
			assert.Empty(t, ie.Item, "an input that names no account has no item")
			assert.True(t, strings.HasPrefix(ie.Reason, "not sent: "), ie.Reason)
		}
		assert.Same(t, at(0).Value, at(12).Value, "a duplicate gets the one report")
		assert.Same(t, at(0).Value, at(13).Value)
		assert.Same(t, at(2).Value, at(14).Value)
		require.NoError(t, at(15).err, "a report still calculating is waited out")
		require.NoError(t, at(16).err)
		assert.True(t, at(16).Value.Instagram.LowConfidence())
		assert.NotEmpty(t, at(16).Value.MissingBlocks())
	}
	assert.Equal(t, 9*n, srv.Unlocks(), "each account unlocked once: eight reports and a private account (refunded)")
	assert.Equal(t, 2*n, srv.Credits(), "eight credits spent per copy")
	assert.Zero(t, tooMany(srv), "no 429")
	for acct, k := range arrivals(srv) {
		assert.LessOrEqual(t, k, 4, "%s: at most the single wait's bound", acct)
	}
	assert.Equal(t, len(inputs), last.Total)
	assert.Zero(t, last.Pending)
	assert.Equal(t, 11*n, last.Succeeded)
	assert.Equal(t, 6*n, last.Failed)
}

// A 1,000-account roster over every platform, on the fake's documented
// durations (a 90 s generation, a 30 s retryTtl, 99 requests a minute)
// on virtual time: report credits spent = accounts, no 429, each account
// within its single wait's bound (4 requests). The figures are logged:
// go test -run RosterScale -v ./hypeauditor/
func TestGetAndWaitAllRosterScale(t *testing.T) {
	t.Parallel()
	n := 1000
	if raceEnabled {
		n = 300
	}
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t, hypeauditortest.WithCredits(2*n))
		plats := hypeauditor.Platforms()
		inputs := make([]string, n)
		for i := range inputs {
			inputs[i] = fmt.Sprintf("%s/creator_%d", plats[i%len(plats)], i)
		}
		start := time.Now()
		answers := collectRoster(c.Reports.GetAndWaitAll(testCtx(t), inputs))
		took := time.Since(start)
		require.Len(t, answers, n)
		for _, a := range answers {
			require.NoError(t, a.err, a.Input)
		}
		assert.Equal(t, n, srv.Unlocks(), "report credits = accounts")
		assert.Equal(t, n, 2*n-srv.Credits())
		assert.Zero(t, tooMany(srv), "no 429")
		per := arrivals(srv)
		require.Len(t, per, n)
		total, worst := 0, 0
		for _, k := range per {
			total += k
			worst = max(worst, k)
		}
		bound := int(math.Ceil(90.0/30)) + 1
		assert.LessOrEqual(t, worst, bound, "requests per account within the single wait's bound")
		u := c.Usage()
		assert.LessOrEqual(t, u.Spent, int64(n))
		assert.GreaterOrEqual(t, u.Spent+u.SpentUnknown, int64(n))
		t.Logf("%d accounts: %d report credits, %d report requests (%.2f per account, worst %d, bound %d), %d planInfo, %d x 429, %s virtual",
			n, srv.Unlocks(), total, float64(total)/float64(n), worst, bound, srv.Snapshot().Requests[hypeauditortest.RoutePlanInfo], tooMany(srv), took.Round(time.Second))
	})
}

// requestLog records when each report request of a client went, per
// account.
type requestLog struct {
	base http.RoundTripper
	mu   sync.Mutex
	at   map[string][]time.Time
}

func (l *requestLog) RoundTrip(r *http.Request) (*http.Response, error) {
	q := r.URL.Query()
	if acct := q.Get("channel") + q.Get("username") + q.Get("user_id"); acct != "" {
		l.mu.Lock()
		l.at[acct] = append(l.at[acct], time.Now())
		l.mu.Unlock()
	}
	return l.base.RoundTrip(r)
}

// The roster never asks for an account sooner than HypeAuditor's
// retryTtl after the answer that gave it, and asks at most as often as
// the single wait would: a 100 s generation with a 30 s retryTtl is
// found ready on the fifth request (0, 30, 60, 90, 120 s).
func TestGetAndWaitAllHonoursRetryTTL(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := newFake(t, hypeauditortest.WithGeneration(100*time.Second))
		log := &requestLog{base: fakeTransport(t, srv), at: map[string][]time.Time{}}
		c, err := srv.NewClient(hypeauditor.WithHTTPClient(&http.Client{Transport: log}))
		require.NoError(t, err)
		inputs := []string{"instagram/ig_one", "tiktok/tt_one", "youtube/yt_one", "twitch/tw_one", "x/xx_one", "snapchat/sc_one", "instagram/ig_two"}
		start := time.Now()
		answers := collectRoster(c.Reports.GetAndWaitAll(testCtx(t), inputs))
		require.Len(t, answers, len(inputs))
		for _, a := range answers {
			require.NoError(t, a.err)
		}
		assert.Less(t, time.Since(start), 130*time.Second, "the last ones ready at about 120 s")
		require.Len(t, log.at, len(inputs))
		for acct, at := range log.at {
			assert.Len(t, at, 5, acct)
			for i := 1; i < len(at); i++ {
				assert.GreaterOrEqual(t, at[i].Sub(at[i-1]), 30*time.Second, "%s: request %d came %s after the one before", acct, i+1, at[i].Sub(at[i-1]))
			}
		}
	})
}

// The plan's report credits (planInfo, free) are checked before anything
// is spent: a roster they cannot cover is refused whole, every input
// answered with ErrQuotaExceeded and nothing but planInfo sent; accounts
// the client saw unlocked do not count. WithAllowPartial goes on and
// answers with ErrQuotaExceeded what HypeAuditor refuses for want of
// credits, and every account not requested by then, requesting none of
// them.
func TestGetAndWaitAllChecksThePlanFirst(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t, hypeauditortest.WithCredits(3))
		ctx := testCtx(t)
		_, err := c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{Username: "seen_before"})
		require.NoError(t, err)
		before := arrivals(srv)
		roster := []string{"instagram/seen_before", "tiktok/new_one", "youtube/new_two", "twitch/new_three", ""}
		answers := collectRoster(c.Reports.GetAndWaitAll(ctx, roster))
		require.Len(t, answers, len(roster))
		for _, a := range answers {
			require.Error(t, a.err)
			if a.Input == "" {
				continue
			}
			assert.ErrorIs(t, a.err, hypeauditor.ErrQuotaExceeded, a.Input)
			assert.Contains(t, a.err.Error(), "the roster needs up to 3 report credits (its accounts this client has not seen unlocked) and the plan has 2 left")
			assert.Contains(t, a.err.(*hypeauditor.ItemError).Reason, "WithAllowPartial")
		}
		assert.Equal(t, 1, srv.Unlocks(), "nothing spent")
		assert.Equal(t, 1, srv.Snapshot().Requests[hypeauditortest.RoutePlanInfo])
		assert.Equal(t, before, arrivals(srv), "no report request")

		answers = collectRoster(c.Reports.GetAndWaitAll(ctx, roster[:3]))
		for _, a := range answers {
			require.NoError(t, a.err, "two new accounts, two credits: %s", a.Input)
		}

		srv.SetCredits(2)
		roster = []string{"tiktok/p1", "tiktok/p2", "tiktok/p3", "tiktok/p4", "tiktok/p5", "tiktok/p6", "tiktok/p7", "tiktok/p8"}
		answers = collectRoster(c.Reports.GetAndWaitAll(ctx, roster, hypeauditor.WithAllowPartial()))
		require.Len(t, answers, len(roster))
		ok, quota := 0, 0
		for _, a := range answers {
			switch {
			case a.err == nil:
				ok++
			case errors.Is(a.err, hypeauditor.ErrQuotaExceeded):
				quota++
			default:
				t.Errorf("%s: %v", a.Input, a.err)
			}
		}
		assert.Equal(t, 2, ok, "as many as the credits cover")
		assert.Equal(t, 6, quota)
		sent := 0
		for acct := range srv.Arrivals(hypeauditortest.RouteTikTok) {
			if strings.HasPrefix(acct, "tiktok/p") {
				sent++
			}
		}
		assert.LessOrEqual(t, sent, 2+4, "after the first refusal, no request but those in flight (four at most) and the checks")
		for _, a := range answers {
			if errors.Is(a.err, hypeauditor.ErrQuotaExceeded) && strings.Contains(a.err.Error(), "not sent") {
				assert.NotContains(t, a.err.Error(), "channel=", "the cause names no other account: %v", a.err)
			}
		}

		_, err = c.Reports.GetAndWait(ctx, hypeauditor.ReportRef{Platform: hypeauditor.TikTok, Account: "p1"}, hypeauditor.WithAllowPartial())
		require.ErrorIs(t, err, hypeauditor.ErrInvalidParams, "a single wait refuses it")
		assert.Contains(t, err.Error(), "WithAllowPartial applies to Reports.GetAndWaitAll only")
	})
}

// With WithBudget the roster is sized to what remains, in input order:
// the accounts past it are answered with ErrBudgetExceeded at once and
// nothing is sent for them; accounts the client saw unlocked take no
// room.
func TestGetAndWaitAllSizesToTheBudget(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := newFake(t)
		b := hypeauditor.NewBudget(3)
		c, err := srv.NewClient(hypeauditor.WithBudget(b))
		require.NoError(t, err)
		ctx := testCtx(t)
		_, err = c.Reports.TwitchAndWait(ctx, hypeauditor.ChannelParams{Channel: "known"})
		require.NoError(t, err)
		roster := []string{"twitch/known", "instagram/b1", "instagram/b2", "instagram/b3", "instagram/b4", "instagram/b2"}
		answers := collectRoster(c.Reports.GetAndWaitAll(ctx, roster))
		require.Len(t, answers, len(roster))
		got := map[string]error{}
		for i, a := range answers {
			got[a.Input] = a.err
			if i < 2 {
				assert.ErrorIs(t, a.err, hypeauditor.ErrBudgetExceeded, "answered first, before anything is sent: %s", a.Input)
			}
		}
		for _, in := range []string{"twitch/known", "instagram/b1", "instagram/b2"} {
			assert.NoError(t, got[in], in)
		}
		for _, in := range []string{"instagram/b3", "instagram/b4"} {
			assert.ErrorIs(t, got[in], hypeauditor.ErrBudgetExceeded, in)
			assert.Contains(t, got[in].Error(), "not sent: the client's budget (WithBudget) cannot hold this account's report credit")
			assert.Zero(t, srv.Arrivals(hypeauditortest.RouteReport)[strings.TrimPrefix(in, "instagram/")], "nothing sent for %s", in)
		}
		assert.Equal(t, int64(3), b.Used())
		assert.Equal(t, 3, srv.Unlocks())
	})
}

// When the context ends, every input still pending is answered with an
// *ItemError whose Err is a *TimeoutError (errors.Is sees the context's
// error): an account whose report was requested with its last NOT_READY
// report and the call to read it later, one never requested saying so
// (nothing spent on it). An account whose next check would fall past the
// deadline is answered then, not at the deadline.
func TestGetAndWaitAllTimesOutEveryPendingInput(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t, hypeauditortest.WithGeneration(10*time.Minute))
		var roster []string
		for i := range 200 {
			roster = append(roster, fmt.Sprintf("tiktok/slow_%d", i))
		}
		roster = append(roster, "", "tiktok/slow_0")
		start := time.Now()
		answers := collectRoster(c.Reports.GetAndWaitAll(timeout(t, time.Minute), roster))
		assert.LessOrEqual(t, time.Since(start), time.Minute)
		require.Len(t, answers, len(roster))
		requested, notSent := 0, 0
		for _, a := range answers {
			var ie *hypeauditor.ItemError
			require.ErrorAs(t, a.err, &ie, a.Input)
			if a.Input == "" {
				continue
			}
			var te *hypeauditor.TimeoutError
			require.ErrorAs(t, a.err, &te, a.Input)
			assert.ErrorIs(t, a.err, context.DeadlineExceeded, a.Input)
			acct := strings.TrimPrefix(a.Input, "tiktok/")
			switch {
			case strings.HasPrefix(ie.Reason, "not sent"):
				notSent++
				assert.Zero(t, srv.Arrivals(hypeauditortest.RouteTikTok)[acct], "nothing sent for %s", acct)
				assert.Zero(t, te.Checks)
				assert.Nil(t, a.Value)
			case ie.State == "NOT_READY":
				requested++
				require.NotNil(t, a.Value, a.Input)
				assert.True(t, a.Value.Status().NotReady())
				assert.Contains(t, ie.Reason, "ask again later with Reports.Get")
			default:
				assert.Contains(t, ie.Reason, "no answer before the roster ended", a.Input)
			}
		}
		assert.Positive(t, requested)
		assert.Positive(t, notSent)
		assert.Equal(t, srv.Unlocks(), len(arrivals(srv)), "paid only for the accounts requested")
		t.Logf("1 min of a 200-account roster: %d requested, %d never sent, %d unlocks", requested, notSent, srv.Unlocks())
	})
}

// A cancelled context answers every pending input with the cancellation;
// a consumer that breaks gets nothing more, and the requests in flight
// end with the iterator (goleak and the bubble see no goroutine left).
func TestGetAndWaitAllCancelAndBreak(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		_, c := newFake(t)
		ctx, cancel := context.WithCancel(testCtx(t))
		defer cancel()
		roster := []string{"instagram/a1", "instagram/a2", "instagram/a3", "bad"}
		n := 0
		for a, err := range c.Reports.GetAndWaitAll(ctx, roster) {
			n++
			if a.Input == "bad" {
				cancel() // after the refusal, answered at once
				continue
			}
			assert.ErrorIs(t, err, context.Canceled, a.Input)
			var te *hypeauditor.TimeoutError
			assert.ErrorAs(t, err, &te)
		}
		assert.Equal(t, len(roster), n)

		n = 0
		for range c.Reports.GetAndWaitAll(testCtx(t), []string{"instagram/b1", "instagram/b2", "instagram/b3", "instagram/b4", "instagram/b5", "instagram/b6"}) {
			n++
			if n == 2 {
				break
			}
		}
		assert.Equal(t, 2, n)
	})
}

// Bad options are answered per input, nothing sent.
func TestGetAndWaitAllBadOptions(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		answers := collectRoster(c.Reports.GetAndWaitAll(testCtx(t), []string{"instagram/a1", "", "instagram/A1"}, hypeauditor.WithPollInterval(0, 0)))
		require.Len(t, answers, 3)
		for _, a := range answers {
			assert.ErrorIs(t, a.err, hypeauditor.ErrInvalidParams, a.Input)
		}
		assert.Contains(t, answers[2].err.Error(), "WithPollInterval")
		assert.Zero(t, slices.Collect(maps.Values(srv.Snapshot().Requests)))
	})
}

// A lost answer to an account's first request (the request reached
// HypeAuditor and unlocked the report) is asked again, free: each account
// is paid once.
func TestGetAndWaitAllNeverPaysTwice(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t, hypeauditortest.WithSeed(3))
		srv.SetFaults(hypeauditortest.Faults{Routes: []string{hypeauditortest.RouteReport}, DropAfterRate: 0.3, ErrorRate: map[int]float64{503: 0.1}})
		var roster []string
		for i := range 40 {
			roster = append(roster, fmt.Sprintf("instagram/lossy_%d", i))
		}
		answers := collectRoster(c.Reports.GetAndWaitAll(testCtx(t), roster))
		require.Len(t, answers, len(roster))
		failed := 0
		for _, a := range answers {
			if a.err != nil {
				failed++
				assert.True(t, errors.Is(a.err, hypeauditor.ErrOutcomeUnknown) || errors.Is(a.err, hypeauditor.ErrServer), "%s: %v", a.Input, a.err)
			}
		}
		assert.LessOrEqual(t, failed, 2, "only an account whose checks failed four times in a row")
		assert.Equal(t, len(roster), srv.Unlocks(), "each account unlocked once, lost answers included")
		u := c.Usage()
		assert.LessOrEqual(t, u.Spent, int64(len(roster)))
		assert.GreaterOrEqual(t, u.Spent+u.SpentUnknown, int64(len(roster)))
	})
}

// Observers see the roster as one call, its report requests as polls and
// its inputs as items; WithProgress ends with every input answered.
func TestGetAndWaitAllIsObserved(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		rec := &vendortest.Recorder{}
		srv, _ := newFake(t)
		c, err := srv.NewClient(hypeauditor.WithObserver(rec))
		require.NoError(t, err)
		roster := []string{"instagram/o1", "tiktok/o2", "youtube/o3", "", "instagram/O1"}
		answers := collectRoster(c.Reports.GetAndWaitAll(testCtx(t), roster))
		require.Len(t, answers, len(roster))
		var calls []creatorkit.CallEvent
		for _, c := range rec.Calls("Reports.GetAndWaitAll") {
			if c.Route == "" { // the roster; its requests are calls of their own, named after it
				calls = append(calls, c)
			} else {
				assert.True(t, strings.HasPrefix(c.Route, "auditor."), c.Route)
			}
		}
		require.Len(t, calls, 1)
		reports := 0
		for _, r := range reportRoutes {
			reports += srv.Snapshot().Requests[r]
		}
		assert.Equal(t, reports, calls[0].Polls)
		assert.Equal(t, len(roster), calls[0].Items)
		assert.Empty(t, calls[0].ErrorKind)
		for _, a := range rec.Attempts() {
			assert.True(t, strings.HasPrefix(a.Route, "auditor."), a.Route)
			for _, v := range []string{"o1", "o2", "o3"} {
				assert.NotContains(t, a.Route, v)
			}
		}
	})
}

// Get and GetAndWait take any platform's reference: the platform's own
// call, its report in its field of AnyReport.
func TestGetAnyPlatform(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		_, c := newFake(t)
		ctx := testCtx(t)
		for _, ref := range []hypeauditor.ReportRef{
			{Platform: hypeauditor.Instagram, Account: "nasa"}, {Platform: hypeauditor.TikTok, Account: "littlebig"},
			{Platform: hypeauditor.YouTube, Account: "nasa"}, {Platform: hypeauditor.Twitch, Account: "nasa"},
			{Platform: hypeauditor.Twitter, Account: "nasa"}, {Platform: hypeauditor.Snapchat, Account: "nasa"},
		} {
			r, err := c.Reports.Get(ctx, ref)
			require.NoError(t, err, ref.String())
			assert.Equal(t, hypeauditor.StateNotReady, r.State(), ref.String())
			r, err = c.Reports.GetAndWait(ctx, ref)
			require.NoError(t, err, ref.String())
			assert.True(t, r.Status().Ready(), ref.String())
			assert.Equal(t, ref.Platform, r.Platform)
			s := r.Summary()
			assert.Equal(t, "hypeauditor", s.Source)
			assert.NotEmpty(t, s.Username, ref.String())
		}
		_, err := c.Reports.GetAndWait(ctx, hypeauditor.ReportRef{Platform: hypeauditor.Twitch, UserID: "1"})
		assert.ErrorIs(t, err, hypeauditor.ErrInvalidParams)
		_, err = c.Reports.Get(ctx, hypeauditor.ReportRef{Platform: "myspace", Account: "x"})
		assert.ErrorIs(t, err, hypeauditor.ErrInvalidParams)
		var nilReport *hypeauditor.AnyReport
		assert.Equal(t, "hypeauditor", nilReport.Summary().Source, "nil-safe")
		assert.Nil(t, nilReport.Status())
	})
}
