package transport

import (
	"net/http"
	"net/url"
	"strings"
)

// Auth is a vendor's authentication scheme. It sets headers on each attempt
// and lists the secrets that must never appear in errors or logs.
type Auth interface {
	// Apply sets the authentication headers on an outgoing request.
	Apply(h http.Header)
	// Secrets returns the secret values, for redaction.
	Secrets() []string
	// Describe returns a redacted description, e.g. "Bearer ec_l…[REDACTED]".
	Describe() string
}

// Bearer authenticates with "Authorization: Bearer <token>".
func Bearer(token string) Auth {
	return headerAuth{pairs: [][2]string{{"Authorization", "Bearer " + token}}, secrets: []string{token}}
}

// APIKeyHeader authenticates with a single header carrying the key, e.g.
// "X-API-Key: <key>".
func APIKeyHeader(name, key string) Auth {
	return headerAuth{pairs: [][2]string{{name, key}}, secrets: []string{key}}
}

// Headers authenticates with several headers; every value is treated as a
// secret (HypeAuditor: X-Auth-Id + X-Auth-Token).
func Headers(pairs ...[2]string) Auth {
	h := headerAuth{pairs: pairs}
	for _, p := range pairs {
		h.secrets = append(h.secrets, p[1])
	}
	return h
}

// NoAuth sends no credentials (public endpoints such as trial-key signup).
func NoAuth() Auth { return headerAuth{} }

type headerAuth struct {
	pairs   [][2]string
	secrets []string
}

func (a headerAuth) Apply(h http.Header) {
	for _, p := range a.pairs {
		h.Set(p[0], p[1])
	}
}

func (a headerAuth) Secrets() []string { return a.secrets }

func (a headerAuth) Describe() string {
	if len(a.pairs) == 0 {
		return "none"
	}
	names := make([]string, len(a.pairs))
	for i, p := range a.pairs {
		names[i] = p[0] + ": [REDACTED]"
	}
	return strings.Join(names, ", ")
}

// HasSecret reports whether the auth carries at least one non-empty secret.
func HasSecret(a Auth) bool {
	if a == nil {
		return false
	}
	for _, s := range a.Secrets() {
		if strings.TrimSpace(s) != "" {
			return true
		}
	}
	return false
}

// Redactor removes secrets from text.
type Redactor struct{ secrets []string }

// NewRedactor returns a Redactor for the given secrets; empty and very short
// values are ignored (redacting "a" would mangle every message).
func NewRedactor(secrets ...string) Redactor {
	var r Redactor
	for _, s := range secrets {
		if len(s) >= 4 {
			r.secrets = append(r.secrets, s)
		}
	}
	return r
}

// String replaces every secret in s with [REDACTED].
func (r Redactor) String(s string) string {
	for _, sec := range r.secrets {
		if strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, "[REDACTED]")
		}
	}
	return s
}

// Bytes is String for byte slices; it returns b itself when nothing changes.
func (r Redactor) Bytes(b []byte) []byte {
	for _, sec := range r.secrets {
		if strings.Contains(string(b), sec) {
			return []byte(r.String(string(b)))
		}
	}
	return b
}

// sensitiveQuery reports whether a query parameter's value is always
// redacted: exact names, or names ending in a secret-bearing word.
func sensitiveQuery(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "key", "sig", "signature", "auth":
		return true
	}
	for _, suffix := range []string{"token", "secret", "password", "apikey", "api_key"} {
		if strings.HasSuffix(n, suffix) {
			return true
		}
	}
	return false
}

// URL returns u as a string with secrets and sensitive query values
// redacted.
func (r Redactor) URL(u *url.URL) string {
	if u == nil {
		return ""
	}
	cp := *u
	cp.User = nil
	if cp.RawQuery != "" {
		q := cp.Query()
		changed := false
		for name := range q {
			if sensitiveQuery(name) {
				q.Set(name, "REDACTED")
				changed = true
			}
		}
		if changed {
			cp.RawQuery = q.Encode()
		}
	}
	return r.String(cp.String())
}
