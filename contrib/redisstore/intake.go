package redisstore

import (
	"errors"
	"io"
	"net/http"
)

// ParseFunc checks one webhook body and returns the event to append, or
// an error for a body that is not a valid event of its vendor (answered
// 400). FirstPartyEvents and EngageCheckEvents are the SDK's.
type ParseFunc func(body []byte) (Event, error)

// IntakeOption tunes WebhookHandler.
type IntakeOption func(*intakeConfig)

type intakeConfig struct {
	verify func(r *http.Request, body []byte) error
}

// WithVerifier runs verify on every delivery before it is parsed; an error
// answers 401 and nothing is appended. Neither Ylytic nor EngageCheck
// documents a signature scheme: check a shared secret you put in the
// webhook URL, or an allow-listed source address, as with the vendor
// packages' WithWebhookVerifier.
func WithVerifier(verify func(r *http.Request, body []byte) error) IntakeOption {
	return func(c *intakeConfig) { c.verify = verify }
}

// RetryAfter is the Retry-After (seconds) of a 503 answered while Redis
// fails.
const RetryAfter = "5"

// WebhookHandler returns the http.Handler to serve a vendor's webhook URL
// on every replica: it verifies each delivery, parses it with parse, and
// appends the event to the stream, to be handed to the worker waiting for
// it by a Consumer. Mount one per vendor:
//
//	mux.Handle("POST /hooks/ylytic", stream.WebhookHandler(redisstore.FirstPartyEvents(client), redisstore.WithVerifier(checkSecret)))
//	mux.Handle("POST /hooks/engagecheck", stream.WebhookHandler(redisstore.EngageCheckEvents, redisstore.WithVerifier(checkSecret)))
//
// It answers:
//
//	405 for anything but POST
//	413 for a body over the stream's WithMaxEventBytes, before anything is appended
//	401 when the verifier refuses the delivery
//	400 for a body parse refuses
//	503 with Retry-After when Redis fails: nothing was appended, so the
//	    vendor's retry (where it has one) delivers it again, and a roster
//	    falls back on its list reconciliation
//	204 when the event was appended, or was a repeat of one appended
//	    within the dedupe window
//
// It never panics on a delivery.
func (s *Stream) WebhookHandler(parse ParseFunc, opts ...IntakeOption) http.Handler {
	var cfg intakeConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if r.ContentLength > s.cfg.maxEventBytes {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		var body []byte
		if r.Body != nil {
			var err error
			body, err = io.ReadAll(io.LimitReader(r.Body, s.cfg.maxEventBytes+1))
			if err != nil {
				http.Error(w, "cannot read body", http.StatusBadRequest)
				return
			}
		}
		if int64(len(body)) > s.cfg.maxEventBytes {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		if cfg.verify != nil {
			if err := cfg.verify(r, body); err != nil {
				http.Error(w, "unauthorized", http.StatusUnauthorized)
				return
			}
		}
		if parse == nil {
			http.Error(w, "no parser", http.StatusInternalServerError)
			return
		}
		ev, err := parse(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		switch _, _, err := s.Append(r.Context(), ev); {
		case errors.Is(err, ErrEventTooLarge):
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		case errors.Is(err, ErrRedisUnavailable):
			w.Header().Set("Retry-After", RetryAfter)
			http.Error(w, "the event store is unavailable: deliver again later", http.StatusServiceUnavailable)
		case err != nil:
			http.Error(w, "cannot store the event", http.StatusInternalServerError)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	})
}
