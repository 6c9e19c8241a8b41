package vendortest

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEchoIntoReplacesEveryStringAndAddsAMember(t *testing.T) {
	got := EchoInto(t, []byte(`{"a":"x","b":[1,"y",{"c":"z"}],"n":null}`), "E")
	assert.JSONEq(t, `{"a":"E","b":[1,"E",{"c":"E"}],"n":null,"E":"E"}`, string(got))
}

func TestErrorChainFollowsEveryWrap(t *testing.T) {
	a, b := errors.New("a"), errors.New("b")
	joined := errors.Join(a, fmt.Errorf("wrap: %w", b))
	assert.Len(t, ErrorChain(joined), 4)
	assert.Nil(t, ErrorChain(nil))
}

// The checker names the secret, the place and the way it leaked; a
// result or an error without it passes.
func TestCheckerReportsEveryLeak(t *testing.T) {
	f := &failures{TB: t}
	c := NewChecker(f, Secret{Value: "tok_123456", Name: "the token"}, Quoted("shh_987654"))
	c.Err("call", fmt.Errorf("answered %s", "Bearer tok_123456"))
	c.Result("call", &struct{ Text string }{"shh_987654"})
	c.Result("nil result", (*struct{})(nil))
	c.Text("clean", "the log", "nothing here")
	require.NotEmpty(t, f.msgs)
	assert.Contains(t, f.msgs[0], "call: the token leaks through err.Error()")
	assert.Contains(t, f.msgs[len(f.msgs)-1], `call: "shh_987654" leaks through the result's fields`)
	assert.Equal(t, 4+1+2+1, c.Checks(), "four verbs and one error in the chain, JSON and fields, the log")
}

// Sweep drives every call in every format and status, and the server
// echoes in the picked format with the picked status.
func TestEchoServerSweep(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		formats := []Format{{"plain", func(s string) string { return s }}, {"tagged", func(s string) string { return "<" + s + ">" }}}
		srv := NewEchoServer(t, EchoConfig{
			Name:    "echo",
			Formats: formats,
			Echo: func(r *http.Request, _ []byte, enc func(string) string) string {
				return enc(r.Header.Get("Authorization"))
			},
			RetryAfter: func(status int) bool { return status == http.StatusTooManyRequests },
			Answer:     func(_ *http.Request, _ int, e string) []byte { return []byte(`{"e":"` + e + `"}`) },
		})
		var seen []string
		calls := []Call{{"get", func() (any, error) {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/x", nil)
			req.Header.Set("Authorization", "Bearer k")
			resp, err := srv.HTTPClient().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			seen = append(seen, fmt.Sprintf("%d %s %s %s", resp.StatusCode, resp.Header.Get("X-Echo"), resp.Header.Get("X-Echo-k"), resp.Header.Get("Retry-After")))
			return (*struct{})(nil), nil
		}}}
		var after []string
		srv.Sweep(NewChecker(t), []int{200, 429}, calls, func(f Format) { after = append(after, f.Name) })
		assert.Equal(t, []string{"200 Bearer k 1 ", "429 Bearer k 1 0", "200 <Bearer k> 1 ", "429 <Bearer k> 1 0"}, seen)
		assert.Equal(t, []string{"plain", "tagged"}, after)
	})
}
