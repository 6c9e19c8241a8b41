package paging

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
//	go test -run '^$' -fuzz '^FuzzLinkHeader$' -fuzztime 10s ./internal/paging/
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
		first, next := Links(h)
		all := a + "," + b
		for _, target := range []string{first, next} {
			if target != "" && !strings.Contains(all, "<"+target+">") {
				t.Fatalf("target %q is not a <...> of %q", target, all)
			}
		}
		cur := QueryParam(next, "cursor")
		if next == "" && cur != "" {
			t.Fatalf("a cursor %q without a next link", cur)
		}
		if cur != "" {
			u, err := url.Parse(next)
			if err != nil || u.Query().Get("cursor") != cur {
				t.Fatalf("cursor %q is not the cursor parameter of %q", cur, next)
			}
		}
	})
}

// FuzzSplitLinks: splitting never loses or adds a byte outside the commas
// it splits on.
func FuzzSplitLinks(f *testing.F) {
	f.Add(`<a,b>; rel="x,y", <c>`)
	f.Add(`",<,>"`)
	f.Fuzz(func(t *testing.T, s string) {
		parts := SplitLinks(s)
		if strings.Join(parts, ",") != s {
			t.Fatalf("split %q into %q", s, parts)
		}
	})
}

func TestLinks(t *testing.T) {
	h := http.Header{}
	h.Add("Link", `<https://a/x?limit=1>; rel="first", <https://a/x?cursor=c%2F2&limit=1>; rel="next"`)
	first, next := Links(h)
	if first != "https://a/x?limit=1" || next != "https://a/x?cursor=c%2F2&limit=1" || QueryParam(next, "cursor") != "c/2" {
		t.Fatalf("first %q, next %q, cursor %q", first, next, QueryParam(next, "cursor"))
	}
	if f, n := Links(http.Header{}); f != "" || n != "" || QueryParam("%zz://", "cursor") != "" {
		t.Fatal("no Link header, no links")
	}
}
