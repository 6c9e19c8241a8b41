package vendortest

import (
	"io"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
)

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
