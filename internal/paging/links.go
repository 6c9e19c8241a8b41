package paging

import (
	"net/http"
	"net/url"
	"strings"
)

// Links reads the rel="first" and rel="next" targets of an answer's Link
// headers (RFC 8288): each target is the text inside a link value's <...>,
// the last one named wins, and a value that is not a link is skipped.
func Links(h http.Header) (first, next string) {
	for _, v := range h.Values("Link") {
		for _, part := range SplitLinks(v) {
			part = strings.TrimSpace(part)
			end := strings.Index(part, ">")
			if !strings.HasPrefix(part, "<") || end < 0 {
				continue
			}
			target := part[1:end]
			for param := range strings.SplitSeq(part[end+1:], ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(param), "=")
				if !ok || !strings.EqualFold(strings.TrimSpace(k), "rel") {
					continue
				}
				for _, rel := range strings.Fields(strings.Trim(strings.TrimSpace(val), `"`)) {
					switch strings.ToLower(rel) {
					case "first":
						first = target
					case "next":
						next = target
					}
				}
			}
		}
	}
	return first, next
}

// SplitLinks splits a Link header on the commas between link values (not
// the ones inside <...> or quotes).
func SplitLinks(v string) []string {
	var out []string
	depth, quoted, start := 0, false, 0
	for i, r := range v {
		switch {
		case r == '"':
			quoted = !quoted
		case quoted:
		case r == '<':
			depth++
		case r == '>':
			depth--
		case r == ',' && depth == 0:
			out = append(out, v[start:i])
			start = i + 1
		}
	}
	return append(out, v[start:])
}

// QueryParam returns the query parameter name of the URL raw (a next-page
// link's cursor), or "" when raw is empty or not a URL.
func QueryParam(raw, name string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Query().Get(name)
}
