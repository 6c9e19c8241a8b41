// Package webhook is the receiving side of vendor webhooks, shared by the
// vendor packages: a size-capped body read, an optional verification hook,
// decoding, and an http.Handler with the status codes a sender expects.
package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// DefaultMaxBytes caps a webhook body unless the caller says otherwise.
const DefaultMaxBytes = 1 << 20

// ErrTooLarge is returned for a body over the cap.
var ErrTooLarge = errors.New("webhook body too large")

// ReadCapped reads at most limit bytes; a longer body is ErrTooLarge.
func ReadCapped(r io.Reader, limit int64) ([]byte, error) {
	if r == nil {
		return nil, errors.New("no body")
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading body: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, ErrTooLarge
	}
	return b, nil
}

// WithVerifier sets Config.Verify.
func WithVerifier(verify func(r *http.Request, body []byte) error) func(*Config) {
	return func(c *Config) { c.Verify = verify }
}

// WithMaxBytes sets Config.MaxBytes.
func WithMaxBytes(n int64) func(*Config) { return func(c *Config) { c.MaxBytes = n } }

// Config tunes Handler.
type Config struct {
	// MaxBytes caps the body (DefaultMaxBytes when 0).
	MaxBytes int64
	// Verify, when set, checks each delivery before it is decoded; an
	// error answers 401.
	Verify func(r *http.Request, body []byte) error
}

// Handler returns an http.Handler that decodes each delivery with parse and
// passes it to fn. It answers 405 for anything but POST, 413 for a body
// over the cap, 401 when Verify refuses, 400 when parse fails, 500 when fn
// fails (so the sender may try again) and 204 on success.
func Handler[T any](cfg Config, parse func([]byte) (T, error), fn func(ctx context.Context, ev T) error) http.Handler {
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		body, err := ReadCapped(r.Body, cfg.MaxBytes)
		switch {
		case errors.Is(err, ErrTooLarge):
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		case err != nil:
			http.Error(w, "cannot read body", http.StatusBadRequest)
			return
		}
		if cfg.Verify != nil {
			if err := cfg.Verify(r, body); err != nil {
				http.Error(w, "unauthorized", http.StatusUnauthorized)
				return
			}
		}
		ev, err := parse(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := fn(r.Context(), ev); err != nil {
			http.Error(w, "handler failed", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// Configure applies a vendor's webhook options (any func(*Config) type).
func Configure[O ~func(*Config)](opts []O) Config {
	var cfg Config
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	return cfg
}

// Decode unmarshals a webhook body into a new T, keeps the body in T's
// `Raw json.RawMessage` field, and checks that field (the event's type
// field, named for the error) is set. Errors wrap kind.
func Decode[T any](body []byte, kind error, field string, present func(*T) bool) (*T, error) {
	var ev T
	if err := json.Unmarshal(body, &ev); err != nil {
		return nil, fmt.Errorf("%w: malformed JSON: %v", kind, err)
	}
	if !present(&ev) {
		return nil, fmt.Errorf("%w: no %s field", kind, field)
	}
	transport.SetRaw(&ev, append(json.RawMessage(nil), body...))
	return &ev, nil
}

// ParseRequest reads a webhook request body (at most DefaultMaxBytes) and
// decodes it with parse. Errors wrap kind.
func ParseRequest[T any](r *http.Request, kind error, parse func([]byte) (T, error)) (T, error) {
	body, err := ReadCapped(r.Body, DefaultMaxBytes)
	if err != nil {
		var zero T
		return zero, fmt.Errorf("%w: %v", kind, err)
	}
	return parse(body)
}
