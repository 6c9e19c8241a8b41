package redisstore_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/contrib/redislimit/redistest"
	"github.com/creatorkit/creatorkit-go/contrib/redisstore"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The environment of a consumer process (a re-executed test binary).
const (
	childEnv   = "REDISSTORE_TEST_CHILD" // Redis address
	childName  = "REDISSTORE_TEST_CHILD_NAME"
	childDieAt = "REDISSTORE_TEST_CHILD_DIE_AT"
)

// childMain is a worker process: it runs a consumer of group "workers"
// whose handler records each event in the list "sink" (not idempotent: a
// second delivery would show). At its DIE_AT-th event it prints
// "blocked <id>" and hangs inside the handler, before recording it, until
// the test kills it (SIGKILL: no cleanup, as in a crash).
func childMain() int {
	rdb := redis.NewClient(&redis.Options{Addr: os.Getenv(childEnv)})
	s, err := redisstore.NewStream(rdb, "app", redisstore.WithLogger(discard()))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	name := os.Getenv(childName)
	c, err := s.NewConsumer(context.Background(), "workers", name, redisstore.WithMinIdle(300*time.Millisecond), redisstore.WithBlock(50*time.Millisecond), redisstore.WithBatch(8), redisstore.WithLogger(discard()))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	dieAt, _ := strconv.Atoi(os.Getenv(childDieAt))
	n := 0
	fmt.Println("running")
	_ = c.Run(context.Background(), func(ctx context.Context, m redisstore.Message) error {
		n++
		if n == dieAt {
			fmt.Println("blocked", m.ID)
			time.Sleep(time.Hour)
		}
		return rdb.RPush(ctx, "sink", fmt.Sprintf("%s %s %t", m.Body, name, m.Redelivered)).Err()
	})
	return 0
}

// child is a running worker process.
type child struct {
	cmd   *exec.Cmd
	lines chan string
}

func startChild(t *testing.T, addr, name string, dieAt int) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+addr, childName+"="+name, childDieAt+"="+strconv.Itoa(dieAt))
	cmd.Stderr = os.Stderr
	setPdeathsig(cmd)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	c := &child{cmd: cmd, lines: make(chan string, 16)}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			c.lines <- sc.Text()
		}
		close(c.lines)
	}()
	t.Cleanup(c.kill)
	require.Equal(t, "running", c.next(t))
	return c
}

func (c *child) next(t *testing.T) string {
	t.Helper()
	select {
	case l, ok := <-c.lines:
		require.True(t, ok, "the worker process exited")
		return l
	case <-time.After(20 * time.Second):
		t.Fatal("the worker process said nothing")
		return ""
	}
}

// kill kills the process at once, as a crash or a lost host would.
func (c *child) kill() {
	if c.cmd.ProcessState != nil {
		return
	}
	_ = c.cmd.Process.Kill()
	_ = c.cmd.Wait()
	for range c.lines { // drain: the reader goroutine ends
	}
}

// A consumer process is killed in the middle of handling an event, with
// more of the stream read but not handled; another process takes over,
// events keep arriving, it is killed too and restarted under its name.
// Every event ends in the sink exactly once.
func TestConsumerKilledMidStream(t *testing.T) {
	srv := redistest.New(t)
	rdb := srv.Client()
	s := newStream(t, rdb)
	_, err := s.NewConsumer(ctx, "workers", "setup") // the group exists before the first event
	require.NoError(t, err)
	var want []string
	appendN := func(n int) {
		for range n {
			body := fmt.Sprintf("e%03d", len(want))
			want = append(want, body)
			_, _, err := s.Append(ctx, redisstore.Event{Source: "custom", Body: []byte(body)})
			require.NoError(t, err)
		}
	}
	appendN(150)

	start := time.Now()
	w1 := startChild(t, srv.Addr, "worker-1", 40)
	blocked := w1.next(t)
	w1.kill()
	t.Logf("worker-1 killed while handling its 40th event (%s)", blocked)

	w2 := startChild(t, srv.Addr, "worker-2", 90) // a replacement under a new name
	appendN(50)                                   // events keep arriving
	blocked = w2.next(t)
	w2.kill()
	t.Logf("worker-2 killed while handling its 90th event (%s)", blocked)
	appendN(50)

	startChild(t, srv.Addr, "worker-2", 0) // worker-2 restarted
	require.Eventually(t, func() bool {
		return rdb.LLen(ctx, "sink").Val() >= int64(len(want)) && pendingCount(t, rdb, s, "workers") == 0
	}, 30*time.Second, 20*time.Millisecond)
	elapsed := time.Since(start)
	time.Sleep(time.Second) // three more MinIdle: nothing is handed again

	sink := rdb.LRange(ctx, "sink", 0, -1).Val()
	var bodies []string
	by := map[string]int{}
	redelivered := 0
	for _, rec := range sink {
		f := strings.Fields(rec)
		bodies = append(bodies, f[0])
		by[f[1]]++
		if f[2] == "true" {
			redelivered++
		}
	}
	sort.Strings(bodies)
	assert.Equal(t, want, bodies, "every event once: none lost, none twice")
	assert.Positive(t, redelivered, "the killed workers' events were handed again")
	t.Logf("%d events in %s: %v handled per worker, %d of them redelivered after a kill", len(want), elapsed.Round(time.Millisecond), by, redelivered)
}
