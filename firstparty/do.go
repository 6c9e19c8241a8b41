package firstparty

import (
	"context"
	"net/url"

	creatorkit "github.com/creatorkit/creatorkit-go"
)

// DoOption says what a raw call (Do, DoInsights) is, so the pipeline
// treats it like the SDK's own calls: Resendable, Costs and Route.
type DoOption = creatorkit.DoOption

// Resendable says whether a raw call is safe to send again after it may
// have reached Ylytic. By default GET, HEAD, PUT, DELETE and OPTIONS are
// and POST and PATCH are not: say Resendable(true) for a POST that only
// reads, Resendable(false) for a PUT or DELETE that is not idempotent.
func Resendable(ok bool) DoOption { return creatorkit.Resendable(ok) }

// Costs says what a raw call may cost. Ylytic prices no First Party call,
// so the client has no unit of spend: any cost above 0 is refused with
// ErrInvalidParams and nothing is sent. It exists for the shared naming
// scheme.
func Costs(n int64) DoOption { return creatorkit.Costs(n) }

// Route names a raw call's path template for observers (WithObserver),
// ids replaced by placeholders ("insights/creators/{creator_id}");
// without one, observers name the call by its method only, so no id
// reaches them.
func Route(template string) DoOption { return creatorkit.Route(template) }

// Do is the escape hatch: it calls an endpoint on the verification host
// (WithBaseURL, DefaultBaseURL) that the SDK has no method for, or a
// documented one with a parameter it does not send yet, through the same
// pipeline as the typed calls, as go-github's NewRequest/Do and
// openai-go's client.Get/Post do. The call is authenticated with the
// client's token, paced on the same limiter as every other call on both
// hosts (WithRateLimit, WithWindow or WithLimiter), retried and
// classified the same way (errors are *Error with the same kinds),
// redacted (the token never reaches an error, a result, a header or a log
// line), observed (operation "Do") and counted in Usage.
//
// path is relative to the verification root ("first_party/verify");
// query and body (JSON-encoded; json.RawMessage or []byte as is) may be
// nil; out is a pointer to decode a success body into (tolerantly: values
// that do not fit are listed in the returned ResponseMeta's
// DecodeIssues), or nil. A struct out receives the raw body in a `Raw
// json.RawMessage` field and the metadata in a `Response *ResponseMeta`
// field, as the typed results do. Nothing is sent for a method that is not
// HTTP's or a path that is not relative (ErrInvalidParams).
//
// DoInsights does the same on the insights host. What stays with the
// typed calls: the paths set with WithPaths (Do takes the path as given),
// the checks of a verification's state and status, and the consent flow's
// states.
func (c *Client) Do(ctx context.Context, method, path string, query url.Values, body, out any, opts ...DoOption) (*ResponseMeta, error) {
	return c.t.Raw(ctx, method, path, query, body, out, opts...)
}

// DoInsights is Do on the insights host (WithInsightsBaseURL,
// DefaultInsightsBaseURL; the verification host when only WithBaseURL was
// given): path is relative to the insights root
// ("insights/creators/<id>"). It shares the client's limiter with every
// other call.
func (c *Client) DoInsights(ctx context.Context, method, path string, query url.Values, body, out any, opts ...DoOption) (*ResponseMeta, error) {
	return c.ins.Raw(ctx, method, path, query, body, out, opts...)
}
