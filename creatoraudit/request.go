package creatoraudit

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/paging"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// idChecker checks an id a call puts into a URL path.
type idChecker func(op, field, id string) (string, error)

// CallOption tunes one request of a Get call (Accounts.Get, Videos.Get,
// AccountVideos.Get, Creators.Get): today only IfNoneMatch. It is neither
// a WaitOption nor a ListOption because it sets a header of one request,
// CreatorAudit's ETags having no counterpart in the other vendors.
type CallOption func(*callConfig)

type callConfig struct {
	ifNoneMatch string
}

// IfNoneMatch sends If-None-Match with an ETag from an earlier result
// (result.Response.GetHeader("ETag")). When the resource has not changed
// CreatorAudit answers 304 Not Modified with an empty body:
// NotModified(result.Response) reports true and, unless the client has
// WithETagCache, the result holds no data.
func IfNoneMatch(etag string) CallOption {
	return func(c *callConfig) { c.ifNoneMatch = etag }
}

func callOptions(opts []CallOption) callConfig {
	var cc callConfig
	for _, o := range opts {
		if o != nil {
			o(&cc)
		}
	}
	return cc
}

// do sends one request; GETs go through the ETag cache when it is on. (The
// transport redacts whatever the result holds when the response echoed a
// credential.)
func (c *Client) do(ctx context.Context, req transport.Request, cc callConfig, out any) (*ResponseMeta, error) {
	return c.send(ctx, req, cc, out)
}

func (c *Client) send(ctx context.Context, req transport.Request, cc callConfig, out any) (*ResponseMeta, error) {
	if req.Method != http.MethodGet {
		return c.t.Do(ctx, req, out)
	}
	key := ""
	var cached *etagEntry
	if c.etags != nil {
		key = c.t.URL(req.Path, req.Query).String()
		cached = c.etags.get(key)
	}
	inm := cc.ifNoneMatch
	if inm != "" {
		if msg := check.ID(inm); msg != "" {
			return nil, invalidParams(req.Op, "If-None-Match", "%s", msg)
		}
	}
	if inm == "" && cached != nil {
		inm = cached.etag
	}
	if inm != "" {
		if req.Header == nil {
			req.Header = http.Header{}
		}
		req.Header.Set("If-None-Match", inm)
	}
	meta, err := c.t.Do(ctx, req, out)
	if err != nil || c.etags == nil {
		return meta, err
	}
	switch {
	case meta.StatusCode == http.StatusNotModified && cached != nil && (cc.ifNoneMatch == "" || cc.ifNoneMatch == cached.etag):
		issues, err := jsonx.Decode(cached.body, out)
		if err != nil {
			return nil, transport.NewError(vendor, req.Op, ErrUnexpectedResponse, "cannot decode cached body: %v", err)
		}
		meta.DecodeIssues = issues
		transport.SetResult(out, cached.body, meta)
	case meta.StatusCode == http.StatusOK:
		if et := meta.Header.Get("ETag"); et != "" {
			if raw := rawOf(out); len(raw) > 0 {
				c.etags.put(key, et, raw)
			}
		}
	}
	return meta, nil
}

// rawOf returns the Raw field of a result struct.
func rawOf(out any) json.RawMessage {
	rv := reflect.ValueOf(out)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return nil
	}
	f := rv.Elem().FieldByName("Raw")
	if !f.IsValid() {
		return nil
	}
	raw, _ := f.Interface().(json.RawMessage)
	return raw
}

// envelope is a {"data": T} body.
type envelope[T any] struct {
	Data     T               `json:"data"`
	Raw      json.RawMessage `json:"-"`
	Response *ResponseMeta   `json:"-"`
}

// doData sends req and unwraps {"data": T}, moving the raw body and
// metadata onto the T (its Raw and Response fields).
func doData[T any](ctx context.Context, c *Client, req transport.Request, cc callConfig) (*T, error) {
	var env envelope[T]
	if _, err := c.do(ctx, req, cc, &env); err != nil {
		return nil, err
	}
	transport.SetResult(&env.Data, env.Raw, env.Response)
	return &env.Data, nil
}

// newIdempotencyKey returns a random UUID (version 4).
func newIdempotencyKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// idempotencyKey returns the caller's key, checked, or a new one.
func idempotencyKey(op, key string) (string, error) {
	if key == "" {
		return newIdempotencyKey(), nil
	}
	if check.ID(key) != "" || len(key) > 255 || strings.IndexFunc(key, func(r rune) bool { return r < 0x21 || r > 0x7e }) >= 0 {
		return "", invalidParams(op, "idempotency_key", "must be 1 to 255 printable ASCII characters without spaces")
	}
	return key, nil
}

// etagCache keeps the ETag and body of recent GET responses, evicting the
// oldest entry when full.
type etagCache struct {
	mu    sync.Mutex
	max   int
	order []string
	m     map[string]*etagEntry
}

type etagEntry struct {
	etag string
	body []byte
}

func newETagCache(n int) *etagCache { return &etagCache{max: n, m: map[string]*etagEntry{}} }

func (c *etagCache) get(key string) *etagEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[key]
}

func (c *etagCache) put(key, etag string, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[key]; !ok {
		c.order = append(c.order, key)
		for len(c.order) > c.max {
			delete(c.m, c.order[0])
			c.order = c.order[1:]
		}
	}
	c.m[key] = &etagEntry{etag: etag, body: append([]byte(nil), body...)}
}

// parseLinks reads the rel="first" and rel="next" targets of a Link
// header (RFC 8288).
func parseLinks(h http.Header) Links {
	first, next := paging.Links(h)
	return Links{First: first, Next: next}
}

// getByID fetches one resource by its id (path template with one
// placeholder), after checking the id.
func getByID[T any](ctx context.Context, c *Client, op, field, tmpl, id string, checkID idChecker, opts []CallOption) (*T, error) {
	id, err := checkID(op, field, id)
	if err != nil {
		return nil, err
	}
	return doData[T](ctx, c, transport.Request{Op: op, Method: "GET", Path: expand(tmpl, id), Route: tmpl}, callOptions(opts))
}

// deleteByID deletes one resource by its id, after checking the id.
func deleteByID(ctx context.Context, c *Client, op, field, tmpl, id string) (*ResponseMeta, error) {
	id, err := checkID(op, field, id)
	if err != nil {
		return nil, err
	}
	return c.do(ctx, transport.Request{Op: op, Method: "DELETE", Path: expand(tmpl, id), Route: tmpl}, callConfig{}, nil)
}
