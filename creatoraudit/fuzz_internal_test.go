package creatoraudit

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzLinkHeader: any Link header parses without a panic; the first and
// next targets it finds are taken from inside <...> of the header, and the
// cursor read from the next target is the cursor query parameter of that
// URL.
//
//	go test -run '^$' -fuzz '^FuzzLinkHeader$' -fuzztime 10s ./creatoraudit/
func FuzzLinkHeader(f *testing.F) {
	for _, s := range []string{
		`<https://api.creatoraudit.com/v2/accounts?limit=100>; rel="first", <https://api.creatoraudit.com/v2/accounts?cursor=eyJhIjoiYiJ9&limit=100>; rel="next"`,
		`<https://api.creatoraudit.com/v2/accounts?cursor=c3&limit=200&platform=tiktok>; rel="next"`,
		`<a,b>; rel="next first"; title="x, y", <c>; REL=First`,
		`<>; rel=next`, `<x`, `>; rel="next"`, `<x>; rel`, `<x>;;; rel="next`, `"<x>", <y>; rel=next`,
		`<http://h/?cursor=%zz>; rel="next"`, `<http://h/?cursor=a%2Fb>; rel="next"`,
	} {
		f.Add(s, "")
	}
	f.Add(`<http://h/?a=1>; rel="first"`, `<http://h/?cursor=two>; rel="next"`)
	f.Fuzz(func(t *testing.T, a, b string) {
		h := http.Header{}
		h.Add("Link", a)
		if b != "" {
			h.Add("Link", b)
		}
		l := parseLinks(h)
		all := a + "," + b
		for _, target := range []string{l.First, l.Next} {
			if target != "" && !strings.Contains(all, "<"+target+">") {
				t.Fatalf("target %q is not a <...> of %q", target, all)
			}
		}
		cur := cursorFromURL(l.Next)
		if l.Next == "" && cur != "" {
			t.Fatalf("a cursor %q without a next link", cur)
		}
		if cur != "" {
			u, err := url.Parse(l.Next)
			if err != nil || u.Query().Get("cursor") != cur {
				t.Fatalf("cursor %q is not the cursor parameter of %q", cur, l.Next)
			}
		}
		// A page whose only next link is this one asks for that cursor.
		p := &Page[Account]{Pagination: Pagination{HasNext: true}, Links: l}
		if got := p.NextCursor(); got != cur {
			t.Fatalf("NextCursor %q, want %q", got, cur)
		}
	})
}

// FuzzSplitLinks: splitting never loses or adds a byte outside the commas
// it splits on.
func FuzzSplitLinks(f *testing.F) {
	f.Add(`<a,b>; rel="x,y", <c>`)
	f.Add(`",<,>"`)
	f.Fuzz(func(t *testing.T, s string) {
		parts := splitLinks(s)
		if strings.Join(parts, ",") != s {
			t.Fatalf("split %q into %q", s, parts)
		}
	})
}
