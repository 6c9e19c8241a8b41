package ylytic

import (
	"context"
	"net/url"

	creatorkit "github.com/creatorkit/creatorkit-go"
)

// DoOption says what a raw call (Do, DoThirdParty, DoInsights) is, so the
// pipeline treats it like the SDK's own calls: Resendable, Costs and
// Route.
type DoOption = creatorkit.DoOption

// Resendable says whether a raw call is safe to send again after it may
// have reached Ylytic. By default GET, HEAD, PUT, DELETE and OPTIONS are
// and POST and PATCH are not: say Resendable(true) for a POST that only
// reads (as Creators.Status does) or sets state keyed by what it names,
// Resendable(false) for a call that makes something new each time.
func Resendable(ok bool) DoOption { return creatorkit.Resendable(ok) }

// Costs says what a raw call may cost. Ylytic's pages price none of these
// APIs, so the client has no unit of spend: any cost above 0 is refused
// with ErrInvalidParams and nothing is sent. It exists for the shared
// naming scheme.
func Costs(n int64) DoOption { return creatorkit.Costs(n) }

// Route names a raw call's path template for observers (WithObserver),
// ids replaced by placeholders
// ("ylytic/admin/api/v1/campaigns/{campaign_id}"); without one, observers
// name the call by its method only, so no id reaches them.
func Route(template string) DoOption { return creatorkit.Route(template) }

// Do is the escape hatch: it calls an endpoint on the dashboard host
// (Hosts.Dashboard, which serves most of Ylytic's account APIs) that the
// SDK has no method for, or a documented one with a parameter it does not
// send yet, through the same pipeline as the typed calls, as go-github's
// NewRequest/Do and openai-go's client.Get/Post do. The call is
// authenticated with the client's token, paced on the same limiter as
// every other call on the three hosts (WithRateLimit, WithWindow or
// WithLimiter), retried and classified the same way (errors are *Error
// with the same kinds), redacted (the token never reaches an error, a
// result, a header or a log line), observed (operation "Do") and counted
// in Usage.
//
// path is relative to the host's root, with the documented prefix
// ("ylytic/api/v1/rt_tracking/creators"); query and body (JSON-encoded;
// json.RawMessage or []byte as is) may be nil; out is a pointer to decode
// a success body into (tolerantly: values that do not fit are listed in
// the returned ResponseMeta's DecodeIssues), or nil. A struct out
// receives the raw body in a `Raw json.RawMessage` field and the metadata
// in a `Response *ResponseMeta` field, as the typed results do. Nothing is
// sent for a method that is not HTTP's or a path that is not relative
// (ErrInvalidParams).
//
// The redaction covers the client's token. A secret of your own that a
// raw call carries in its body or query (a Shopify access token) is not
// known to the client, so a server that echoes it back could put it in an
// error or a result: connect a store with Shopify.Connect, which redacts
// its access token.
//
// DoThirdParty and DoInsights do the same on the other two hosts.
func (c *Client) Do(ctx context.Context, method, path string, query url.Values, body, out any, opts ...DoOption) (*ResponseMeta, error) {
	return c.dash.Raw(ctx, method, path, query, body, out, opts...)
}

// DoThirdParty is Do on the Third Party API's host (Hosts.ThirdParty,
// https://app.ylytic.com by default): path like
// "ylytic/admin/api/v1/creators".
func (c *Client) DoThirdParty(ctx context.Context, method, path string, query url.Values, body, out any, opts ...DoOption) (*ResponseMeta, error) {
	return c.third.Raw(ctx, method, path, query, body, out, opts...)
}

// DoInsights is Do on the insights host (Hosts.Insights,
// https://insights.ylytic.com by default): path like
// "ylytic/admin/api/v1/shortlinks/<id>/insights".
func (c *Client) DoInsights(ctx context.Context, method, path string, query url.Values, body, out any, opts ...DoOption) (*ResponseMeta, error) {
	return c.ins.Raw(ctx, method, path, query, body, out, opts...)
}
