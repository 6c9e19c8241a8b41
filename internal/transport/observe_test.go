package transport

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/creatorkit/creatorkit-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type spanKey struct{}

// recorder is an Observer that keeps every event, and propagates a header.
type recorder struct {
	mu       sync.Mutex
	starts   []creatorkit.CallInfo
	attempts []creatorkit.AttemptEvent
	calls    []creatorkit.CallEvent
	ctxOK    int
}

func (r *recorder) StartCall(ctx context.Context, c creatorkit.CallInfo) context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.starts = append(r.starts, c)
	return context.WithValue(ctx, spanKey{}, c.Operation)
}

func (r *recorder) EndAttempt(ctx context.Context, a creatorkit.AttemptEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ctx.Value(spanKey{}) == a.Operation {
		r.ctxOK++
	}
	r.attempts = append(r.attempts, a)
}

func (r *recorder) EndCall(ctx context.Context, c creatorkit.CallEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ctx.Value(spanKey{}) == c.Operation {
		r.ctxOK++
	}
	r.calls = append(r.calls, c)
}

func (r *recorder) InjectHeaders(ctx context.Context, h http.Header) {
	if op, ok := ctx.Value(spanKey{}).(string); ok {
		h.Set("Traceparent", "span-of-"+op)
	}
}

func TestObserverSeesAttemptsAndCalls(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c, mt := newMockClient(t, WithObserver(rec), func(s *Settings) error { s.Unit = "credits"; return nil })
	var traceparents []string
	answers := sequence(status(429, `{}`, "Retry-After", "0"), status(201, `{"id":143}`))
	mt.RegisterResponder("POST", "https://api.example.com/v1/audits/142/rerun", func(r *http.Request) (*http.Response, error) {
		traceparents = append(traceparents, r.Header.Get("Traceparent"))
		return answers(r)
	})
	_, err := c.Do(context.Background(), Request{Op: "Audits.Rerun", Method: "POST", Path: "audits/142/rerun", Route: "audits/{id}/rerun",
		Query: map[string][]string{"username": {"natgeo"}}, Body: map[string]string{"username": "natgeo"}, Spend: Spend{Cost: 1}}, nil)
	require.NoError(t, err)

	require.Len(t, rec.attempts, 2)
	a1, a2 := rec.attempts[0], rec.attempts[1]
	assert.Equal(t, 1, a1.Attempt)
	assert.Equal(t, 429, a1.StatusCode)
	assert.Equal(t, "rate_limited", a1.ErrorKind)
	assert.True(t, a1.Retried)
	assert.Equal(t, 2, a2.Attempt)
	assert.Equal(t, 201, a2.StatusCode)
	assert.Empty(t, a2.ErrorKind)
	assert.False(t, a2.Retried)
	require.Len(t, rec.calls, 1)
	call := rec.calls[0]
	assert.Equal(t, creatorkit.CallInfo{Vendor: "testvendor", Operation: "Audits.Rerun", Method: "POST", Route: "audits/{id}/rerun", Start: call.Start}, call.CallInfo)
	assert.Equal(t, 2, call.Attempts)
	assert.Equal(t, 201, call.StatusCode)
	assert.Equal(t, "credits", call.Unit)
	assert.Equal(t, int64(1), call.Spent)
	assert.Equal(t, 3, rec.ctxOK, "every event gets the context StartCall returned")
	assert.Equal(t, []string{"span-of-Audits.Rerun", "span-of-Audits.Rerun"}, traceparents, "headers injected on every attempt")

	// A failure is reported by kind; nothing but the template names the path.
	mt.RegisterResponder("GET", "https://api.example.com/v1/audits/999", status(404, `{"error":"not found"}`))
	_, err = c.Do(context.Background(), Request{Op: "Audits.Get", Method: "GET", Path: "audits/999", Route: "audits/{id}"}, nil)
	require.Error(t, err)
	last := rec.calls[len(rec.calls)-1]
	assert.Equal(t, "not_found", last.ErrorKind)
	assert.Equal(t, "audits/{id}", last.Route)
	for _, a := range rec.attempts {
		assert.NotContains(t, a.Route, "142")
		assert.NotContains(t, a.Route, "999")
	}
}

func TestObserveWait(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c, _ := newMockClient(t, WithObserver(rec))
	ctx, end := c.Observe(context.Background(), "Audits.GetAndWait")
	assert.Equal(t, "Audits.GetAndWait", ctx.Value(spanKey{}))
	end(7, 0, context.DeadlineExceeded)
	require.Len(t, rec.calls, 1)
	assert.Equal(t, 7, rec.calls[0].Polls)
	assert.Equal(t, "deadline_exceeded", rec.calls[0].ErrorKind)

	plain, _ := newMockClient(t)
	ctx2, end2 := plain.Observe(context.Background(), "x")
	assert.Equal(t, context.Background(), ctx2)
	end2(0, 0, nil)
}

// With no observer the pipeline allocates nothing for one.
func BenchmarkDoWithoutObserver(b *testing.B) {
	c, mt := newMockClient(&testing.T{})
	mt.RegisterResponder("GET", "https://api.example.com/v1/x", status(200, `{}`))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Do(ctx, Request{Op: "X", Method: "GET", Path: "x"}, nil); err != nil {
			b.Fatal(err)
		}
	}
}
