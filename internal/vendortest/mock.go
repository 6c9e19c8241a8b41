package vendortest

import (
	"errors"
	"io"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
)

// Expect checks the exact request (CheckRequest), then answers with
// answer.
func Expect(t *testing.T, token, method, query, body string, answer httpmock.Responder) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		CheckRequest(t, r, token, method, query, body)
		return answer(r)
	}
}

// Respond answers a mock transport's request with status and a JSON body.
func Respond(status int, body []byte) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewBytesResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	}
}

// CheckRequest asserts the exact request a bearer-token client sent to a
// mock transport: method, raw query, "Authorization: Bearer <token>", JSON
// accepted, the SDK's User-Agent, and body, a JSON document sent as JSON
// ("": no body at all).
func CheckRequest(t *testing.T, r *http.Request, token, method, query, body string) {
	assert.Equal(t, method, r.Method)
	assert.Equal(t, query, r.URL.RawQuery)
	assert.Equal(t, "Bearer "+token, r.Header.Get("Authorization"))
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
	assert.Contains(t, r.Header.Get("User-Agent"), "creatorkit-go/")
	if body == "" {
		assert.Nil(t, r.Body)
	} else {
		b, _ := io.ReadAll(r.Body)
		assert.JSONEq(t, body, string(b))
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	}
}

// RefuseAll is an http.RoundTripper that fails its test on any request:
// a client on it proves that bad input is refused before anything is
// sent.
type RefuseAll struct {
	T testing.TB
	n atomic.Int64
}

// RoundTrip counts the request, fails the test and sends nothing.
func (r *RefuseAll) RoundTrip(req *http.Request) (*http.Response, error) {
	r.n.Add(1)
	r.T.Errorf("a request was sent: %s %s", req.Method, req.URL.Redacted())
	return nil, errors.New("no request may be sent")
}

// Sent is how many requests reached the transport.
func (r *RefuseAll) Sent() int64 { return r.n.Load() }

// Counting is a transport that counts the requests one client sends and
// the 429s it receives: what a test of a job beside another reports.
type Counting struct {
	Base              http.RoundTripper
	Requests, TooMany atomic.Int64
}

// RoundTrip counts r, sends it on Base and counts a 429.
func (c *Counting) RoundTrip(r *http.Request) (*http.Response, error) {
	c.Requests.Add(1)
	resp, err := c.Base.RoundTrip(r)
	if err == nil && resp.StatusCode == http.StatusTooManyRequests {
		c.TooMany.Add(1)
	}
	return resp, err
}
