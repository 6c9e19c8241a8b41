package engagecheck

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func event(id int64) *WebhookEvent {
	return &WebhookEvent{Type: EventAuditCompleted, ID: id}
}

// Events for audits no roster named are kept only while a submit is out,
// at most maxEarlyEvents of them (the oldest go first) for at most
// earlyEventTTL; the roster that names one takes it; a duplicate is
// dropped; once no submit is out, the rest are dropped.
func TestWebhookReceiverKeepsEarlyEventsBounded(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		r := NewWebhookReceiver()
		ctx := context.Background()
		require.NoError(t, r.Deliver(ctx, event(1)))
		assert.Empty(t, r.early, "no submit out: a stranger's event is ignored")

		r.expect(1)
		for id := int64(1); id <= maxEarlyEvents+10; id++ {
			require.NoError(t, r.Deliver(ctx, event(id)))
		}
		require.NoError(t, r.Deliver(ctx, event(maxEarlyEvents+10)))
		assert.Len(t, r.early, maxEarlyEvents, "bounded, duplicates dropped")
		assert.EqualValues(t, 11, r.early[0].ev.ID, "the oldest went first")

		in := newInbox()
		r.register(in, 11, 5)
		got := in.take()
		require.Len(t, got, 1, "the kept event is handed over; 5 was evicted")
		assert.EqualValues(t, 11, got[0].ev.ID)
		require.NoError(t, r.Deliver(ctx, event(11)))
		assert.Empty(t, in.take(), "a second event for the audit is dropped")
		require.NoError(t, r.Deliver(ctx, event(5)))
		assert.Len(t, in.take(), 1, "5's first event that reached the roster")

		time.Sleep(earlyEventTTL + time.Second)
		require.NoError(t, r.Deliver(ctx, event(99999)))
		assert.Len(t, r.early, 1, "the expired ones are gone")
		r.expect(-1)
		assert.Empty(t, r.early, "no submit out: nothing is kept")
		r.unregister(in, []int64{11, 5})
		assert.Empty(t, r.routes)
	})
}

// The receiver is WebhookHandler's: a bounded body, the verifier, a 204.
func TestWebhookReceiverServesHTTP(t *testing.T) {
	t.Parallel()
	r := NewWebhookReceiver(WithMaxWebhookBytes(64), WithWebhookVerifier(func(req *http.Request, _ []byte) error {
		if req.URL.Query().Get("secret") != "s3" {
			return errWrongSecret
		}
		return nil
	}))
	post := func(url, body string) int {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest(http.MethodPost, url, strings.NewReader(body)))
		return w.Code
	}
	assert.Equal(t, http.StatusNoContent, post("/hook?secret=s3", `{"event":"audit.completed","id":7}`))
	assert.Equal(t, http.StatusUnauthorized, post("/hook?secret=no", `{"event":"audit.completed","id":7}`))
	assert.Equal(t, http.StatusRequestEntityTooLarge, post("/hook?secret=s3", `{"event":"audit.completed","id":7,"pad":"`+strings.Repeat("x", 64)+`"}`))
	assert.Equal(t, http.StatusBadRequest, post("/hook?secret=s3", `[]`))
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/hook?secret=s3", nil))
	assert.Equal(t, http.StatusMethodNotAllowed, w.Code)
}

var errWrongSecret = &webhookError{detail: "wrong secret"}
