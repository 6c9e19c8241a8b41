package hypeauditor

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The scrub probe finds every form of the credentials the redactor
// removes, wherever it sits in a body, and nothing in HypeAuditor's own
// samples.
func TestScrubProbeFindsEveryEchoedForm(t *testing.T) {
	for _, creds := range [][2]string{
		{"770312", "ha_live_TESTTOKEN_9f8e7d6c"},
		{"104523", `a+b/c=d?e&f g\"q`},
		{"1234567", "tok/with/slashes+and+plus"},
	} {
		id, token := creds[0], creds[1]
		c, err := NewClient(WithCredentials(id, token))
		require.NoError(t, err)
		var forms, redacted []string // every form; the forms the redactor removes
		for _, s := range []string{id, token} {
			j, _ := json.Marshal(s)
			plain := []string{s, url.QueryEscape(s), url.PathEscape(s), string(j[1 : len(j)-1])}
			forms, redacted = append(forms, plain...), append(redacted, plain...)
			for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
				for i, p := range []string{s, s + ":", ":" + s, id + ":" + token, token + ":" + id, "x" + s, "xy" + s} {
					forms = append(forms, enc.EncodeToString([]byte(p)))
					if i < 5 {
						redacted = append(redacted, enc.EncodeToString([]byte(p)))
					}
				}
			}
		}
		for _, f := range forms {
			for _, pre := range []string{"", "a", "ab", "abc"} {
				body, _ := json.Marshal(map[string]string{"k": pre + f + "z"})
				assert.True(t, c.echoed(body), "%q: the probe missed %q in %s", creds, f, body)
				assert.True(t, c.echoed([]byte(strings.ReplaceAll(string(body), "/", `\/`))), "%q: the probe missed %q with '/' escaped", creds, f)
			}
		}
		for _, f := range redacted {
			body, _ := json.Marshal(map[string]string{"k": "a" + f + "z"})
			r := struct {
				K   string
				Raw []byte
			}{"a" + f + "z", body}
			c.scrub(body, &r)
			assert.NotContains(t, r.K, f, "%q: %q was not scrubbed", creds, f)
			assert.NotContains(t, string(r.Raw), f)
		}
	}
	c, err := NewClient(WithCredentials("770312", "ha_live_TESTTOKEN_9f8e7d6c"))
	require.NoError(t, err)
	for _, file := range []string{"published_youtube_report_nasa.json", "published_tiktok_report_littlebig.json", "instagram_report_full.json", "creators.json"} {
		body := fixture.Load(t, file)
		for _, n := range c.echoes {
			assert.NotContains(t, string(body), string(n), "%s: a needle matches a sample without an echo", file)
		}
	}
}

// BenchmarkScrubProbe measures what looking for echoed credentials costs
// on the 580 KB YouTube sample (which holds none), next to decoding it.
//
//	go test -run '^$' -bench ScrubProbe ./hypeauditor/
func BenchmarkScrubProbe(b *testing.B) {
	body := fixture.Load(b, "published_youtube_report_nasa.json")
	c, err := NewClient(WithCredentials("770312", "ha_live_TESTTOKEN_9f8e7d6c"))
	if err != nil {
		b.Fatal(err)
	}
	var probe, decode time.Duration
	n := 0
	for b.Loop() {
		start := time.Now()
		if c.echoed(body) {
			b.Fatal("the sample holds no credential")
		}
		mid := time.Now()
		var env struct {
			Result YouTubeReport `json:"result"`
		}
		if err := json.Unmarshal(body, &env); err != nil {
			b.Fatal(err)
		}
		probe += mid.Sub(start)
		decode += time.Since(mid)
		n++
	}
	b.ReportMetric(float64(probe.Nanoseconds())/float64(n), "probe-ns/op")
	b.ReportMetric(float64(probe)/float64(decode), "probe/decode")
	b.ReportMetric(float64(len(c.echoes)), "needles")
}
