package engagecheck_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The roster's targets (issue 20), each a scenario on the bubble's clock
// at EngageCheck's own pace (42 s audits, a batch's audits one after
// another, 60 requests a minute on the key). They take a second or two of
// CPU each, so `go test ./...` skips them; they run with
//
//	ENGAGECHECK_ROSTER_TARGETS=all go test -run RosterTargets -v ./engagecheck/
//
// (or a scenario's name instead of all), which asserts the targets and
// prints the figures, and as benchmarks, which run each scenario in a
// child process (a benchmark cannot host a synctest bubble) and report
// its figures:
//
//	go test -run '^$' -bench RosterTargets -benchtime 1x ./engagecheck/
const targetsEnv = "ENGAGECHECK_ROSTER_TARGETS"

// targetScenarios are the scenarios by name, in the order they run.
var targetScenarios = []struct {
	name string
	run  func(t *testing.T, fig figures)
}{
	{"webhooks", func(t *testing.T, fig figures) { webhookScenario(t, fig, 0) }},
	{"webhooks-lost-20pct", func(t *testing.T, fig figures) { webhookScenario(t, fig, 0.2) }},
	{"poll-500", pollScenario},
	{"rerun-reuse", func(t *testing.T, fig figures) { rerunScenario(t, fig, true) }},
	{"rerun-no-reuse", func(t *testing.T, fig figures) { rerunScenario(t, fig, false) }},
	{"beside-job", func(t *testing.T, fig figures) { besideJobScenario(t, fig, false) }},
	{"beside-roster", func(t *testing.T, fig figures) { besideJobScenario(t, fig, true) }},
	{"inputs-1x", func(t *testing.T, fig figures) { inputsScenario(t, fig, 1) }},
	{"inputs-10x", func(t *testing.T, fig figures) { inputsScenario(t, fig, 10) }},
	{"inputs-100x", func(t *testing.T, fig figures) { inputsScenario(t, fig, 100) }},
}

// figures prints a scenario's figures for the benchmark to read.
type figures func(unit string, v float64)

func TestRosterTargets(t *testing.T) {
	which := os.Getenv(targetsEnv)
	if which == "" {
		t.Skipf("set %s=all (or a scenario's name) to run the roster's target scenarios", targetsEnv)
	}
	t.Parallel()
	for _, sc := range targetScenarios {
		if which != "all" && which != sc.name {
			continue
		}
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				sc.run(t, func(unit string, v float64) {
					fmt.Printf("roster-figure %s %s %g\n", sc.name, unit, v)
					t.Logf("%s: %g", unit, v)
				})
			})
		})
	}
}

// BenchmarkRosterTargets reports the figures of each target scenario, run
// on virtual time in a child process.
func BenchmarkRosterTargets(b *testing.B) {
	for _, sc := range targetScenarios {
		b.Run(sc.name, func(b *testing.B) {
			var got map[string]float64
			for b.Loop() {
				got = runTargetChild(b, sc.name)
			}
			units := make([]string, 0, len(got))
			for u := range got {
				units = append(units, u)
			}
			sort.Strings(units)
			for _, u := range units {
				b.ReportMetric(got[u], u)
			}
		})
	}
}

func runTargetChild(b *testing.B, name string) map[string]float64 {
	cmd := exec.Command(os.Args[0], "-test.run=^TestRosterTargets$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), targetsEnv+"="+name)
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("%s: %v\n%s", name, err, out)
	}
	got := map[string]float64{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 4 && f[0] == "roster-figure" && f[1] == name {
			v, err := strconv.ParseFloat(f[3], 64)
			if err != nil {
				b.Fatal(err)
			}
			got[f[2]] = v
		}
	}
	if len(got) == 0 {
		b.Fatalf("%s reported no figures:\n%s", name, out)
	}
	return got
}

func targetClient(t *testing.T, srv *engagechecktest.Server) (*engagecheck.Client, *vendortest.Counting) {
	own := &vendortest.Counting{Base: srv.HTTPClient().Transport}
	c, err := srv.NewClient(engagecheck.WithHTTPClient(&http.Client{Transport: own}))
	require.NoError(t, err)
	return c, own
}

func targetHandles(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s_%04d", prefix, i)
	}
	return out
}

// answerOnce runs a roster and checks it answers every input exactly once
// with a complete audit; it returns when each answer came.
func answerOnce(t *testing.T, seq func(func(engagecheck.Answer[*engagecheck.Audit], error) bool), inputs []string) map[string]time.Time {
	t.Helper()
	at := map[string]time.Time{}
	seen := make([]int, len(inputs))
	for ans, err := range seq {
		require.NoError(t, err, ans.Input)
		require.Equal(t, inputs[ans.Index], ans.Input)
		require.Equal(t, engagecheck.StatusComplete, ans.Value.Status)
		require.NotNil(t, ans.Value.Report)
		seen[ans.Index]++
		at[ans.Input] = time.Now()
	}
	for i, n := range seen {
		require.Equal(t, 1, n, "input %d answered %d times", i, n)
	}
	return at
}

// webhookScenario: 500 handles WithWebhooks, lost of the webhooks lost.
// Targets: every handle once, 1.000 credits a handle, 0 429s; at most
// 0.05 requests a handle with every webhook delivered, 0.30 with 20% lost.
func webhookScenario(t *testing.T, fig figures, lost float64) {
	const n = 500
	srv := engagechecktest.NewServer(engagechecktest.WithVirtualTime(), engagechecktest.WithCredits(n), engagechecktest.WithWebhookLoss(lost), engagechecktest.WithSeed(20))
	defer srv.Close()
	recv := engagecheck.NewWebhookReceiver()
	url := srv.ServeWebhooks(recv)
	c, own := targetClient(t, srv)
	roster := targetHandles("hook", n)
	start := time.Now()
	answerOnce(t, c.Audits.CreateAndWaitAll(t.Context(), roster, append(srv.PollOptions(), engagecheck.WithWebhooks(recv, url))...), roster)
	perHandle := float64(own.Requests.Load()) / n
	credits := float64(srv.Snapshot().TotalCredits()) / n
	fig("requests/handle", perHandle)
	fig("429s", float64(own.TooMany.Load()))
	fig("credits/handle", credits)
	fig("webhooks-lost", float64(srv.LostWebhooks()))
	fig("virtual-s", time.Since(start).Seconds())
	assert.Equal(t, 1.0, credits)
	assert.Zero(t, own.TooMany.Load())
	if lost == 0 {
		assert.LessOrEqual(t, perHandle, 0.05)
	} else {
		assert.LessOrEqual(t, perHandle, 0.30)
	}
}

// pollScenario is the webhook scenario's roster in poll mode, to compare.
func pollScenario(t *testing.T, fig figures) {
	const n = 500
	srv := engagechecktest.NewServer(engagechecktest.WithVirtualTime(), engagechecktest.WithCredits(n))
	defer srv.Close()
	c, own := targetClient(t, srv)
	roster := targetHandles("poll", n)
	start := time.Now()
	var last engagecheck.Progress
	answerOnce(t, c.Audits.CreateAndWaitAll(t.Context(), roster, append(srv.PollOptions(), engagecheck.WithProgress(func(p engagecheck.Progress) { last = p }))...), roster)
	fig("requests/handle", float64(own.Requests.Load())/n)
	fig("429s", float64(own.TooMany.Load()))
	fig("credits/handle", float64(srv.Snapshot().TotalCredits())/n)
	fig("probes", float64(last.Probes))
	fig("virtual-s", time.Since(start).Seconds())
	assert.Zero(t, own.TooMany.Load())
}

// rerunScenario: a 500-handle roster dies at half (EngageCheck goes down,
// its process with it) and is run again, WithReuseRecent or not. Target:
// with reuse, the credits across both runs are 500.
func rerunScenario(t *testing.T, fig figures, reuse bool) {
	const n = 500
	srv := engagechecktest.NewServer(engagechecktest.WithVirtualTime(), engagechecktest.WithCredits(2*n))
	defer srv.Close()
	roster := targetHandles("rerun", n)
	c, err := srv.NewClient()
	require.NoError(t, err)
	ctx, die := context.WithCancel(t.Context())
	defer die()
	answered := 0
	for _, err := range c.Audits.CreateAndWaitAll(ctx, roster, srv.PollOptions()...) {
		if err == nil {
			answered++
		}
		if answered == n/2 {
			srv.Pause()
			die()
		}
	}
	first := srv.Snapshot().TotalCredits()
	srv.Resume()
	c2, own := targetClient(t, srv)
	opts := srv.PollOptions()
	if reuse {
		opts = append(opts, engagecheck.WithReuseRecent(24*time.Hour))
	}
	answerOnce(t, c2.Audits.CreateAndWaitAll(t.Context(), roster, opts...), roster)
	total := srv.Snapshot().TotalCredits()
	fig("credits-first-run", float64(first))
	fig("credits-both-runs", float64(total))
	fig("rerun-requests/handle", float64(own.Requests.Load())/n)
	if reuse {
		assert.EqualValues(t, n, total)
	}
}

// besideJobScenario: a roster of 100 handles beside another job on the
// key that submits 300 audits of its own (six batches, once the roster's
// batches are in), so the roster's audits sink below them in the list;
// with collect, the other job is a roster of its own that also fetches
// its 300 reports, on the same key's 60 requests a minute. Every batch
// runs 50 audits of 6 s, so EngageCheck is done about 300 virtual seconds
// in (3 s at the fakes' default scale of 0.01). Targets: all collected
// within 1,500 virtual seconds (15 s at that scale), and (when the other
// job leaves the key's rate some room) each audit within twice its
// batch's spacing plus the first poll interval of its completion.
func besideJobScenario(t *testing.T, fig figures, collect bool) {
	d := engagechecktest.Durations{Pending: 500 * time.Millisecond, Scraping: 2500 * time.Millisecond, Analyzing: 3 * time.Second}
	srv := engagechecktest.NewServer(engagechecktest.WithVirtualTime(), engagechecktest.WithCredits(400), engagechecktest.WithDurations(d))
	defer srv.Close()
	c, own := targetClient(t, srv)
	other, err := srv.NewClient()
	require.NoError(t, err)
	start := time.Now()
	var wg sync.WaitGroup
	var once sync.Once
	var prog engagecheck.Progress
	progress := engagecheck.WithProgress(func(p engagecheck.Progress) {
		if prog = p; p.Queued > 0 {
			return
		}
		once.Do(func() {
			wg.Go(func() {
				foreign := targetHandles("other", 300)
				if collect {
					answerOnce(t, other.Audits.CreateAndWaitAll(t.Context(), foreign, srv.PollOptions()...), foreign)
					return
				}
				for i := 0; i < len(foreign); i += engagecheck.MaxBatch {
					_, err := other.Audits.CreateBatch(t.Context(), engagecheck.CreateBatchParams{Usernames: foreign[i : i+engagecheck.MaxBatch]})
					assert.NoError(t, err)
				}
			})
		})
	})
	roster := targetHandles("ours", 100)
	var late time.Duration
	var last, serverDone time.Time
	for ans, err := range c.Audits.CreateAndWaitAll(t.Context(), roster, append(srv.PollOptions(), progress)...) {
		require.NoError(t, err)
		now := time.Now()
		last = now
		late = max(late, now.Sub(ans.Value.CompletedAt.Time))
		if ans.Value.CompletedAt.After(serverDone) {
			serverDone = ans.Value.CompletedAt.Time
		}
	}
	wg.Wait()
	bound := 2*d.Total() + 3*time.Second + stampResolution
	fig("roster-audits-done-virtual-s", serverDone.Sub(start).Seconds())
	fig("all-collected-virtual-s", last.Sub(start).Seconds())
	fig("max-lateness-s", late.Seconds())
	fig("lateness-bound-s", bound.Seconds())
	fig("requests/handle", float64(own.Requests.Load())/100)
	fig("probes", float64(prog.Probes))
	fig("429s-own", float64(own.TooMany.Load()))
	assert.LessOrEqual(t, last.Sub(start), 1500*time.Second)
	if !collect {
		assert.LessOrEqual(t, late, bound)
	}
}

// inputsScenario: a roster of 10×k inputs, blanks, invalid handles,
// duplicates and failing accounts included. Target: exactly one answer
// per input, tied to it; duplicates get the one result, paid once.
func inputsScenario(t *testing.T, fig figures, k int) {
	srv := engagechecktest.NewServer(engagechecktest.WithVirtualTime(), engagechecktest.WithCredits(10*k), engagechecktest.WithSequentialBatches(false))
	defer srv.Close()
	c, own := targetClient(t, srv)
	var inputs []string
	for i := range k {
		inputs = append(inputs, fmt.Sprintf("natgeo_%d", i), fmt.Sprintf("@NatGeo_%d", i), "", fmt.Sprintf("not a handle %d", i),
			fmt.Sprintf("nasa_%d", i), fmt.Sprintf("https://instagram.com/nasa_%d", i), fmt.Sprintf("someprivate_%d", i), "  ",
			fmt.Sprintf("esa_%d", i), fmt.Sprintf("thisuserdoesnotexist_%d", i))
	}
	count := make([]int, len(inputs))
	values := map[string]*engagecheck.Audit{}
	var complete, invalid, failed int
	for ans, err := range c.Audits.CreateAndWaitAll(t.Context(), inputs, srv.PollOptions()...) {
		require.Equal(t, inputs[ans.Index], ans.Input)
		require.NotNil(t, ans.Value)
		count[ans.Index]++
		var ie *engagecheck.ItemError
		switch {
		case err == nil:
			complete++
			name, _ := engagecheck.NormalizeUsername(ans.Input)
			if prev, ok := values[name]; ok {
				require.Same(t, prev, ans.Value, "a duplicate gets the one result")
			}
			values[name] = ans.Value
		case errors.Is(err, engagecheck.ErrInvalidParams):
			require.ErrorAs(t, err, &ie)
			require.Equal(t, ans.Index, ie.Index)
			invalid++
		case errors.Is(err, engagecheck.ErrAuditFailed):
			require.ErrorAs(t, err, &ie)
			require.Equal(t, ans.Input, ie.Input)
			failed++
		default:
			t.Fatalf("%q: %v", ans.Input, err)
		}
	}
	once := 0
	for _, n := range count {
		if n == 1 {
			once++
		}
	}
	snap := srv.Snapshot()
	fig("inputs", float64(len(inputs)))
	fig("answered-once/input", float64(once)/float64(len(inputs)))
	fig("credits-charged", float64(snap.Credits[engagechecktest.RouteBatch]))
	fig("distinct-handles", float64(5*k))
	fig("requests/input", float64(own.Requests.Load())/float64(len(inputs)))
	assert.Equal(t, len(inputs), once, "one answer per input")
	assert.Equal(t, 5*k, complete)
	assert.Equal(t, 3*k, invalid)
	assert.Equal(t, 2*k, failed)
	assert.EqualValues(t, 5*k, snap.Credits[engagechecktest.RouteBatch], "each distinct handle paid once")
}
