package redisstore_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/contrib/redislimit/redistest"
	"github.com/creatorkit/creatorkit-go/contrib/redisstore"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newStream(t *testing.T, rdb redis.UniversalClient, opts ...redisstore.Option) *redisstore.Stream {
	t.Helper()
	s, err := redisstore.NewStream(rdb, "app", append([]redisstore.Option{redisstore.WithLogger(discard())}, opts...)...)
	require.NoError(t, err)
	return s
}

func fpBody(state, status string) string {
	return fmt.Sprintf(`{"type":"creator_insights_1p","status":%q,"status_reason":"","identifier":"creator_%s","connector":"instagram","state":%q}`, status, state, state)
}

func post(h http.Handler, target, body string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, target, strings.NewReader(body)))
	return rec
}

func TestWebhookIntakeAnswers(t *testing.T) {
	srv := redistest.New(t)
	rdb := srv.Client()
	s := newStream(t, rdb, redisstore.WithMaxEventBytes(1024))
	h := s.WebhookHandler(redisstore.FirstPartyEvents(nil), redisstore.WithVerifier(func(r *http.Request, _ []byte) error {
		if r.URL.Query().Get("secret") != "s3" {
			return fmt.Errorf("no secret")
		}
		return nil
	}))

	assert.Equal(t, http.StatusNoContent, post(h, "/h?secret=s3", fpBody("st-1", "success")).Code)
	assert.Equal(t, http.StatusUnauthorized, post(h, "/h", fpBody("st-2", "success")).Code)
	assert.Equal(t, http.StatusBadRequest, post(h, "/h?secret=s3", `{"status":"success"}`).Code)
	assert.Equal(t, http.StatusBadRequest, post(h, "/h?secret=s3", `{`).Code)
	// Over the cap: 413 before anything is appended, with or without a
	// Content-Length.
	big := `{"type":"creator_insights_1p","identifier":"` + strings.Repeat("x", 1100) + `"}`
	assert.Equal(t, http.StatusRequestEntityTooLarge, post(h, "/h?secret=s3", big).Code)
	req := httptest.NewRequest(http.MethodPost, "/h?secret=s3", strings.NewReader(big))
	req.ContentLength = -1
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/h?secret=s3", nil))
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	assert.Equal(t, int64(1), rdb.XLen(ctx, s.Key()).Val(), "only the valid delivery was appended")

	// The EngageCheck intake on the same stream.
	ec := s.WebhookHandler(redisstore.EngageCheckEvents)
	assert.Equal(t, http.StatusNoContent, post(ec, "/ec", `{"event":"audit.completed","id":142,"username":"natgeo","aqs":88}`).Code)
	assert.Equal(t, http.StatusBadRequest, post(ec, "/ec", `{"id":142}`).Code)
	msgs := rdb.XRange(ctx, s.Key(), "-", "+").Val()
	require.Len(t, msgs, 2)
	assert.Equal(t, map[string]any{"src": "firstparty", "key": msgs[0].Values["key"], "body": fpBody("st-1", "success")}, msgs[0].Values)
	assert.Regexp(t, `^creator_insights_1p:[0-9a-f]{32}$`, msgs[0].Values["key"], "the state is hashed in the key")
	assert.Equal(t, "engagecheck", msgs[1].Values["src"])
	assert.Equal(t, "audit.completed:142", msgs[1].Values["key"])
}

// A repeat of a vendor event (the vendor's retry, or the same POST on two
// replicas) is appended once; events that differ are all appended.
func TestWebhookIntakeDedupes(t *testing.T) {
	srv := redistest.New(t)
	rdb := srv.Client()
	a, b := newStream(t, srv.Client()), newStream(t, srv.Client())
	ha, hb := a.WebhookHandler(redisstore.FirstPartyEvents(nil)), b.WebhookHandler(redisstore.FirstPartyEvents(nil))
	for range 3 {
		assert.Equal(t, http.StatusNoContent, post(ha, "/h", fpBody("st-1", "success")).Code)
		assert.Equal(t, http.StatusNoContent, post(hb, "/h", fpBody("st-1", "success")).Code, "a repeat is answered 2xx so the vendor stops")
	}
	assert.Equal(t, int64(1), rdb.XLen(ctx, a.Key()).Val())
	post(ha, "/h", fpBody("st-1", "failed"))
	post(ha, "/h", fpBody("st-2", "success"))
	assert.Equal(t, int64(3), rdb.XLen(ctx, a.Key()).Val(), "another status or another state is another event")
	// Without a state nothing identifies the event: each delivery counts.
	third := `{"type":"creator_insights","status":"success","identifier":"x","connector":"youtube"}`
	post(ha, "/h", third)
	post(hb, "/h", third)
	assert.Equal(t, int64(5), rdb.XLen(ctx, a.Key()).Val())

	id1, dup, err := a.Append(ctx, redisstore.Event{Source: "custom", Key: "k", Body: []byte("1")})
	require.NoError(t, err)
	assert.False(t, dup)
	id2, dup, err := b.Append(ctx, redisstore.Event{Source: "custom", Key: "k", Body: []byte("2")})
	require.NoError(t, err)
	assert.True(t, dup)
	assert.Equal(t, id1, id2, "a repeat reports the first one's entry")

	// The seen keys expire with the dedupe window.
	keys := rdb.Keys(ctx, "app:seen:*").Val()
	require.Len(t, keys, 4)
	assert.InDelta(t, redisstore.DefaultDedupeWindow, rdb.PTTL(ctx, keys[0]).Val(), float64(10*time.Second))
}

// The stream stays near its cap however many events arrive.
func TestStreamIsCapped(t *testing.T) {
	srv := redistest.New(t)
	rdb := srv.Client()
	s := newStream(t, rdb, redisstore.WithMaxLen(200))
	for i := range 2000 {
		_, _, err := s.Append(ctx, redisstore.Event{Source: "custom", Body: fmt.Appendf(nil, "%d", i)})
		require.NoError(t, err)
	}
	n := rdb.XLen(ctx, s.Key()).Val()
	assert.GreaterOrEqual(t, n, int64(200))
	assert.LessOrEqual(t, n, int64(300), "MAXLEN ~ trims whole nodes (100 entries each by default)")
	_, _, err := s.Append(ctx, redisstore.Event{Source: "custom", Body: make([]byte, redisstore.DefaultMaxEventBytes+1)})
	assert.ErrorIs(t, err, redisstore.ErrEventTooLarge)
}

// When Redis fails, intake answers 503 with Retry-After and appends
// nothing; once Redis is back it appends again. Nothing panics.
func TestWebhookIntakeRedisDown(t *testing.T) {
	srv := redistest.New(t)
	s := newStream(t, srv.ClientWith(fastFail()), redisstore.WithCallTimeout(200*time.Millisecond))
	h := s.WebhookHandler(redisstore.FirstPartyEvents(nil))

	require.NoError(t, srv.Freeze())
	start := time.Now()
	rec := post(h, "/h", fpBody("st-1", "success"))
	assert.Less(t, time.Since(start), 2*time.Second, "a hung Redis is given up on after the call timeout")
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Equal(t, redisstore.RetryAfter, rec.Header().Get("Retry-After"))
	require.NoError(t, srv.Thaw())

	srv.Stop()
	rec = post(h, "/h", fpBody("st-1", "success"))
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	_, _, err := s.Append(ctx, redisstore.Event{Source: "custom", Body: []byte("x")})
	assert.ErrorIs(t, err, redisstore.ErrRedisUnavailable)

	require.NoError(t, srv.Restart())
	assert.Equal(t, http.StatusNoContent, post(h, "/h", fpBody("st-1", "success")).Code, "the vendor's retry is appended")
	assert.Equal(t, int64(1), srv.Client().XLen(ctx, s.Key()).Val())
}

func TestNewStreamAndConsumerCheckTheirArguments(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialerRetries: 1, MaxRetries: -1})
	defer rdb.Close()
	_, err := redisstore.NewStream(rdb, "")
	assert.Error(t, err)
	_, err = redisstore.NewStream(nil, "app")
	assert.Error(t, err)
	for _, o := range []redisstore.Option{redisstore.WithMaxLen(0), redisstore.WithMaxEventBytes(-1), redisstore.WithDedupeWindow(0), redisstore.WithLogger(nil)} {
		_, err = redisstore.NewStream(rdb, "app", o)
		assert.Error(t, err)
	}
	_, err = redisstore.NewStream(rdb, "app", redisstore.WithBlock(time.Second))
	assert.ErrorContains(t, err, "WithBlock applies to Stream.NewConsumer only")
	s, err := redisstore.NewStream(rdb, "app")
	require.NoError(t, err)
	_, err = s.NewConsumer(ctx, "", "w1")
	assert.ErrorContains(t, err, "group")
	_, err = s.NewConsumer(ctx, "g", "w\n1")
	assert.ErrorContains(t, err, "consumer name")
	_, err = s.NewConsumer(ctx, "g", "w1", redisstore.WithMaxLen(3))
	assert.ErrorContains(t, err, "WithMaxLen applies to NewStream only")
	_, err = s.NewConsumer(ctx, "g", "w1", redisstore.WithGroupStart(" "))
	assert.Error(t, err)
	_, err = s.NewConsumer(ctx, "g", "w1")
	assert.ErrorIs(t, err, redisstore.ErrRedisUnavailable, "the group cannot be created")
}
