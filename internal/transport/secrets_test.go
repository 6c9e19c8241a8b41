package transport

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A request's own Secrets (a third party's credential in its body) are
// redacted like the client's: a server that echoes the body back, as is,
// percent-encoded or base64-encoded, in an error body, a success body, a
// header or a value that does not fit, leaks it into no error, result,
// metadata or log line. A request without Secrets keeps the client's
// redactor alone.
func TestRequestSecretsAreRedacted(t *testing.T) {
	t.Parallel()
	const shopToken = "shpat_0123456789abcdef0123"
	forms := []string{shopToken, url.QueryEscape("token=" + shopToken), base64.StdEncoding.EncodeToString([]byte(shopToken))}
	for _, status := range []int{200, 400, 422, 500} {
		var logs bytes.Buffer
		c, mt := newMockClient(t, WithMaxRetries(1), WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
		mt.RegisterResponder("POST", "=~.*", func(r *http.Request) (*http.Response, error) {
			b, _ := io.ReadAll(r.Body)
			require.Contains(t, string(b), shopToken, "the secret is sent")
			echo := strings.Join(forms, " | ")
			body := `{"id":1,"status":"ok","name":"` + echo + `","when":"` + echo + `","error":"bad token ` + echo + `"}`
			resp := httpmock.NewStringResponse(status, body)
			resp.Header.Set("X-Echo", echo)
			return resp, nil
		})
		var out driftResult
		meta, err := c.Do(context.Background(), Request{Op: "Connect", Method: "POST", Path: "shop",
			Body: map[string]string{"access_token": shopToken}, Secrets: []string{shopToken}}, &out)
		var texts []string
		if err != nil {
			e := err.(*Error)
			texts = append(texts, err.Error(), string(e.Body), e.Message)
		} else {
			texts = append(texts, string(out.Raw), out.Name, meta.Header.Get("X-Echo"))
			require.NotEmpty(t, meta.DecodeIssues, "the echo in when does not fit a time")
			for _, is := range meta.DecodeIssues {
				texts = append(texts, is.String())
			}
			assert.True(t, meta.Redacted, "status %d", status)
		}
		texts = append(texts, logs.String())
		for _, s := range texts {
			for _, f := range forms {
				assert.NotContains(t, s, f, "status %d", status)
			}
		}
	}

	// Without Secrets the request's values are the caller's business: a
	// second call on the same client echoes them unredacted.
	c, mt := newMockClient(t)
	serve(t, mt, "POST", `{"id":1,"name":"`+shopToken+`"}`)
	var out item
	_, err := c.Do(context.Background(), Request{Op: "Other", Method: "POST", Path: "x", Body: map[string]string{}}, &out)
	require.NoError(t, err)
	assert.Equal(t, shopToken, out.Name)
}
