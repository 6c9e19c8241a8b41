package engagecheck

// SetResolver gives c the transport hook a later internal/transport may
// offer (see resolver), so tests can check how reconciled submits would
// use it.
func SetResolver(c *Client, r interface {
	Resolve(op, unit string, charged, notCharged int64)
}) {
	c.resolve = r
}
