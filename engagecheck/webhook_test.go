package engagecheck_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseWebhookFixtures(t *testing.T) {
	t.Parallel()
	r := httptest.NewRequest("POST", "/hooks", bytes.NewReader(fixtureLoad(t, "webhook_audit_completed.json")))
	ev, err := engagecheck.ParseWebhook(r)
	require.NoError(t, err)
	assert.Equal(t, engagecheck.EventAuditCompleted, ev.Type)
	assert.Equal(t, int64(142), ev.ID)
	assert.Equal(t, 88.0, *ev.AQS)
	assert.Equal(t, "National Geographic", ev.Report.Profile.FullName)
	assert.Equal(t, int64(249), *ev.CreditsRemaining)
	assert.True(t, ev.Succeeded())
	assert.Empty(t, ev.Reason, "no reason for a completed audit")

	ev, err = engagecheck.ParseWebhookBody(fixtureLoad(t, "webhook_audit_failed.json"))
	require.NoError(t, err)
	assert.Equal(t, engagecheck.EventAuditFailed, ev.Type)
	assert.Equal(t, "Account was not found or has been deleted.", ev.Error)
	assert.False(t, ev.Succeeded())
	assert.Equal(t, "Account was not found or has been deleted (EngageCheck refunded the credit)", ev.Reason)
	assert.Nil(t, ev.Report)

	for _, bad := range []string{`{"id":1}`, `{"event":`, ``} {
		_, err := engagecheck.ParseWebhookBody([]byte(bad))
		assert.ErrorIs(t, err, engagecheck.ErrWebhook, bad)
	}
}

// Reason says why an event did not succeed, whatever EngageCheck sent.
func TestWebhookEventReason(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		succeeded bool
		reason    string
	}{
		`{"event":"audit.completed","id":1,"username":"a","aqs":90}`:                      {true, ""},
		`{"event":"audit.failed","id":1,"username":"a","error":"  Account is private. "}`: {false, "Account is private (EngageCheck refunded the credit)"},
		`{"event":"audit.failed","id":1,"username":"a"}`:                                  {false, "EngageCheck failed the audit without saying why (EngageCheck refunded the credit)"},
		`{"event":"audit.failed","id":1,"username":"a","error":""}`:                       {false, "EngageCheck failed the audit without saying why (EngageCheck refunded the credit)"},
		`{"event":"audit.queued","id":1}`:                                                 {false, `event "audit.queued" is not one the SDK knows (audit.completed, audit.failed)`},
	}
	for body, want := range cases {
		ev, err := engagecheck.ParseWebhookBody([]byte(body))
		require.NoError(t, err, body)
		assert.Equal(t, want.succeeded, ev.Succeeded(), body)
		assert.Equal(t, want.reason, ev.Reason, body)
	}
	var none *engagecheck.WebhookEvent
	assert.False(t, none.Succeeded())
}

func TestWebhookHandlerStatuses(t *testing.T) {
	t.Parallel()
	good := fixtureLoad(t, "webhook_audit_completed.json")
	ok := func(context.Context, *engagecheck.WebhookEvent) error { return nil }
	failing := func(context.Context, *engagecheck.WebhookEvent) error { return errors.New("database down") }
	secret := func(r *http.Request, _ []byte) error {
		if r.URL.Query().Get("token") != "s3cret" {
			return errors.New("bad token")
		}
		return nil
	}
	cases := []struct {
		name   string
		h      http.Handler
		method string
		target string
		body   []byte
		want   int
	}{
		{"delivered", engagecheck.WebhookHandler(ok), "POST", "/h", good, http.StatusNoContent},
		{"GET refused", engagecheck.WebhookHandler(ok), "GET", "/h", nil, http.StatusMethodNotAllowed},
		{"malformed", engagecheck.WebhookHandler(ok), "POST", "/h", []byte(`{"event":`), http.StatusBadRequest},
		{"too large", engagecheck.WebhookHandler(ok, engagecheck.WithMaxWebhookBytes(100)), "POST", "/h", good, http.StatusRequestEntityTooLarge},
		{"handler fails: sender may retry", engagecheck.WebhookHandler(failing), "POST", "/h", good, http.StatusInternalServerError},
		{"verifier refuses", engagecheck.WebhookHandler(ok, engagecheck.WithWebhookVerifier(secret)), "POST", "/h?token=nope", good, http.StatusUnauthorized},
		{"verifier accepts", engagecheck.WebhookHandler(ok, engagecheck.WithWebhookVerifier(secret)), "POST", "/h?token=s3cret", good, http.StatusNoContent},
	}
	for _, tc := range cases {
		rec := httptest.NewRecorder()
		tc.h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.target, bytes.NewReader(tc.body)))
		assert.Equal(t, tc.want, rec.Code, tc.name)
	}
}

// The fake delivers one webhook per handle of a batch to a WebhookHandler,
// each when its audit ends.
func TestWebhookDeliveryFromFake(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t)
		var mu sync.Mutex
		got := map[string]*engagecheck.WebhookEvent{}
		at := map[string]time.Duration{}
		start := time.Now()
		hook := srv.ServeWebhooks(engagecheck.WebhookHandler(func(_ context.Context, ev *engagecheck.WebhookEvent) error {
			mu.Lock()
			defer mu.Unlock()
			got[ev.Username], at[ev.Username] = ev, time.Since(start)
			return nil
		}))
		_, err := c.Audits.CreateBatch(testCtx(t), engagecheck.CreateBatchParams{Usernames: []string{"natgeo", "someprivate"}, WebhookURL: hook})
		require.NoError(t, err)
		time.Sleep(2 * 42 * time.Second) // the batch's two audits, one after the other
		synctest.Wait()                  // the deliveries of the second one are done
		mu.Lock()
		defer mu.Unlock()
		require.Len(t, got, 2, "webhooks not delivered")
		assert.Equal(t, engagecheck.EventAuditCompleted, got["natgeo"].Type)
		assert.Equal(t, 76.0, got["natgeo"].Report.AQS)
		assert.Equal(t, 42*time.Second, at["natgeo"], "delivered when the audit ended")
		assert.Equal(t, engagecheck.EventAuditFailed, got["someprivate"].Type)
		assert.Equal(t, "Account is private.", got["someprivate"].Error)
		assert.Equal(t, 84*time.Second, at["someprivate"])
		srv.Close()
		for _, d := range srv.Deliveries() {
			assert.Equal(t, http.StatusNoContent, d.Status)
		}
	})
}
