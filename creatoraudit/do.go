package creatoraudit

import (
	"context"
	"net/url"

	creatorkit "github.com/creatorkit/creatorkit-go"
)

// DoOption says what a raw call (Do) is, so the pipeline treats it like
// the SDK's own calls: Resendable, Costs and Route.
type DoOption = creatorkit.DoOption

// Resendable says whether a raw call is safe to send again after it may
// have reached CreatorAudit. By default GET, HEAD, PUT, DELETE and OPTIONS
// are and POST and PATCH are not (a POST with an Idempotency-Key header
// would be, but Do sends no header of yours); a call that may cost
// (Costs) is never resent after an answer that may have been charged was
// lost, whatever this says.
func Resendable(ok bool) DoOption { return creatorkit.Resendable(ok) }

// Costs says a raw call may start tracking up to n accounts (SpendUnit:
// a POST accounts tracks 1): a Budget (WithBudget) must hold them before
// anything is sent, and they count in Usage as Spent on a success answer,
// SpentUnknown when the answer is lost. Without it the call counts as
// free, as every call but Accounts.Create is.
func Costs(n int64) DoOption { return creatorkit.Costs(n) }

// Route names a raw call's path template for observers (WithObserver),
// ids replaced by placeholders ("accounts/{id}/analytics"); without one,
// observers name the call by its method only, so no id reaches them.
func Route(template string) DoOption { return creatorkit.Route(template) }

// Do is the escape hatch: it calls a CreatorAudit endpoint the SDK has no
// method for (or one with a parameter it does not send yet) through the
// same pipeline as the typed calls, as go-github's NewRequest/Do and
// openai-go's client.Get/Post do. The call is authenticated with the
// client's key, paced on the same limiter as every other call (the
// X-RateLimit-* headers, WithRateLimit, WithWindow or WithLimiter),
// retried and classified the same way (errors are *Error with the same
// kinds and Code), redacted (the key never reaches an error, a result, a
// header or a log line), observed (operation "Do") and counted in Usage
// and the Budget as its options say (see Costs).
//
// path is relative to the client's base URL ("accounts",
// "accounts/<id>/analytics"); query and body (JSON-encoded;
// json.RawMessage or []byte as is) may be nil; out is a pointer to decode
// a success body into (tolerantly: values that do not fit are listed in
// the returned ResponseMeta's DecodeIssues), or nil. A struct out receives
// the raw body in a `Raw json.RawMessage` field and the metadata in a
// `Response *ResponseMeta` field, as the typed results do; the body is
// decoded as it comes, {"data": ...} envelope included. Nothing is sent
// for a method that is not HTTP's or a path that is not relative
// (ErrInvalidParams).
//
// What stays with the typed calls: the ETag cache (WithETagCache) and
// If-None-Match, the Idempotency-Key of creates and the reconciliation
// of a create whose answer was lost (Accounts.Create), the splitting of
// long batches, and the paths set with WithPaths (Do takes the path as
// given).
func (c *Client) Do(ctx context.Context, method, path string, query url.Values, body, out any, opts ...DoOption) (*ResponseMeta, error) {
	return c.t.Raw(ctx, method, path, query, body, out, opts...)
}
