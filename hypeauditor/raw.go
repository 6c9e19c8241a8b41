package hypeauditor

import (
	"context"
	"net/url"

	"github.com/creatorkit/creatorkit-go"
)

// Do is the escape hatch: a call to a HypeAuditor method the SDK has no
// call for (as go-github's NewRequest and Do, or openai-go's client.Get
// and Post), sent through the same pipeline as the SDK's own calls: the
// credentials, the client's limiter (one pace with every typed call of the
// client), the retry policy, redaction of the credentials from errors,
// logs and the result, tolerant decoding of a success body into out (a
// pointer; its Raw and Response fields, when it has them, are set like a
// result's), Usage under the operation "Do", the budget and WithObserver.
//
// path is a method name on the method root (the client's base URL,
// DefaultBaseURL): "auditor.planInfo", not a URL. The market analysis API
// has its own root and every one of its documented calls has a method
// here (MarketAnalysis), so Do does not reach it. Do sends the query as
// given: add v=2 yourself (url.Values{"v": {hypeauditor.APIVersion}}), as
// every documented method call needs it; Do adds nothing to a raw call.
// query, body (JSON-encoded; json.RawMessage or []byte as is) and out
// may be nil.
//
// The options (package creatorkit) say what the call is: Resendable(true)
// for a POST that is safe to send again, Costs(n) for a call that may
// spend n report credits (reserved against WithBudget, never sent twice),
// Route for its observed name (by default the method name, which names
// no account: HypeAuditor takes every value in the query or the body).
// A bad method or path is ErrInvalidParams, nothing sent.
//
//	var out struct{ Result json.RawMessage `json:"result"` }
//	meta, err := c.Do(ctx, http.MethodGet, "auditor.planInfo", url.Values{"v": {hypeauditor.APIVersion}}, nil, &out)
func (c *Client) Do(ctx context.Context, method, path string, query url.Values, body, out any, opts ...creatorkit.DoOption) (*ResponseMeta, error) {
	if methodName(path) {
		opts = append([]creatorkit.DoOption{creatorkit.Route(path)}, opts...)
	}
	return c.t.Raw(ctx, method, path, query, body, out, opts...)
}

// methodName reports whether path is a bare method name ("auditor.report"):
// letters, digits, '.' and '_' only, so it names no account and may be
// an observed route.
func methodName(path string) bool {
	if path == "" || len(path) > 64 {
		return false
	}
	for _, r := range path {
		if !(r == '.' || r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')) {
			return false
		}
	}
	return true
}
