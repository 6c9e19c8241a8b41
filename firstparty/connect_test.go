package firstparty_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewState(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 1000 {
		s := firstparty.NewState()
		require.Len(t, s, 43)
		b, err := base64.RawURLEncoding.DecodeString(s)
		require.NoError(t, err)
		require.Len(t, b, 32)
		assert.Equal(t, url.QueryEscape(s), s, "safe in a URL as is")
		require.False(t, seen[s])
		seen[s] = true
	}
}

func TestMemoryStateStoreIsSingleUse(t *testing.T) {
	t.Parallel()
	m := firstparty.NewMemoryStateStore(0)
	st := firstparty.IssuedState{State: "abc", Platform: firstparty.Instagram, Data: "user-7", Expires: time.Now().Add(time.Minute)}
	require.NoError(t, m.Save(ctx, st))
	_, found, err := m.Consume(ctx, "abd")
	require.NoError(t, err)
	assert.False(t, found)
	_, found, _ = m.Consume(ctx, "ABC")
	assert.False(t, found)
	got, found, err := m.Consume(ctx, "abc")
	require.NoError(t, err)
	require.True(t, found)
	assert.Equal(t, st, got)
	_, found, _ = m.Consume(ctx, "abc")
	assert.False(t, found, "a state is used once")
	assert.Zero(t, m.Len())
}

// Of many concurrent consumers of one state, exactly one wins.
func TestMemoryStateStoreConcurrentConsume(t *testing.T) {
	t.Parallel()
	m := firstparty.NewMemoryStateStore(0)
	require.NoError(t, m.Save(ctx, firstparty.IssuedState{State: "s", Expires: time.Now().Add(time.Minute)}))
	var wins atomic.Int32
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, ok, _ := m.Consume(ctx, "s"); ok {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), wins.Load())
}

func TestMemoryStateStoreCapacityAndSweep(t *testing.T) {
	t.Parallel()
	m := firstparty.NewMemoryStateStore(2)
	past := time.Now().Add(-time.Second)
	require.NoError(t, m.Save(ctx, firstparty.IssuedState{State: "old1", Expires: past}))
	require.NoError(t, m.Save(ctx, firstparty.IssuedState{State: "old2", Expires: past}))
	// Full of expired states: they are swept to make room.
	require.NoError(t, m.Save(ctx, firstparty.IssuedState{State: "new1", Expires: time.Now().Add(time.Minute)}))
	require.NoError(t, m.Save(ctx, firstparty.IssuedState{State: "new2", Expires: time.Now().Add(time.Minute)}))
	assert.Equal(t, 2, m.Len())
	err := m.Save(ctx, firstparty.IssuedState{State: "new3", Expires: time.Now().Add(time.Minute)})
	assert.ErrorIs(t, err, firstparty.ErrStoreFull)
}

// mockFlow is a flow on an httpmock client whose Ylytic answers are
// canned: the verification URL echoes the state, Verify succeeds for
// token "good".
func mockFlow(t *testing.T, cfg firstparty.ConnectConfig) (*firstparty.ConnectFlow, *httpmock.MockTransport) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", verifyBase+"/first_party/verification_url", func(r *http.Request) (*http.Response, error) {
		var body map[string]string
		require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		return httpmock.NewJsonResponse(200, map[string]string{"redirectUrl": "https://connect.ylytic.com/c/" + body["state"][:6], "state": body["state"]})
	})
	mt.RegisterResponder("POST", verifyBase+"/first_party/verify", func(r *http.Request) (*http.Response, error) {
		var body map[string]string
		require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		if body["token"] != "good" {
			return httpmock.NewJsonResponse(200, map[string]any{"state": body["state"], "status": "failed", "error_info": map[string]string{"message": "bad token"}})
		}
		return httpmock.NewJsonResponse(200, map[string]any{"state": body["state"], "status": "success", "connector": "instagram", "creator_id": "c-1",
			"user_info": map[string]string{"ig_username": "creator"}, "error_info": nil})
	})
	if cfg.RedirectURL == "" {
		cfg.RedirectURL = "https://app.example.com/callback"
	}
	f, err := firstparty.NewConnectFlow(c, cfg)
	require.NoError(t, err)
	return f, mt
}

func TestConnectFlowStartAndComplete(t *testing.T) {
	t.Parallel()
	f, mt := mockFlow(t, firstparty.ConnectConfig{})
	v, err := f.Start(ctx, firstparty.StartParams{Platform: "INSTAGRAM", Data: "user-42"})
	require.NoError(t, err)
	assert.Equal(t, "https://connect.ylytic.com/c/"+v.State[:6], v.RedirectURL)
	require.Len(t, v.State, 43)

	res, err := f.Complete(ctx, firstparty.CallbackParams{State: v.State, Token: "good"})
	require.NoError(t, err)
	assert.Equal(t, "user-42", res.Issued.Data)
	assert.Equal(t, firstparty.Instagram, res.Issued.Platform)
	assert.Equal(t, "c-1", res.Creator.CreatorID)
	assert.Equal(t, 2, mt.GetTotalCallCount())

	// Replaying the same callback is refused before Ylytic is called.
	_, err = f.Complete(ctx, firstparty.CallbackParams{State: v.State, Token: "good"})
	require.ErrorIs(t, err, firstparty.ErrInvalidState)
	assert.Equal(t, 2, mt.GetTotalCallCount())
}

func TestConnectFlowRefusals(t *testing.T) {
	t.Parallel()
	now := time.Date(2024, 1, 26, 12, 0, 0, 0, time.UTC)
	var clock atomic.Int64
	clock.Store(now.UnixNano())
	f, mt := mockFlow(t, firstparty.ConnectConfig{TTL: 10 * time.Minute, Now: func() time.Time { return time.Unix(0, clock.Load()) }})
	start := func() string {
		v, err := f.Start(ctx, firstparty.StartParams{Platform: firstparty.YouTube})
		require.NoError(t, err)
		return v.State
	}
	calls := func() int { return mt.GetCallCountInfo()["POST "+verifyBase+"/first_party/verify"] }

	for name, p := range map[string]firstparty.CallbackParams{
		"missing state":   {Token: "good"},
		"forged state":    {State: firstparty.NewState(), Token: "good"},
		"huge state":      {State: strings.Repeat("a", 5000), Token: "good"},
		"look-alike case": {State: strings.ToUpper(start()), Token: "good"},
	} {
		res, err := f.Complete(ctx, p)
		assert.ErrorIs(t, err, firstparty.ErrInvalidState, name)
		var se *firstparty.StateError
		assert.True(t, errors.As(err, &se), name)
		assert.Nil(t, res, name)
	}
	assert.Zero(t, calls(), "no refused callback reaches Verify Creator")

	expired := start()
	clock.Store(now.Add(10 * time.Minute).UnixNano())
	_, err := f.Complete(ctx, firstparty.CallbackParams{State: expired, Token: "good"})
	var se *firstparty.StateError
	require.True(t, errors.As(err, &se))
	assert.Equal(t, "expired", se.Reason)
	assert.Zero(t, calls())

	declined := start()
	res, err := f.Complete(ctx, firstparty.CallbackParams{State: declined, Error: "access_denied"})
	require.ErrorIs(t, err, firstparty.ErrMissingToken)
	assert.Contains(t, err.Error(), "access_denied")
	assert.Equal(t, declined, res.Issued.State)
	_, err = f.Complete(ctx, firstparty.CallbackParams{State: declined, Token: "good"})
	require.ErrorIs(t, err, firstparty.ErrInvalidState, "a declined state is used up")
	assert.Zero(t, calls())

	refused := start()
	res, err = f.Complete(ctx, firstparty.CallbackParams{State: refused, Token: "bad"})
	require.ErrorIs(t, err, firstparty.ErrVerificationFailed)
	require.NotNil(t, res.Creator)
	assert.Equal(t, 1, calls())
}

func TestConnectFlowStartDropsTheStateWhenYlyticFails(t *testing.T) {
	t.Parallel()
	store := firstparty.NewMemoryStateStore(0)
	c, mt := newMockClient(t, firstparty.WithMaxRetries(0))
	mt.RegisterResponder("POST", verifyBase+"/first_party/verification_url", respond(401, []byte(`{"error":"bad token"}`)))
	f, err := firstparty.NewConnectFlow(c, firstparty.ConnectConfig{RedirectURL: "https://a.example/cb", Store: store})
	require.NoError(t, err)
	_, err = f.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram})
	require.ErrorIs(t, err, firstparty.ErrUnauthorized)
	assert.Zero(t, store.Len())

	_, err = f.Start(ctx, firstparty.StartParams{Platform: "tiktok"})
	require.ErrorIs(t, err, firstparty.ErrInvalidParams)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestNewConnectFlowChecksItsConfig(t *testing.T) {
	t.Parallel()
	c, _ := newMockClient(t)
	for _, cfg := range []firstparty.ConnectConfig{{}, {RedirectURL: "/cb"}, {RedirectURL: "https://a.example/cb", TTL: -time.Second}} {
		_, err := firstparty.NewConnectFlow(c, cfg)
		assert.ErrorIs(t, err, firstparty.ErrInvalidParams)
	}
	_, err := firstparty.NewConnectFlow(nil, firstparty.ConnectConfig{RedirectURL: "https://a.example/cb"})
	assert.ErrorIs(t, err, firstparty.ErrInvalidParams)
}

// failingStore fails every call.
type failingStore struct{}

func (failingStore) Save(context.Context, firstparty.IssuedState) error { return errors.New("db down") }
func (failingStore) Consume(context.Context, string) (firstparty.IssuedState, bool, error) {
	return firstparty.IssuedState{}, false, errors.New("db down")
}

// lenientStore finds states case-insensitively, as a database with a
// case-insensitive collation would.
type lenientStore struct{ m sync.Map }

func (s *lenientStore) Save(_ context.Context, st firstparty.IssuedState) error {
	s.m.Store(strings.ToLower(st.State), st)
	return nil
}
func (s *lenientStore) Consume(_ context.Context, state string) (firstparty.IssuedState, bool, error) {
	v, ok := s.m.LoadAndDelete(strings.ToLower(state))
	if !ok {
		return firstparty.IssuedState{}, false, nil
	}
	return v.(firstparty.IssuedState), true, nil
}

func TestConnectFlowWithCustomStores(t *testing.T) {
	t.Parallel()
	f, mt := mockFlow(t, firstparty.ConnectConfig{Store: failingStore{}})
	_, err := f.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram})
	require.ErrorContains(t, err, "db down")
	_, err = f.Complete(ctx, firstparty.CallbackParams{State: "s", Token: "good"})
	require.ErrorContains(t, err, "db down")
	assert.Zero(t, mt.GetTotalCallCount())

	// The flow's own constant-time comparison refuses what a lenient
	// store lets through.
	f, _ = mockFlow(t, firstparty.ConnectConfig{Store: &lenientStore{}})
	v, err := f.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram})
	require.NoError(t, err)
	_, err = f.Complete(ctx, firstparty.CallbackParams{State: strings.ToUpper(v.State), Token: "good"})
	require.ErrorIs(t, err, firstparty.ErrInvalidState)
}

// errStore holds a state it will hand back, but reports a failure with it,
// as a store whose backend failed after the lookup might.
type errStore struct {
	firstparty.StateStore
	fail atomic.Bool
}

func (s *errStore) Consume(ctx context.Context, state string) (firstparty.IssuedState, bool, error) {
	st, found, err := s.StateStore.Consume(ctx, state)
	if s.fail.Load() {
		return st, found, errors.New("store unreachable")
	}
	return st, found, err
}

// A store error fails closed: the callback is refused with the store's
// error (not as a forged state), CallbackFunc gets no result, and Ylytic
// is not asked, even when the store also says it found the state.
func TestCallbackFailsClosedOnStoreError(t *testing.T) {
	store := &errStore{StateStore: firstparty.NewMemoryStateStore(0)}
	f, mt := mockFlow(t, firstparty.ConnectConfig{Store: store})
	v, err := f.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram})
	require.NoError(t, err)
	store.fail.Store(true)
	var calls int
	var gotRes *firstparty.CallbackResult
	var gotErr error
	h := f.CallbackHandler(func(w http.ResponseWriter, _ *http.Request, res *firstparty.CallbackResult, err error) {
		calls++
		gotRes, gotErr = res, err
		if err != nil {
			http.Error(w, "try again later", http.StatusServiceUnavailable)
		}
	})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/callback?token=good&state="+url.QueryEscape(v.State), nil))
	assert.Equal(t, 1, calls)
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Nil(t, gotRes)
	require.ErrorContains(t, gotErr, "reading the state store: store unreachable")
	assert.NotErrorIs(t, gotErr, firstparty.ErrInvalidState)
	assert.Zero(t, mt.GetCallCountInfo()["POST "+verifyBase+"/first_party/verify"], "Ylytic is not asked")
}

func TestCallbackHandler(t *testing.T) {
	t.Parallel()
	f, _ := mockFlow(t, firstparty.ConnectConfig{})
	type outcome struct {
		res *firstparty.CallbackResult
		err error
	}
	got := make(chan outcome, 1)
	h := f.CallbackHandler(func(w http.ResponseWriter, r *http.Request, res *firstparty.CallbackResult, err error) {
		got <- outcome{res, err}
		if err != nil {
			http.Error(w, "refused", http.StatusBadRequest)
			return
		}
		_, _ = io.WriteString(w, "welcome "+res.Creator.UserInfo.IGUsername)
	})
	v, err := f.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram})
	require.NoError(t, err)

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/callback?token=good&state="+url.QueryEscape(v.State), nil))
	assert.Equal(t, 200, rec.Code)
	assert.Equal(t, "welcome creator", rec.Body.String())
	assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
	assert.Equal(t, "no-referrer", rec.Header().Get("Referrer-Policy"))
	o := <-got
	require.NoError(t, o.err)
	assert.Equal(t, "c-1", o.res.Creator.CreatorID)

	// The same callback again: refused.
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/callback?token=good&state="+url.QueryEscape(v.State), nil))
	assert.Equal(t, 400, rec.Code)
	assert.ErrorIs(t, (<-got).err, firstparty.ErrInvalidState)

	// A form POST works too.
	v, err = f.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram})
	require.NoError(t, err)
	req := httptest.NewRequest("POST", "/callback", strings.NewReader(url.Values{"token": {"good"}, "state": {v.State}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	assert.Equal(t, 200, rec.Code)
	require.NoError(t, (<-got).err)

	// Other methods never reach fn.
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("DELETE", "/callback", nil))
	assert.Equal(t, 405, rec.Code)
	assert.Empty(t, got)
	assert.Panics(t, func() { f.CallbackHandler(nil) })
}

func TestCallbackParamNames(t *testing.T) {
	t.Parallel()
	f, _ := mockFlow(t, firstparty.ConnectConfig{TokenParam: "code", StateParam: "s"})
	v, err := f.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram})
	require.NoError(t, err)
	var gotErr error
	h := f.CallbackHandler(func(w http.ResponseWriter, r *http.Request, res *firstparty.CallbackResult, err error) { gotErr = err })
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/cb?code=good&s="+url.QueryEscape(v.State), nil))
	assert.NoError(t, gotErr)
}
