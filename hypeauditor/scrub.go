package hypeauditor

// scrub removes the client's credentials from a result the package
// assembled out of a response (values held in unexported fields that the
// transport's own redaction cannot reach, then copied out), when the
// transport found the response echoing one (meta.Redacted).
func (c *Client) scrub(meta *ResponseMeta, result any) {
	if meta != nil && meta.Redacted {
		c.t.RedactValue(result)
	}
}
