package engagecheck

import (
	"context"
	"encoding/json"

	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// answer is a top-level result: it keeps the body it was decoded from.
type answer interface{ rawBody() json.RawMessage }

func (a *Audit) rawBody() json.RawMessage     { return a.Raw }
func (b *Batch) rawBody() json.RawMessage     { return b.Raw }
func (l *AuditList) rawBody() json.RawMessage { return l.Raw }
func (c *Credits) rawBody() json.RawMessage   { return c.Raw }

// do sends req and decodes the answer into out. Every answer of the API is
// a JSON object: a success body that is not one (null, an array, a
// scalar, nothing) leaves the SDK nothing to go on and is
// ErrUnexpectedResponse, final.
func (c *Client) do(ctx context.Context, req transport.Request, out answer) error {
	meta, err := c.t.Do(ctx, req, out)
	if err != nil {
		return err
	}
	if !isObject(out.rawBody()) {
		e := transport.NewError(vendor, req.Op, ErrUnexpectedResponse, "the answer is not a JSON object")
		e.Method, e.StatusCode, e.Attempts = req.Method, meta.StatusCode, meta.Attempts
		return e
	}
	return nil
}
