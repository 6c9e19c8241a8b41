package creatoraudittest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/internal/fake"
)

type fieldError = creatoraudit.FieldError

var urns = map[creatoraudit.Code]string{
	creatoraudit.CodeBadRequest: "bad-request", creatoraudit.CodeUnauthorized: "unauthorized", creatoraudit.CodeForbidden: "forbidden",
	creatoraudit.CodeInsufficientScope: "insufficient-scope", creatoraudit.CodeQuotaExceeded: "quota-exceeded",
	creatoraudit.CodeNotFound: "not-found", creatoraudit.CodeNotAcceptable: "not-acceptable", creatoraudit.CodeConflict: "conflict",
	creatoraudit.CodeUnsupportedMediaType: "unsupported-media-type", creatoraudit.CodeValidationError: "validation-error",
	creatoraudit.CodeRateLimited: "rate-limited", creatoraudit.CodeInternalError: "internal-error",
	creatoraudit.CodeUpstreamError: "upstream-error", creatoraudit.CodeServiceUnavailable: "service-unavailable",
}

// codeFor is the code of a status the shared fake writes itself (401, 429,
// injected faults).
func codeFor(status int) creatoraudit.Code {
	switch status {
	case 400:
		return creatoraudit.CodeBadRequest
	case 401:
		return creatoraudit.CodeUnauthorized
	case 403:
		return creatoraudit.CodeForbidden
	case 404:
		return creatoraudit.CodeNotFound
	case 406:
		return creatoraudit.CodeNotAcceptable
	case 409:
		return creatoraudit.CodeConflict
	case 415:
		return creatoraudit.CodeUnsupportedMediaType
	case 422:
		return creatoraudit.CodeValidationError
	case 429:
		return creatoraudit.CodeRateLimited
	case 502:
		return creatoraudit.CodeUpstreamError
	case 503:
		return creatoraudit.CodeServiceUnavailable
	}
	return creatoraudit.CodeInternalError
}

func (s *Server) problemBody(status int, code creatoraudit.Code, detail, instance string, errs []fieldError) map[string]any {
	body := map[string]any{
		"type": "urn:creatoraudit:error:" + urns[code], "title": http.StatusText(status), "status": status,
		"detail": detail, "code": code, "request_id": s.requestID(),
	}
	if instance != "" {
		body["instance"] = instance
	}
	if len(errs) > 0 {
		body["errors"] = errs
	}
	return body
}

// errorBody renders the problems the shared fake writes (auth, rate limit,
// injected faults).
func (s *Server) errorBody(status int, msg string) any {
	return s.problemBody(status, codeFor(status), msg, "", nil)
}

// problem writes an application/problem+json error.
func (s *Server) problem(w http.ResponseWriter, r *http.Request, status int, code creatoraudit.Code, detail string, errs ...fieldError) {
	b, _ := json.Marshal(s.problemBody(status, code, detail, r.URL.Path, errs))
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func (s *Server) invalid(w http.ResponseWriter, r *http.Request, field, msg string) {
	s.problem(w, r, http.StatusUnprocessableEntity, creatoraudit.CodeValidationError, "Validation failed.", fieldError{Field: field, Message: msg})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request, what string) {
	s.problem(w, r, http.StatusNotFound, creatoraudit.CodeNotFound, what+" not found.")
}

// reply writes a JSON answer. GET answers carry a strong ETag; a matching
// If-None-Match gets 304 with an empty body.
func reply(w http.ResponseWriter, r *http.Request, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if r.Method == http.MethodGet && status == http.StatusOK {
		sum := sha256.Sum256(b)
		etag := `"` + hex.EncodeToString(sum[:12]) + `"`
		w.Header().Set("ETag", etag)
		if inm := r.Header.Get("If-None-Match"); inm != "" && (inm == etag || inm == "*") {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// handle registers a handler with the API's common checks: X-Request-ID,
// Accept negotiation, the write scope, and a JSON body on writes.
func (s *Server) handle(pattern, route string, h http.HandlerFunc) {
	method, _, _ := strings.Cut(pattern, " ")
	write := method != http.MethodGet
	s.patterns = append(s.patterns, [2]string{pattern, route})
	s.f.Handle(pattern, route, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-ID", s.requestID())
		if a := r.Header.Get("Accept"); a != "" && !strings.Contains(a, "json") && !strings.Contains(a, "*/*") {
			s.problem(w, r, http.StatusNotAcceptable, creatoraudit.CodeNotAcceptable, "The Accept header cannot be satisfied with JSON.")
			return
		}
		if write && s.cfg.readOnlyKey != "" && fake.Key(r) == s.cfg.readOnlyKey {
			s.problem(w, r, http.StatusForbidden, creatoraudit.CodeInsufficientScope, "This API key lacks the write scope required for "+method+" "+r.URL.Path+".")
			return
		}
		if (method == http.MethodPost || method == http.MethodPatch) && r.ContentLength != 0 {
			mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if mt != "application/json" {
				s.problem(w, r, http.StatusUnsupportedMediaType, creatoraudit.CodeUnsupportedMediaType, "Write requests must send a JSON body.")
				return
			}
		}
		h(w, r)
	})
}

// decode reads a JSON body into v, answering 400 for a malformed one.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := fake.ReadJSON(r, 4<<20, v); err != nil {
		s.problem(w, r, http.StatusBadRequest, creatoraudit.CodeBadRequest, "The request body could not be parsed as JSON.")
		return false
	}
	return true
}

// idemEntry is a recorded answer to a create with an Idempotency-Key.
type idemEntry struct {
	key    string
	status int
	body   []byte
	header http.Header
	at     time.Time
}

// forget drops the recorded answers that can no longer be replayed (older
// than the window, with a minute to spare), oldest first. Callers hold
// s.mu.
func (s *Server) forget(now time.Time) {
	for len(s.idemQ) > 0 && now.Sub(s.idemQ[0].at) > s.Scale(s.cfg.idemWindow)+time.Minute {
		e := s.idemQ[0]
		if s.idem[e.key] == e {
			delete(s.idem, e.key)
		}
		s.idemQ[0] = nil
		s.idemQ = s.idemQ[1:]
	}
}

// replay answers a repeated Idempotency-Key within the window with the
// recorded answer; it reports whether it did. Callers hold s.mu.
func (s *Server) replay(w http.ResponseWriter, r *http.Request, route string, now time.Time) (key string, replayed bool) {
	k := r.Header.Get("Idempotency-Key")
	if k == "" {
		return "", false
	}
	key = fake.Key(r) + "|" + route + "|" + k
	s.forget(now)
	e := s.idem[key]
	if e == nil || now.Sub(e.at) > s.Scale(s.cfg.idemWindow) {
		delete(s.idem, key)
		return key, false
	}
	for h, vs := range e.header {
		w.Header()[h] = vs
	}
	w.Header().Set("Idempotent-Replayed", "true")
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.status)
	_, _ = w.Write(e.body)
	return key, true
}

// created writes a 201 {"data": v} and records it under the key. Callers
// hold s.mu.
func (s *Server) created(w http.ResponseWriter, key string, now time.Time, v any) {
	b, _ := json.Marshal(map[string]any{"data": v})
	if key != "" {
		e := &idemEntry{key: key, status: http.StatusCreated, body: b, at: now}
		s.idem[key] = e
		s.idemQ = append(s.idemQ, e)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write(b)
}
