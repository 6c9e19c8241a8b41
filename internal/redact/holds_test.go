package redact

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/stretchr/testify/assert"
)

// holds finds every form of the credentials the redactor removes, wherever
// it sits in a body (also with '/' escaped as JSON allows), and the
// redaction that follows removes it.
func TestHoldsFindsEveryEchoedForm(t *testing.T) {
	for _, creds := range [][2]string{
		{"770312", "ha_live_TESTTOKEN_9f8e7d6c"},
		{"104523", `a+b/c=d?e&f g\"q`},
		{"1234567", "tok/with/slashes+and+plus"},
	} {
		id, token := creds[0], creds[1]
		r := New(id, token)
		// must: the forms the redactor always removes; shifted: base64 of
		// the secret after other bytes, removed when the secret is long
		// enough for its encoding to be told from chance (the token here).
		var must, shifted []string
		for _, s := range []string{id, token} {
			j, _ := json.Marshal(s)
			must = append(must, s, url.QueryEscape(s), url.PathEscape(s), string(j[1:len(j)-1]))
			for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
				for _, p := range []string{s, s + ":", ":" + s, id + ":" + token, token + ":" + id} {
					must = append(must, enc.EncodeToString([]byte(p)))
				}
				if s == token {
					for _, p := range []string{"x" + s, "xy" + s} {
						shifted = append(shifted, enc.EncodeToString([]byte(p)))
					}
				}
			}
		}
		for _, f := range append(must, shifted...) {
			for _, pre := range []string{"", "a", "ab", "abc"} {
				body, _ := json.Marshal(map[string]string{"k": pre + f + "z"})
				assert.True(t, r.Holds(body), "%q: missed %q in %s", creds, f, body)
				escaped := []byte(strings.ReplaceAll(string(body), "/", `\/`))
				assert.True(t, r.Holds(escaped), "%q: missed %q with '/' escaped", creds, f)
				assert.False(t, r.Holds(r.JSON(escaped)), "%q: %q survived redaction", creds, f)
			}
		}
	}
}

// The vendors' published samples (../shared/fixtures/<vendor>/*.json),
// which echo nothing, are left alone.
func TestHoldsLeavesSamplesAlone(t *testing.T) {
	r := New("770312", "ha_live_TESTTOKEN_9f8e7d6c")
	for _, vendor := range []string{"hypeauditor", "infludata"} {
		samples, _ := filepath.Glob(filepath.Join(fixture.SharedDir(t, vendor), "*.json"))
		assert.NotEmpty(t, samples, vendor)
		for _, file := range samples {
			body, err := os.ReadFile(file)
			assert.NoError(t, err)
			assert.False(t, r.Holds(body), "%s: a sample without an echo looks like one", file)
		}
	}
}

// BenchmarkHolds measures the check every success body goes through, on
// the 580 KB YouTube sample (which echoes nothing; read from
// ../shared/fixtures/hypeauditor/, skipped where that is absent), next to
// decoding it.
//
//	go test -run '^$' -bench Holds ./internal/transport/
func BenchmarkHolds(b *testing.B) {
	body := fixture.Shared(b, "hypeauditor", "youtube_report.json")
	r := New("770312", "ha_live_TESTTOKEN_9f8e7d6c")
	var probe, decode time.Duration
	n := 0
	for b.Loop() {
		start := time.Now()
		if r.Holds(body) {
			b.Fatal("the sample holds no credential")
		}
		mid := time.Now()
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			b.Fatal(err)
		}
		probe += mid.Sub(start)
		decode += time.Since(mid)
		n++
	}
	b.ReportMetric(float64(probe.Nanoseconds())/float64(n), "holds-ns/op")
	b.ReportMetric(float64(probe)/float64(decode), "holds/decode")
}
