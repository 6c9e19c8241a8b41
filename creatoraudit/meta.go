package creatoraudit

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// MetaService reads the API's health, version metadata, the key's
// identity and the OpenAPI document.
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

// OpenAPIDocument is the answer of GET /openapi.json: the OpenAPI 3.1
// document CreatorAudit's reference is generated from, the API's
// authoritative contract. The SDK types a small view of it (the
// specification version, the document's title and version, and its
// paths); the document itself is in Raw, for a parser of your choice.
//
// Operations lists what the document offers, to check the paths the SDK
// infers (Paths, DefaultPaths) against it.
//
// It has Raw (the body as received) and Response (the response's
// metadata).
type OpenAPIDocument struct {
	// OpenAPI is the version of the OpenAPI specification the document
	// follows ("3.1.0").
	OpenAPI string      `json:"openapi"`
	Info    OpenAPIInfo `json:"info"`
	// Paths maps each path template, relative to the API root
	// ("/accounts/{account_id}"), to its path item, as received.
	Paths map[string]json.RawMessage `json:"paths"`
	// Raw is the whole response body as received: the document; empty
	// for a 304 Not Modified answer that the client did not have cached.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response: status, RequestID
	// (X-Request-ID), rate-limit headers, the ETag
	// (Response.GetHeader("ETag")), decode issues.
	Response *ResponseMeta `json:"-"`
}

// OpenAPIInfo is an OpenAPI document's info object: its title ("CreatorAudit
// API v2") and the version of the API it describes.
type OpenAPIInfo struct {
	Title   string `json:"title"`
	Version string `json:"version"`
}

// openAPIMethods are the operations a path item may hold (OpenAPI 3.1).
var openAPIMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// Operations lists the document's operations as "METHOD path"
// ("GET /accounts/{account_id}"), sorted by path, then in OpenAPI's order
// of methods. A path item that is not an object is skipped.
func (d *OpenAPIDocument) Operations() []string {
	if d == nil {
		return nil
	}
	paths := make([]string, 0, len(d.Paths))
	for p := range d.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var ops []string
	for _, p := range paths {
		var item map[string]json.RawMessage
		if json.Unmarshal(d.Paths[p], &item) != nil {
			continue
		}
		for _, m := range openAPIMethods {
			if _, ok := item[m]; ok {
				ops = append(ops, strings.ToUpper(m)+" "+p)
			}
		}
	}
	return ops
}

// OpenAPI reads GET /openapi.json, the API's OpenAPI document. It sends
// the key (the reference does not say whether the document needs one) and
// is paced like every call.
func (s *MetaService) OpenAPI(ctx context.Context) (*OpenAPIDocument, error) {
	const op = "Meta.OpenAPI"
	var doc OpenAPIDocument
	if _, err := s.c.do(ctx, transport.Request{Op: op, Method: "GET", Path: s.c.paths.OpenAPI, Route: s.c.paths.OpenAPI}, callConfig{}, &doc); err != nil {
		return nil, err
	}
	return &doc, nil
}
