package creatoraudit

import (
	"context"
	"encoding/json"

	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// MetaService reads the API's health, version metadata and the key's
// identity.
type MetaService struct{ c *Client }

// Health is the answer of GET /health. [inferred] Its body is not
// documented; the SDK reads {"data": {"status": ...}} and keeps Raw.
//
// It has Raw (the body as received) and Response (the response's
// metadata).
type Health struct {
	Status string `json:"status,omitempty"`
	// Raw is the whole response body as received ({"data": ...}); empty
	// for a 304 Not Modified answer that the client did not have cached.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response: status, RequestID
	// (X-Request-ID), rate-limit headers, the ETag
	// (Response.GetHeader("ETag")), decode issues.
	Response *ResponseMeta `json:"-"`
}

// Health checks the API is up. It sends no key and is not rate limited.
func (s *MetaService) Health(ctx context.Context) (*Health, error) {
	return doData[Health](ctx, s.c, transport.Request{Op: "Meta.Health", Method: "GET", Path: s.c.paths.Health, Route: s.c.paths.Health, NoAuth: true}, callConfig{})
}

// APIMeta is the answer of GET /meta: the API version and its life cycle.
//
// It has Raw (the body as received) and Response (the response's
// metadata).
type APIMeta struct {
	Type       string `json:"type"`
	APIVersion string `json:"api_version"`
	// Status is "current" while the version is supported.
	Status     string `json:"status"`
	DocsURL    string `json:"docs_url"`
	OpenAPIURL string `json:"openapi_url"`
	WhoAmIURL  string `json:"whoami_url"`
	// Deprecation and Sunset are null while the version is supported; they
	// are kept as received.
	Deprecation json.RawMessage `json:"deprecation"`
	Sunset      json.RawMessage `json:"sunset"`
	// Raw is the whole response body as received ({"data": ...}); empty
	// for a 304 Not Modified answer that the client did not have cached.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response: status, RequestID
	// (X-Request-ID), rate-limit headers, the ETag
	// (Response.GetHeader("ETag")), decode issues.
	Response *ResponseMeta `json:"-"`
}

// Deprecated reports whether the version announces a deprecation or a
// sunset.
func (m *APIMeta) Deprecated() bool {
	return (len(m.Deprecation) > 0 && !isNull(m.Deprecation)) || (len(m.Sunset) > 0 && !isNull(m.Sunset))
}

// Get reads GET /meta. It sends no key and is not rate limited.
func (s *MetaService) Get(ctx context.Context) (*APIMeta, error) {
	return doData[APIMeta](ctx, s.c, transport.Request{Op: "Meta.Get", Method: "GET", Path: s.c.paths.Meta, Route: s.c.paths.Meta, NoAuth: true}, callConfig{})
}

// WhoAmI is the answer of GET /whoami: the organization the key belongs
// to.
//
// It has Raw (the body as received) and Response (the response's
// metadata).
type WhoAmI struct {
	Type           string `json:"type"`
	OrganizationID string `json:"organization_id"`
	APIKeyName     string `json:"api_key_name"`
	// Raw is the whole response body as received ({"data": ...}); empty
	// for a 304 Not Modified answer that the client did not have cached.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response: status, RequestID
	// (X-Request-ID), rate-limit headers, the ETag
	// (Response.GetHeader("ETag")), decode issues.
	Response *ResponseMeta `json:"-"`
}

// WhoAmI names the key's organization; a cheap way to check a key works.
func (s *MetaService) WhoAmI(ctx context.Context) (*WhoAmI, error) {
	return doData[WhoAmI](ctx, s.c, transport.Request{Op: "Meta.WhoAmI", Method: "GET", Path: s.c.paths.WhoAmI, Route: s.c.paths.WhoAmI}, callConfig{})
}
