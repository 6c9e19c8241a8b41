package redisstore_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/contrib/redislimit"
	"github.com/creatorkit/creatorkit-go/contrib/redislimit/redistest"
	"github.com/creatorkit/creatorkit-go/contrib/redisstore"
	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rosterEnv marks a re-executed test binary as a roster worker process of
// TestRosterSplitAcrossWorkerProcesses; its value is the job, in JSON.
const rosterEnv = "REDISSTORE_TEST_ROSTER"

// The fake's pace for the roster workers: 12-second audits (a batch of 50
// runs one after another: 600 s) at a time scale of 0.02, so a batch
// takes 12 s of real time and the key's 60-a-minute window 1.2 s.
const workerScale = 0.02

var workerDurations = engagechecktest.Durations{Pending: 2 * time.Second, Scraping: 5 * time.Second, Analyzing: 5 * time.Second}

// rosterJob is one worker process's job: a share of the roster, audited
// on the shared key through the limiter in Redis, its results taken from
// the webhooks the intake appends to the stream.
type rosterJob struct {
	// Name names the worker: its consumer group is "rosters-"+Name and
	// its consumer Name, so a rerun under the same name takes up what the
	// group received meanwhile.
	Name     string
	Redis    string
	BaseURL  string
	APIKey   string
	Scale    float64 // the fake's time scale
	HookURL  string  // the intake's public URL
	Handles  []string
	Reuse    bool // WithReuseRecent: a rerun of a worker that died
	Deadline time.Time
}

// rosterDone is what a worker reports when its roster ended.
type rosterDone struct {
	// Requests, Reads (GETs of an audit by id) and R429, counted at its
	// HTTP client.
	Requests, Reads, R429 int64
	Spent                 int64
	Polls, Probes         int
	Consumer              redisstore.ConsumerStats
	Limiter               redislimit.Stats
}

// rosterWorkerMain is a roster worker: it creates its consumer (and
// group) first, runs it, runs CreateAndWaitAll WithWebhooks over its
// handles, and prints "ready", one "answer <index> <audit id> <status>
// ok|<error>" line per answer as it comes, and "done <rosterDone JSON>".
func rosterWorkerMain() int {
	var j rosterJob
	if err := json.Unmarshal([]byte(os.Getenv(rosterEnv)), &j); err != nil {
		fmt.Fprintln(os.Stderr, "bad roster job:", err)
		return 2
	}
	fail := func(err error) int { fmt.Fprintln(os.Stderr, "roster worker", j.Name+":", err); return 2 }
	scale := func(d time.Duration) time.Duration { return time.Duration(float64(d) * j.Scale) }
	scaled := func(d time.Duration) time.Duration { return scale(d) + time.Millisecond } // as the fake's own options
	ctx, cancel := context.WithDeadline(context.Background(), j.Deadline)
	defer cancel()

	rdb := redis.NewClient(&redis.Options{Addr: j.Redis})
	defer rdb.Close()
	// The key's 60 a minute, on the fake's time, shared by every worker.
	lim, err := redislimit.ForWindows(rdb, "engagecheck", "agency-key", []redislimit.Window{{N: 60, Per: scale(time.Minute)}},
		redislimit.WithLogger(discard()))
	if err != nil {
		return fail(err)
	}
	own := &counted{base: http.DefaultTransport.(*http.Transport).Clone()}
	c, err := engagecheck.NewClient(engagecheck.WithBaseURL(j.BaseURL), engagecheck.WithAPIKey(j.APIKey), engagecheck.WithLimiter(lim),
		engagecheck.WithRetryWait(scaled(500*time.Millisecond), scaled(30*time.Second)), engagecheck.WithHTTPClient(&http.Client{Transport: own}))
	if err != nil {
		return fail(err)
	}
	stream, err := redisstore.NewStream(rdb, "app", redisstore.WithLogger(discard()))
	if err != nil {
		return fail(err)
	}
	// The consumer, and so its group, exists before the roster submits.
	consumer, err := stream.NewConsumer(ctx, "rosters-"+j.Name, j.Name, redisstore.WithBlock(100*time.Millisecond), redisstore.WithLogger(discard()))
	if err != nil {
		return fail(err)
	}
	recv := engagecheck.NewWebhookReceiver()
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var once sync.Once
	startConsumer := func() {
		once.Do(func() { wg.Go(func() { _ = consumer.Run(runCtx, redisstore.EngageCheckHandler(recv)) }) })
	}
	if !j.Reuse {
		startConsumer()
	}
	fmt.Println("ready")

	var last engagecheck.Progress
	opts := []engagecheck.WaitOption{engagecheck.WithPollInterval(scaled(3*time.Second), scaled(30*time.Second)),
		engagecheck.WithWebhooks(recv, j.HookURL), engagecheck.WithProgress(func(p engagecheck.Progress) {
			last = p
			if p.Pending > 0 {
				// The rerun's audits are adopted, so routed to recv: the
				// events its group received meanwhile answer them now.
				startConsumer()
			}
		})}
	if j.Reuse {
		opts = append(opts, engagecheck.WithReuseRecent(24*time.Hour))
	}
	for a, err := range c.Audits.CreateAndWaitAll(ctx, j.Handles, opts...) {
		res := "ok"
		if err != nil {
			res = strings.ReplaceAll(err.Error(), "\n", " ")
		}
		fmt.Printf("answer %d %d %s %s\n", a.Index, a.Value.ID, a.Value.Status, res)
	}
	stop()
	wg.Wait()
	out, err := json.Marshal(rosterDone{Requests: own.requests.Load(), Reads: own.reads.Load(), R429: own.r429.Load(), Spent: c.Usage().Spent,
		Polls: last.Polls, Probes: last.Probes, Consumer: consumer.Stats(), Limiter: lim.Stats()})
	if err != nil {
		return fail(err)
	}
	fmt.Printf("done %s\n", out)
	return 0
}

// answer is one line a worker printed for an input of its share.
type answer struct {
	index int
	id    int64
	state engagecheck.AuditStatus
	res   string // "ok" or the error
}

// rosterProc is a running roster worker process and what it printed.
type rosterProc struct {
	job    rosterJob
	cmd    *exec.Cmd
	killAt int // answers after which the test kills it; 0 never

	mu      sync.Mutex
	answers []answer
	summary *rosterDone
	bad     []string // lines that did not parse
	exited  chan struct{}
	err     error // cmd.Wait's
}

// startRoster starts a worker process on job; killAt > 0 kills it
// (SIGKILL: no cleanup, as a crash or a lost host) once it has printed
// that many answers.
func startRoster(t *testing.T, job rosterJob, killAt int) *rosterProc {
	t.Helper()
	env, err := json.Marshal(job)
	require.NoError(t, err)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), rosterEnv+"="+string(env))
	cmd.Stderr = os.Stderr
	setPdeathsig(cmd)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	p := &rosterProc{job: job, cmd: cmd, killAt: killAt, exited: make(chan struct{})}
	go p.read(out)
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.exited
	})
	return p
}

// read records the worker's lines until it exits.
func (p *rosterProc) read(out io.Reader) {
	defer close(p.exited)
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		p.mu.Lock()
		switch f := strings.SplitN(line, " ", 5); {
		case f[0] == "ready":
		case f[0] == "answer" && len(f) == 5:
			i, err1 := strconv.Atoi(f[1])
			id, err2 := strconv.ParseInt(f[2], 10, 64)
			if err1 != nil || err2 != nil {
				p.bad = append(p.bad, line)
				break
			}
			p.answers = append(p.answers, answer{index: i, id: id, state: engagecheck.AuditStatus(f[3]), res: f[4]})
			if p.killAt > 0 && len(p.answers) == p.killAt {
				_ = p.cmd.Process.Kill()
			}
		case f[0] == "done" && len(f) >= 2:
			var d rosterDone
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "done ")), &d); err != nil {
				p.bad = append(p.bad, line)
				break
			}
			p.summary = &d
		default:
			p.bad = append(p.bad, line)
		}
		p.mu.Unlock()
	}
	err := p.cmd.Wait()
	p.mu.Lock()
	p.err = err
	p.mu.Unlock()
}

func (p *rosterProc) wait(t *testing.T, within time.Duration) {
	t.Helper()
	select {
	case <-p.exited:
	case <-time.After(within):
		t.Fatalf("worker %s did not end within %s", p.job.Name, within)
	}
}

// checkShare asserts that a worker answered every input of its share
// exactly once, each with a complete audit, and returns the audit id of
// each handle.
func checkShare(t *testing.T, p *rosterProc) map[string]int64 {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	require.NoError(t, p.err, "worker %s", p.job.Name)
	require.Empty(t, p.bad, "worker %s printed lines that are not answers", p.job.Name)
	require.NotNil(t, p.summary, "worker %s", p.job.Name)
	ids := map[string]int64{}
	times := make([]int, len(p.job.Handles))
	for _, a := range p.answers {
		require.Less(t, a.index, len(times))
		times[a.index]++
		name := p.job.Handles[a.index]
		assert.Equal(t, "ok", a.res, "worker %s, %s", p.job.Name, name)
		assert.Equal(t, engagecheck.StatusComplete, a.state, "worker %s, %s", p.job.Name, name)
		ids[name] = a.id
	}
	for i, k := range times {
		require.Equal(t, 1, k, "worker %s answered %s %d times", p.job.Name, p.job.Handles[i], k)
	}
	return ids
}

// TestRosterSplitAcrossWorkerProcesses: four worker processes (copies of
// this test binary) on one EngageCheck key split a 2,000-handle roster,
// 500 each. They share the key's 60 a minute through contrib/redislimit
// and take their results from the webhooks that the intake (the web
// replica, in this process) appends to the stream: each worker has a
// consumer group of its own feeding its receiver. One worker is killed
// (SIGKILL) after 150 of its 500 answers and run again under its name
// WithReuseRecent, after a second's restart delay. Every handle ends answered exactly once, 2,000
// credits are charged (nothing paid twice), and the fake, which enforces
// the key's window, answered no 429.
func TestRosterSplitAcrossWorkerProcesses(t *testing.T) {
	rs := redistest.New(t)
	const workers, share = 4, 500
	const total = workers * share
	fake := engagechecktest.NewServer(engagechecktest.WithTimeScale(workerScale), engagechecktest.WithDurations(workerDurations),
		engagechecktest.WithCredits(2*total))
	t.Cleanup(fake.Close)
	intake := newStream(t, rs.Client())
	hookURL := withSecret(fake.ServeWebhooks(intake.WebhookHandler(redisstore.EngageCheckEvents, redisstore.WithVerifier(checkHookSecret))))

	deadline := time.Now().Add(3 * time.Minute)
	job := func(w int) rosterJob {
		handles := make([]string, share)
		for i := range handles {
			handles[i] = fmt.Sprintf("creator_%04d", w*share+i)
		}
		return rosterJob{Name: fmt.Sprint("w", w), Redis: rs.Addr, BaseURL: fake.BaseURL(), APIKey: fake.APIKey, Scale: workerScale,
			HookURL: hookURL, Handles: handles, Deadline: deadline}
	}
	const victim, killAt = workers - 1, share * 3 / 10
	start := time.Now()
	procs := make([]*rosterProc, workers)
	for w := range workers {
		k := 0
		if w == victim {
			k = killAt
		}
		procs[w] = startRoster(t, job(w), k)
	}
	dead := procs[victim]
	dead.wait(t, 2*time.Minute)
	killedAfter := time.Since(start)
	dead.mu.Lock()
	require.Nil(t, dead.summary, "the victim finished before it was killed")
	partial := map[string]int64{}
	for _, a := range dead.answers {
		partial[dead.job.Handles[a.index]] = a.id
	}
	dead.mu.Unlock()
	charged := fake.Snapshot().TotalCredits()

	time.Sleep(time.Second) // the supervisor's restart delay: events for w3 wait in its group
	rj := job(victim)
	rj.Reuse = true
	rerun := startRoster(t, rj, 0)
	for _, p := range append(procs[:victim:victim], rerun) {
		p.wait(t, 2*time.Minute)
	}
	elapsed := time.Since(start)

	final := map[string]int64{}
	for _, p := range append(procs[:victim:victim], rerun) {
		for name, id := range checkShare(t, p) {
			_, twice := final[name]
			require.False(t, twice, "%s answered by two workers", name)
			final[name] = id
		}
	}
	require.Len(t, final, total, "every handle answered")
	for name, id := range partial {
		assert.Equal(t, id, final[name], "the rerun adopted %s's audit instead of paying again", name)
	}

	snap := fake.Snapshot()
	assert.EqualValues(t, total, fake.AuditCount(), "one audit per handle")
	assert.EqualValues(t, total, snap.Credits[engagechecktest.RouteBatch], "credits charged: each handle once")
	assert.EqualValues(t, total, snap.TotalCredits())
	assert.Zero(t, snap.Count(http.StatusTooManyRequests), "429s the fake answered")
	assert.Zero(t, snap.RateLimited, "requests the fake's per-key window refused")
	for _, d := range fake.Deliveries() {
		assert.Equal(t, http.StatusNoContent, d.Status, "the intake took every webhook")
	}

	t.Logf("%d handles, %d worker processes of %d on one key, worker %s killed after %d answers (%s in, %d credits charged by then) and rerun WithReuseRecent: done in %s",
		total, workers, share, dead.job.Name, len(partial), killedAfter.Round(time.Millisecond), charged, elapsed.Round(time.Millisecond))
	t.Logf("the fake: %d requests for %d handles (%.3f a handle, the killed worker's and the rerun's included), %d credits charged, %d × 429, %d webhooks",
		snap.TotalRequests(), total, float64(snap.TotalRequests())/total, snap.TotalCredits(), snap.Count(http.StatusTooManyRequests), len(fake.Deliveries()))
	for _, p := range append(procs[:victim:victim], rerun) {
		d := p.summary
		what := "worker " + p.job.Name
		if p == rerun {
			what = "rerun of " + p.job.Name
		}
		t.Logf("%-12s %3d requests (%.3f a handle: %d list reads, %d reads by id of which %d probes), spent %d, 429s %d; its group handled %d events (%d redelivered); limiter granted %d, waited %d times",
			what+":", d.Requests, float64(d.Requests)/share, d.Polls, d.Reads, d.Probes, d.Spent, d.R429, d.Consumer.Handled, d.Consumer.Redelivered, d.Limiter.Granted, d.Limiter.Retries)
		assert.Zero(t, d.R429, what)
		if p != rerun {
			assert.EqualValues(t, share, d.Spent, what)
			// One balance check and ten submits: 0.022 a handle. On the
			// real clock a busy machine may hand an event over after the
			// roster judged it overdue and looked it up (see
			// TestEngageCheckWebhooksOnReplicaBReachRosterOnReplicaA).
			assert.LessOrEqual(t, d.Reads, int64(share/5), what)
			assert.LessOrEqual(t, float64(d.Requests)/share, 0.3, what)
			continue
		}
		assert.Zero(t, d.Spent, "the rerun paid for nothing")
		// It reads by id the audits whose events the dead worker had
		// taken (a GET each: WithReuseRecent fetches a complete audit);
		// those that settled while it was down are answered by the events
		// its group kept for it (about 50 here).
		assert.LessOrEqual(t, d.Reads, int64(len(partial)+share/10), what)
	}
}
