package engagecheck_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const hookSecret = "whsec_Qm7+z/Rt=HookSecret99"

// hookRequests are deliveries carrying the shared secret the way the
// engagecheck-webhook example and common setups do: in the URL's query or
// path, or in a header.
func hookRequests(body []byte) map[string]*http.Request {
	mk := func(target string, h map[string]string) *http.Request {
		r := httptest.NewRequest("POST", target, bytes.NewReader(body))
		for k, v := range h {
			r.Header.Set(k, v)
		}
		return r
	}
	q := url.QueryEscape(hookSecret)
	return map[string]*http.Request{
		"query":            mk("/hooks/engagecheck?secret="+q, nil),
		"query, other key": mk("/hooks/engagecheck?s="+q+"&x=1", nil),
		"path":             mk("/hooks/"+url.PathEscape(hookSecret)+"/engagecheck", nil),
		"X-Webhook-Token":  mk("/hooks/engagecheck", map[string]string{"X-Webhook-Token": hookSecret}),
		"Authorization":    mk("/hooks/engagecheck", map[string]string{"Authorization": "Bearer " + hookSecret}),
		"Basic auth":       mk("/hooks/engagecheck", map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("hook:"+hookSecret))}),
	}
}

// hookBodies are deliveries ParseWebhook refuses or reports on, each
// echoing the secret where a value would be.
func hookBodies() map[string]string {
	b64 := base64.StdEncoding.EncodeToString([]byte("secret=" + hookSecret))
	return map[string]string{
		"malformed":               `{"event":"audit.completed","id":142,"username":"` + hookSecret,
		"not an object":           `"` + hookSecret + `"`,
		"array":                   `["` + hookSecret + `"]`,
		"event drifted":           `{"event":{"value":"` + hookSecret + `"},"id":142}`,
		"id drifted":              `{"event":"audit.completed","id":"` + hookSecret + `"}`,
		"no event":                `{"id":142,"username":"` + hookSecret + `"}`,
		"report drifted":          `{"event":"audit.completed","id":142,"report":{"generatedAt":"` + hookSecret + `","aqs":"` + b64 + `"}}`,
		"percent-encoded echo":    `{"event":"audit.failed","id":142,"report":{"generatedAt":"` + url.QueryEscape(hookSecret) + `"}}`,
		"base64 echo in a time":   `{"event":"audit.failed","id":142,"report":{"generatedAt":"` + b64 + `"}}`,
		"event type is a number":  `{"event":7,"id":142}`,
		"empty object":            `{}`,
		"control character first": "\x00" + hookSecret,
	}
}

// ParseWebhook and WebhookHandler never repeat the shared secret of the
// request in an error, an answer or an event's decode issues.
func TestWebhookErrorsNeverEchoTheSharedSecret(t *testing.T) {
	t.Parallel()
	checks := 0
	handler := engagecheck.WebhookHandler(func(context.Context, *engagecheck.WebhookEvent) error { return errors.New("down: " + hookSecret) })
	for bname, body := range hookBodies() {
		for rname, r := range hookRequests([]byte(body)) {
			where := fmt.Sprintf("%s body, secret in %s", bname, rname)
			ev, err := engagecheck.ParseWebhook(r)
			if err != nil {
				assert.ErrorIs(t, err, engagecheck.ErrWebhook, where)
				for format, s := range map[string]string{"Error()": err.Error(), "%v": fmt.Sprintf("%v", err), "%+v": fmt.Sprintf("%+v", err), "%#v": fmt.Sprintf("%#v", err)} {
					checks++
					assert.False(t, vendortest.Holds(s, hookSecret), "%s: %s leaks: %s", where, format, s)
				}
			} else {
				checks++
				for _, s := range vendortest.Strings(ev.DecodeIssues) {
					assert.False(t, vendortest.Holds(s, hookSecret), "%s: a decode issue leaks: %s", where, s)
				}
			}
			rec := httptest.NewRecorder()
			handler.ServeHTTP(rec, hookRequests([]byte(body))[rname])
			checks++
			assert.False(t, vendortest.Holds(rec.Body.String(), hookSecret), "%s: the handler's %d answer leaks: %s", where, rec.Code, rec.Body.String())
			for k, vs := range rec.Header() {
				assert.False(t, vendortest.Holds(k+strings.Join(vs, ","), hookSecret), where)
			}
		}
	}
	t.Logf("%d (body, secret placement, format) checks of webhook errors and answers: the secret never leaked", checks)
}

// failingBody fails to read with an error that repeats the secret, as a
// proxy's or a server's read error might.
type failingBody struct{}

func (failingBody) Read([]byte) (int, error) {
	return 0, errors.New("connection reset reading /hooks?secret=" + hookSecret)
}

// The redaction is real: an error that would repeat the secret loses it,
// and a decode issue that would hold it is redacted.
func TestParseWebhookRedactsWhatWouldEchoTheSecret(t *testing.T) {
	t.Parallel()
	r := httptest.NewRequest("POST", "/hooks?secret="+url.QueryEscape(hookSecret), io.NopCloser(failingBody{}))
	_, err := engagecheck.ParseWebhook(r)
	require.ErrorIs(t, err, engagecheck.ErrWebhook)
	assert.Contains(t, err.Error(), "connection reset reading")
	assert.NotContains(t, err.Error(), hookSecret)
	assert.Contains(t, err.Error(), "[REDACTED]")

	r = httptest.NewRequest("POST", "/hooks?secret="+url.QueryEscape(hookSecret),
		strings.NewReader(`{"event":"audit.completed","id":142,"report":{"generatedAt":"`+hookSecret+`"}}`))
	ev, err := engagecheck.ParseWebhook(r)
	require.NoError(t, err)
	require.Len(t, ev.DecodeIssues, 1)
	assert.Equal(t, "report.generatedAt", ev.DecodeIssues[0].Path)
	assert.NotContains(t, ev.DecodeIssues[0].Detail, hookSecret)
}
