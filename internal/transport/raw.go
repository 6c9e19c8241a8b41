package transport

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/creatorkit/creatorkit-go"
)

// DoOption is the root package's.
type DoOption = creatorkit.DoOption

// OpRaw names raw calls in errors, logs, Usage and observer events.
const OpRaw = "Do"

// Raw is every client's Do: a call the SDK has no method for, through the
// same pipeline as the SDK's own (auth, pacing on the client's limiter,
// retry classification, redaction, tolerant decoding into out, Usage and
// the budget). path is relative to the client's base URL; query and body
// (JSON-encoded; json.RawMessage or []byte as is) may be nil; out is a
// pointer to decode a success body into, or nil. The options say whether
// the call may be resent, what it costs and its path template.
func (c *Client) Raw(ctx context.Context, method, path string, query url.Values, body, out any, opts ...DoOption) (*ResponseMeta, error) {
	var o creatorkit.DoOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
	default:
		return nil, InvalidParams(c.s.Vendor, OpRaw, "method", "method %q is not an HTTP method the SDK sends", method)
	}
	p := strings.TrimSpace(path)
	if p == "" || p != path || strings.Contains(p, "://") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, " \\") {
		return nil, InvalidParams(c.s.Vendor, OpRaw, "path", "path %q must be a path relative to the base URL (%s)", path, c.BaseURL())
	}
	if o.Cost < 0 {
		return nil, InvalidParams(c.s.Vendor, OpRaw, "Costs", "a cost must be >= 0, got %d", o.Cost)
	}
	if o.Cost > 0 && c.s.Unit == "" {
		return nil, InvalidParams(c.s.Vendor, OpRaw, "Costs", "%s charges nothing per call: a cost cannot be counted", c.s.Vendor)
	}
	req := Request{Op: OpRaw, Method: method, Path: path, Route: o.Route, Query: query, Body: body, Spend: Spend{Cost: o.Cost}}
	if o.Resendable != nil {
		req.Retry = RetryOnce
		if *o.Resendable {
			req.Retry = RetryIdempotent
		}
	}
	return c.Do(ctx, req, out)
}
