// Package geo normalizes the country codes and names vendors send into ISO
// 3166-1 alpha-2 codes, for the common creator summary: HypeAuditor sends
// lower-case codes with the EU's "uk" for the United Kingdom, influData
// upper-case codes, others English names.
package geo

import (
	"strings"
	"sync"
)

type country struct {
	alpha2, alpha3 string
	names          []string
}

// exceptions are codes vendors use that are not ISO 3166-1 alpha-2: the
// EU's and FIFA's conventions.
var exceptions = map[string]string{"uk": "GB", "el": "GR", "en": "GB", "xk": "XK", "ks": "XK"}

var index = sync.OnceValue(func() map[string]string {
	m := make(map[string]string, len(countries)*4)
	for _, c := range countries {
		m[strings.ToLower(c.alpha2)] = c.alpha2
		m[strings.ToLower(c.alpha3)] = c.alpha2
		for _, n := range c.names {
			m[strings.ToLower(n)] = c.alpha2
		}
	}
	for k, v := range exceptions {
		m[k] = v
	}
	return m
})

// ISO2 returns the ISO 3166-1 alpha-2 code (upper case) for a country code
// (alpha-2 or alpha-3, any case, including "uk" and "el") or an English
// country name, and whether it knew it.
func ISO2(codeOrName string) (string, bool) {
	k := strings.ToLower(strings.TrimSpace(codeOrName))
	if k == "" {
		return "", false
	}
	v, ok := index()[k]
	return v, ok
}
