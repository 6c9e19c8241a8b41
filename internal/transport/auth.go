package transport

import (
	"net/http"
	"strings"
)

// Auth is a vendor's authentication scheme. It sets headers on each attempt
// and lists the secrets that must never appear in errors or logs.
type Auth interface {
	// Apply sets the authentication headers on the client's header
	// template, once when the client is made; every request carries a
	// copy.
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
