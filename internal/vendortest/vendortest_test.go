package vendortest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRetriesRunsEveryCountInABubble(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	t.Cleanup(func() { // after the parallel subtests
		assert.Equal(t, map[string]int{"group/retries=0": 0, "group/retries=2": 2}, seen)
	})
	t.Run("group", func(t *testing.T) {
		Retries(t, "retries=%d", []int{0, 2}, func(t *testing.T, retries int) {
			time.Sleep(time.Hour) // virtual: the bubble's clock
			mu.Lock()
			seen[t.Name()[len("TestRetriesRunsEveryCountInABubble/"):]] = retries
			mu.Unlock()
		})
	})
}

// A limiter that spaces requests 30 s apart passes the pacing test with
// either third request.
func TestPacingOnASpacedLimiter(t *testing.T) {
	Thirds(t, func(t *testing.T, third string) {
		next := time.Now()
		var u creatorkit.Usage
		u.Operations = map[string]creatorkit.OperationUsage{}
		send := func(op string) func() {
			return func() {
				o := u.Operations[op]
				if wait := time.Until(next); wait > 0 {
					time.Sleep(wait)
					o.RateLimitWait += wait
				}
				next = time.Now().Add(30 * time.Second)
				o.Requests++
				u.Operations[op] = o
			}
		}
		Pacing{Typed: send("Get"), TypedOp: "Get", Raw: send("Do"), Usage: func() creatorkit.Usage { return u }}.Run(t, third)
	})
}

func TestHelpers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := Ctx(t)
		deadline, ok := ctx.Deadline()
		assert.True(t, ok)
		assert.Equal(t, 24*time.Hour, time.Until(deadline))
		short := Timeout(t, time.Second)
		time.Sleep(2 * time.Second)
		assert.ErrorIs(t, short.Err(), context.DeadlineExceeded)
		assert.NoError(t, ctx.Err())
	})
	assert.JSONEq(t, `{"a":1}`, string(MustJSON(t, map[string]int{"a": 1})))
}

// CheckRequest passes the request it describes; Respond answers JSON.
func TestCheckRequestAndRespond(t *testing.T) {
	r := httptest.NewRequest("POST", "https://x.example/p?q=1", strings.NewReader(`{"a":1}`))
	r.Header.Set("Authorization", "Bearer tok")
	r.Header.Set("Accept", "application/json")
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("User-Agent", "creatorkit-go/1 (v)")
	CheckRequest(t, r, "tok", "POST", "q=1", `{ "a": 1 }`)
	resp, err := Respond(201, []byte(`{}`))(r)
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
}

// DriftCall serves the body it is given, re-encodes the result and passes
// on the issues; an answered error counts as success, any other fails.
func TestDriftCall(t *testing.T) {
	var sb ServedBody
	answered := errors.New("answered")
	var runErr error
	run := func() (any, *creatorkit.ResponseMeta, error) {
		resp, err := sb.Responder(httptest.NewRequest("GET", "/", nil))
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		return json.RawMessage(b), &creatorkit.ResponseMeta{DecodeIssues: []creatorkit.DecodeIssue{{Path: "a"}}}, runErr
	}
	call := DriftCall(&sb, run, func(err error) bool { return errors.Is(err, answered) })
	out, issues, err := call([]byte(`{"a":1}`))
	require.NoError(t, err)
	assert.JSONEq(t, `{"a":1}`, string(out))
	assert.Len(t, issues, 1)
	runErr = answered
	_, _, err = call([]byte(`{}`))
	assert.NoError(t, err)
	runErr = errors.New("refused")
	_, _, err = call([]byte(`{}`))
	assert.EqualError(t, err, "refused")
}

// failures is a testing.TB that keeps what Errorf reports.
type failures struct {
	testing.TB
	msgs []string
}

func (f *failures) Errorf(format string, args ...any) {
	f.msgs = append(f.msgs, fmt.Sprintf(format, args...))
}

func TestRefuseAllFailsOnARequest(t *testing.T) {
	f := &failures{TB: t}
	rt := &RefuseAll{T: f}
	_, err := (&http.Client{Transport: rt}).Get("https://x.example/a?key=v")
	assert.Error(t, err)
	assert.EqualValues(t, 1, rt.Sent())
	assert.Equal(t, []string{"a request was sent: GET https://x.example/a?key=v"}, f.msgs)
}

// A ConnLog on a keep-alive transport: the second request reuses the
// first one's connection; on a fresh-connection transport it does not.
func TestConnLog(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	defer srv.Close()
	for _, reused := range []bool{true, false} {
		hc, log := ConnClient(t, srv.Client(), reused)
		for range 2 {
			resp, err := hc.Post(srv.URL+"/a/b", "text/plain", nil)
			require.NoError(t, err)
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		uses := log.Uses(http.MethodPost, "/b")
		require.Len(t, uses, 2)
		assert.Equal(t, []bool{false}, uses[0].Reused)
		assert.Equal(t, []bool{reused}, uses[1].Reused)
		assert.Empty(t, log.Uses(http.MethodGet, "/b"))
		assert.Zero(t, log.Resent())
	}
}

func TestCountingCountsRequestsAndTooMany(t *testing.T) {
	status := 200
	c := &Counting{Base: roundTripFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: status, Body: http.NoBody}, nil
	})}
	for _, s := range []int{200, 429, 503, 429} {
		status = s
		_, err := c.RoundTrip(httptest.NewRequest("GET", "/", nil))
		require.NoError(t, err)
	}
	assert.EqualValues(t, 4, c.Requests.Load())
	assert.EqualValues(t, 2, c.TooMany.Load())
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestSeedsAndSampled(t *testing.T) {
	t.Setenv(FullEnv, "")
	seen := map[uint64]bool{}
	for cell := range 6 {
		s := Seeds(cell, 1, 2, 3)
		require.Len(t, s, 1, "one seed a cell by default")
		assert.Equal(t, s, Seeds(cell, 1, 2, 3), "the same seed for the same cell")
		seen[s[0]] = true
	}
	assert.Len(t, seen, 3, "every seed meets some cell")
	in := 0
	for i := range 800 {
		if Sampled(fmt.Sprint("case ", i), 8) {
			in++
		}
	}
	assert.InDelta(t, 100, in, 40, "about one case in eight")
	t.Setenv(FullEnv, "1")
	assert.Equal(t, []uint64{1, 2, 3}, Seeds(4, 1, 2, 3))
	assert.True(t, Sampled("anything", 1000))
}
