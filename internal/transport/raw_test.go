package transport

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/creatorkit/creatorkit-go"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRawCallGoesThroughThePipeline(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, func(s *Settings) error { s.Unit = "credits"; return nil })
	var sent *http.Request
	mt.RegisterResponder("POST", "https://api.example.com/v1/v2/new-thing", func(r *http.Request) (*http.Response, error) {
		sent = r
		return httpmock.NewStringResponse(201, `{"id":7,"echo":"`+secret+`"}`), nil
	})
	var out struct {
		ID       int64           `json:"id"`
		Echo     string          `json:"echo"`
		Raw      json.RawMessage `json:"-"`
		Response *ResponseMeta   `json:"-"`
	}
	meta, err := c.Raw(context.Background(), "POST", "v2/new-thing", map[string][]string{"a": {"1"}}, map[string]string{"x": "y"}, &out,
		creatorkit.Costs(2), creatorkit.Route("v2/new-thing"))
	require.NoError(t, err)
	assert.Equal(t, int64(7), out.ID)
	assert.NotContains(t, out.Echo, secret, "redacted like every call")
	assert.True(t, meta.Redacted)
	assert.Equal(t, "Bearer "+secret, sent.Header.Get("Authorization"), "authenticated like every call")
	assert.Equal(t, "a=1", sent.URL.RawQuery)
	u := c.Usage()
	assert.Equal(t, int64(2), u.Operations[OpRaw].Spent)
	assert.Equal(t, int64(2), u.Spent)
}

func TestRawCallRefusesBadInputBeforeSending(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	for _, tc := range []struct {
		method, path string
		opts         []DoOption
	}{
		{"FETCH", "x", nil},
		{"GET", "", nil},
		{"GET", "https://evil.example/x", nil},
		{"GET", "//evil.example/x", nil},
		{"GET", "../x", nil},
		{"GET", "x?y=1", nil},
		{"GET", " x", nil},
		{"GET", "x", []DoOption{creatorkit.Costs(-1)}},
		{"GET", "x", []DoOption{creatorkit.Costs(1)}}, // this vendor has no unit
	} {
		_, err := c.Raw(context.Background(), tc.method, tc.path, nil, nil, nil, tc.opts...)
		assert.ErrorIs(t, err, ErrInvalidParams, "%s %q", tc.method, tc.path)
	}
	assert.Zero(t, mt.GetTotalCallCount())
}

func TestRawCallResendable(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", "https://api.example.com/v1/search", sequence(status(503, `{}`), status(200, `{}`)))
	_, err := c.Raw(context.Background(), "POST", "search", nil, map[string]int{}, nil)
	require.ErrorIs(t, err, ErrServer, "a POST is not resent by default")
	mt.RegisterResponder("POST", "https://api.example.com/v1/search", sequence(status(503, `{}`), status(200, `{}`)))
	_, err = c.Raw(context.Background(), "POST", "search", nil, map[string]int{}, nil, creatorkit.Resendable(true))
	require.NoError(t, err, "a POST the caller says is safe is")
	assert.Equal(t, 3, mt.GetTotalCallCount())
}
