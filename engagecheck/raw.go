package engagecheck

import (
	"context"
	"net/url"

	"github.com/creatorkit/creatorkit-go"
)

// DoOption says what a raw call (Do) is, so the pipeline treats it like
// the SDK's own calls: Resendable, Costs and Route.
type DoOption = creatorkit.DoOption

// Resendable says whether a raw call is safe to send again after it may
// have reached EngageCheck. By default GET, HEAD, PUT, DELETE and OPTIONS
// are and POST and PATCH are not; a call that may cost (Costs) is never
// resent after an answer that may have been charged was lost, whatever
// this says.
func Resendable(ok bool) DoOption { return creatorkit.Resendable(ok) }

// Costs says a raw call may cost up to n credits (an audit costs one per
// handle): a Budget (WithBudget) must hold them before anything is sent,
// and they count in Usage as Spent on a success answer, SpentUnknown when
// the answer is lost. Without it the call counts as free.
func Costs(n int64) DoOption { return creatorkit.Costs(n) }

// Route names a raw call's path template for observers (WithObserver),
// ids replaced by placeholders ("audits/{id}/pdf"); without one, observers
// name the call by its method only.
func Route(template string) DoOption { return creatorkit.Route(template) }

// Do is the escape hatch: it calls an EngageCheck endpoint the SDK has no
// method for (or one with a field it does not send yet) through the same
// pipeline as the typed calls, as go-github's NewRequest/Do and
// openai-go's client.Get/Post do. The call is authenticated with the
// client's key, paced on the same limiter as every other call (the key's
// 60 requests a minute, WithWindow or WithLimiter, and the holds on
// X-RateLimit-Remaining), retried and classified the same way (errors are
// *Error with the same kinds), redacted (the key never reaches an error,
// a result, a header or a log line), observed (operation "Do") and
// counted in Usage and the Budget as its options say (see Costs).
//
// path is relative to the client's base URL ("audits", "audits/142");
// query and body (JSON-encoded; json.RawMessage or []byte as is) may be
// nil; out is a pointer to decode a success body into (tolerantly: values
// that do not fit are listed in the returned ResponseMeta's
// DecodeIssues), or nil. A struct out receives the raw body in a `Raw
// json.RawMessage` field and the metadata in a `Response *ResponseMeta`
// field, as the typed results do. Nothing is sent for a method that is
// not HTTP's or a path that is not relative (ErrInvalidParams).
//
// What stays with the typed calls: reconciling a submit whose answer was
// lost (a raw POST that may cost is never resent, and nothing looks for
// the audit it may have created), and following the refunds of failed
// audits in Usage (only audits the typed calls paid for are followed).
func (c *Client) Do(ctx context.Context, method, path string, query url.Values, body, out any, opts ...DoOption) (*ResponseMeta, error) {
	return c.t.Raw(ctx, method, path, query, body, out, opts...)
}
