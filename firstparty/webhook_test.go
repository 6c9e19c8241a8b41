package firstparty_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseWebhook(t *testing.T) {
	t.Parallel()
	r := httptest.NewRequest("POST", "/hooks/ylytic", bytes.NewReader(load(t, "webhook_creator_insights_1p_success.json")))
	ev, err := firstparty.ParseWebhook(r)
	require.NoError(t, err)
	assert.Equal(t, firstparty.EventCreatorInsights1P, ev.Type)
	assert.True(t, ev.Succeeded())
	assert.Equal(t, "minimuffin8888", ev.Identifier)
	assert.Equal(t, firstparty.Instagram, ev.Platform)
	assert.Equal(t, "unique-string", ev.State)
	assert.Empty(t, ev.Reason, "a success has no reason")

	ev, err = firstparty.ParseWebhookBody(load(t, "webhook_creator_insights_1p_failed.json"))
	require.NoError(t, err)
	assert.False(t, ev.Succeeded())
	assert.Equal(t, firstparty.WebhookFailed, ev.Status)
	assert.Equal(t, firstparty.ReasonPrivateAccount, ev.StatusReason)
	assert.Equal(t, firstparty.ReasonPrivateAccount, ev.Reason)

	// The third-party variant has no state.
	ev, err = firstparty.ParseWebhookBody([]byte(`{"type":"creator_insights","status":"success","status_reason":"","identifier":"x","connector":"youtube"}`))
	require.NoError(t, err)
	assert.Equal(t, firstparty.EventCreatorInsights, ev.Type)
	assert.Empty(t, ev.State)

	for _, bad := range []string{`{`, `{}`, `{"status":"success"}`, `[]`} {
		_, err := firstparty.ParseWebhookBody([]byte(bad))
		assert.ErrorIs(t, err, firstparty.ErrWebhook, bad)
	}
	_, err = firstparty.ParseWebhook(httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat(" ", firstparty.MaxWebhookBytes+1))))
	assert.ErrorIs(t, err, firstparty.ErrWebhook)
}

// Reason is never empty on an event that did not succeed, and empty on
// one that did, whichever parser made the event.
func TestWebhookReason(t *testing.T) {
	t.Parallel()
	c, _ := newMockClient(t)
	for body, want := range map[string]string{
		`{"type":"creator_insights_1p","status":"failed","status_reason":" Invalid Handle "}`: "Invalid Handle",
		`{"type":"creator_insights_1p","status":"failed","status_reason":""}`:                 `status "failed" (Ylytic gave no status_reason)`,
		`{"type":"creator_insights_1p","status":"partial"}`:                                   `status "partial" (Ylytic gave no status_reason)`,
		`{"type":"creator_insights_1p"}`:                                                      "no status given",
		`{"type":"creator_insights_1p","status":"SUCCESS","status_reason":"ignored"}`:         "",
	} {
		for name, parse := range map[string]func([]byte) (*firstparty.WebhookEvent, error){"ParseWebhookBody": firstparty.ParseWebhookBody, "Client.ParseWebhookBody": c.ParseWebhookBody} {
			ev, err := parse([]byte(body))
			require.NoError(t, err, body)
			assert.Equal(t, want, ev.Reason, "%s: %s", name, body)
			assert.Equal(t, want == "", ev.Succeeded(), "%s: %s", name, body)
		}
	}
}

func TestWebhookHandler(t *testing.T) {
	t.Parallel()
	var got []*firstparty.WebhookEvent
	h := firstparty.WebhookHandler(func(_ context.Context, ev *firstparty.WebhookEvent) error {
		if ev.Identifier == "boom" {
			return errors.New("db down")
		}
		got = append(got, ev)
		return nil
	}, firstparty.WithMaxWebhookBytes(4096), firstparty.WithWebhookVerifier(func(r *http.Request, _ []byte) error {
		if r.URL.Query().Get("secret") != "s3" {
			return errors.New("no secret")
		}
		return nil
	}))
	post := func(target, body string) int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("POST", target, strings.NewReader(body)))
		return rec.Code
	}
	assert.Equal(t, 204, post("/h?secret=s3", string(load(t, "webhook_creator_insights_1p_success.json"))))
	assert.Equal(t, 401, post("/h", string(load(t, "webhook_creator_insights_1p_success.json"))))
	assert.Equal(t, 400, post("/h?secret=s3", `{"status":"success"}`))
	assert.Equal(t, 500, post("/h?secret=s3", `{"type":"creator_insights_1p","identifier":"boom"}`))
	assert.Equal(t, 413, post("/h?secret=s3", strings.Repeat("x", 5000)))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/h?secret=s3", nil))
	assert.Equal(t, 405, rec.Code)
	require.Len(t, got, 1)
	assert.Equal(t, "unique-string", got[0].State)
	assert.Empty(t, got[0].Reason)
	assert.Equal(t, 204, post("/h?secret=s3", string(load(t, "webhook_creator_insights_1p_failed.json"))))
	require.Len(t, got, 2)
	assert.Equal(t, firstparty.ReasonPrivateAccount, got[1].Reason, "the handler's events carry Reason too")
}
