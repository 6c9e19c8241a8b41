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

// campaignEvent is a made-up campaign webhook: Ylytic's webhook page names
// one, but its payload (its type included) was not read. Its status is
// not a string, as nothing says it is.
const campaignEvent = `{"type":"campaign_insights","campaign_id":"65c0aa11bb22cc33dd44ee55","status":{"code":200,"message":"completed"},` +
	`"posts":[{"post_url":"https://www.instagram.com/p/C2x9AbCdEfG/","views":1200}],"identifier":"summer-launch"}`

// An event of a type the SDK does not model (the campaign webhook) is
// delivered as it came, not refused or dropped: Type as sent, the body in
// Raw, the documented fields filled where the body has them, a status
// that does not fit listed in DecodeIssues (not a control field for such
// a type), and a Reason that says what it is.
func TestWebhookOfAnUnmodelledTypeIsDeliveredRaw(t *testing.T) {
	t.Parallel()
	c, _ := newMockClient(t)
	for name, parse := range map[string]func([]byte) (*firstparty.WebhookEvent, error){"ParseWebhookBody": firstparty.ParseWebhookBody, "Client.ParseWebhookBody": c.ParseWebhookBody} {
		ev, err := parse([]byte(campaignEvent))
		require.NoError(t, err, name)
		assert.Equal(t, firstparty.EventType("campaign_insights"), ev.Type, name)
		assert.JSONEq(t, campaignEvent, string(ev.Raw), name)
		assert.Equal(t, "summer-launch", ev.Identifier, name)
		assert.Empty(t, ev.Status, name)
		require.Len(t, ev.DecodeIssues, 1, name)
		assert.Equal(t, "status", ev.DecodeIssues[0].Path, name)
		assert.False(t, ev.DecodeIssues[0].Control, name)
		assert.False(t, ev.Succeeded(), name)
		assert.Contains(t, ev.Reason, `event type "campaign_insights" is not one the SDK models`, name)
	}
	// With a status of its own it reads like any event.
	ev, err := firstparty.ParseWebhookBody([]byte(`{"type":"campaign","status":"success","campaign_id":"c1"}`))
	require.NoError(t, err)
	assert.True(t, ev.Succeeded())
	assert.Empty(t, ev.Reason)

	// The documented types keep their control fields; the type stays one
	// for every event.
	for _, bad := range []string{
		`{"type":"creator_insights_1p","status":{"code":200}}`,
		`{"type":"creator_insights","status":"success","state":7}`,
		`{"type":{"name":"campaign"}}`,
		`{"type":7,"campaign_id":"c1"}`,
	} {
		_, err := firstparty.ParseWebhookBody([]byte(bad))
		assert.ErrorIs(t, err, firstparty.ErrWebhook, bad)
	}
	// Strict decoding refuses what does not fit, whatever the type.
	strict, _ := newMockClient(t, firstparty.WithStrictDecoding())
	_, err = strict.ParseWebhookBody([]byte(campaignEvent))
	assert.ErrorIs(t, err, firstparty.ErrWebhook)

	// The handler hands it over (204), so the sender does not retry it and
	// nothing is lost.
	var got []*firstparty.WebhookEvent
	h := firstparty.WebhookHandler(func(_ context.Context, ev *firstparty.WebhookEvent) error {
		got = append(got, ev)
		return nil
	}, firstparty.WithWebhookClient(c))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/hooks/ylytic", strings.NewReader(campaignEvent)))
	assert.Equal(t, http.StatusNoContent, rec.Code)
	require.Len(t, got, 1)
	assert.Equal(t, firstparty.EventType("campaign_insights"), got[0].Type)
	assert.JSONEq(t, campaignEvent, string(got[0].Raw))
}
