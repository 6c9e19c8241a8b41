package engagecheck_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseWebhookFixtures(t *testing.T) {
	r := httptest.NewRequest("POST", "/hooks", bytes.NewReader(fixtureLoad(t, "webhook_audit_completed.json")))
	ev, err := engagecheck.ParseWebhook(r)
	require.NoError(t, err)
	assert.Equal(t, engagecheck.EventAuditCompleted, ev.Event)
	assert.Equal(t, int64(142), ev.ID)
	assert.Equal(t, 88, *ev.AQS)
	assert.Equal(t, "National Geographic", ev.Report.Profile.FullName)
	assert.Equal(t, 249, *ev.CreditsRemaining)

	ev, err = engagecheck.ParseWebhookBody(fixtureLoad(t, "webhook_audit_failed.json"))
	require.NoError(t, err)
	assert.Equal(t, engagecheck.EventAuditFailed, ev.Event)
	assert.Equal(t, "Account was not found or has been deleted.", ev.Error)
	assert.Nil(t, ev.Report)

	for _, bad := range []string{`{"id":1}`, `{"event":`, ``} {
		_, err := engagecheck.ParseWebhookBody([]byte(bad))
		assert.ErrorIs(t, err, engagecheck.ErrWebhook, bad)
	}
}

func TestWebhookHandlerStatuses(t *testing.T) {
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

// The fake delivers one webhook per handle of a batch to a WebhookHandler.
func TestWebhookDeliveryFromFake(t *testing.T) {
	var mu sync.Mutex
	got := map[string]*engagecheck.WebhookEvent{}
	done := make(chan struct{})
	hook := httptest.NewServer(engagecheck.WebhookHandler(func(_ context.Context, ev *engagecheck.WebhookEvent) error {
		mu.Lock()
		defer mu.Unlock()
		got[ev.Username] = ev
		if len(got) == 2 {
			close(done)
		}
		return nil
	}))
	defer hook.Close()
	srv, c := fastFake(t)
	_, err := c.Audits.CreateBatch(testCtx(t), engagecheck.CreateBatchParams{Usernames: []string{"natgeo", "someprivate"}, WebhookURL: hook.URL})
	require.NoError(t, err)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("webhooks not delivered")
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, engagecheck.EventAuditCompleted, got["natgeo"].Event)
	assert.Equal(t, 88, got["natgeo"].Report.AQS)
	assert.Equal(t, engagecheck.EventAuditFailed, got["someprivate"].Event)
	assert.Equal(t, "Account is private.", got["someprivate"].Error)
	srv.Close()
	for _, d := range srv.Deliveries() {
		assert.Equal(t, http.StatusNoContent, d.Status)
	}
	_ = engagechecktest.DefaultAPIKey
}
