package redislimit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// DefaultPrefix starts every key the limiter writes; redis_rate adds its
// own "rate:" in front ("rate:creatorkit:engagecheck:agency-main:1m0s").
const DefaultPrefix = "creatorkit:"

// maxName bounds a caller-given name.
const maxName = 128

// HashedName derives a limiter name from an API key for callers that have
// no better name: "key-" and the first 16 hex digits of the key's SHA-256.
// Processes using the same key derive the same name without sharing
// anything else; only the hash reaches Redis, never the key.
func HashedName(apiKey string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(apiKey)))
	return "key-" + hex.EncodeToString(sum[:8])
}

// checkName accepts names of 1 to 128 characters drawn from letters,
// digits and - _ . : / @ so a key cannot be spoofed with separators or
// control characters.
func checkName(name string) error {
	if name == "" {
		return fmt.Errorf("redislimit: name is empty: give every process sharing one API key the same name (or use HashedName(apiKey))")
	}
	if len(name) > maxName {
		return fmt.Errorf("redislimit: name is %d bytes long, at most %d allowed", len(name), maxName)
	}
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.:/@", r)
		if !ok {
			return fmt.Errorf("redislimit: name %q has the character %q: use letters, digits and - _ . : / @", name, r)
		}
	}
	return nil
}

// redisKey is the key of one limit, without redis_rate's "rate:" prefix.
func redisKey(prefix, vendor, name string, period time.Duration) string {
	var b strings.Builder
	b.WriteString(prefix)
	if vendor != "" {
		b.WriteString(vendor)
		b.WriteByte(':')
	}
	b.WriteString(name)
	b.WriteByte(':')
	b.WriteString(period.String())
	return b.String()
}
