// Package faketest is what the vendor fakes' own tests and benchmarks
// share: serving a request in-process (no socket, so a benchmark times the
// fake's work and not the loopback), the 1x/10x/100x dataset sizes, the
// per-page and per-request metrics, and golden transcripts that pin a
// fake's answers so a faster implementation can be shown to answer the
// same.
package faketest

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Serve sends one request to h in-process and returns the recorded
// answer. header holds name, value pairs.
func Serve(h http.Handler, method, target string, body []byte, header ...string) *httptest.ResponseRecorder {
	var req *http.Request
	if body != nil {
		req = httptest.NewRequest(method, target, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	} else {
		req = httptest.NewRequest(method, target, nil)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// Sizes returns base, 10 x base and 100 x base: the dataset sizes every
// fake's benchmarks run at.
func Sizes(base int) []int { return []int{base, 10 * base, 100 * base} }

// Name is the sub-benchmark name of a dataset size ("n=10000").
func Name(n int) string { return fmt.Sprintf("n=%d", n) }

// ReportPer reports the benchmark's time per unit (a page, a request, an
// id) as "ns/<unit>", given how many units one iteration served.
func ReportPer(b *testing.B, unit string, perOp int) {
	b.Helper()
	if b.N == 0 || perOp == 0 {
		return
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(perOp), "ns/"+unit)
}

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata")

// Transcript records a fake's answers, normalized so that they do not
// depend on the wall clock, and compares them with a golden file.
type Transcript struct {
	buf bytes.Buffer
	// Drop lists JSON object keys whose values vary from run to run
	// (request ids, unix times) and are replaced by "<x>".
	Drop []string
	// Replace, when set, rewrites labels and bodies (a test server's URL
	// to a placeholder).
	Replace *strings.Replacer
}

func (tr *Transcript) replace(s string) string {
	if tr.Replace == nil {
		return s
	}
	return tr.Replace.Replace(s)
}

// Add records one exchange: a label, the status and the normalized body.
func (tr *Transcript) Add(label string, rec *httptest.ResponseRecorder, headers ...string) {
	fmt.Fprintf(&tr.buf, "## %s\n%d\n", tr.replace(label), rec.Code)
	for _, h := range headers {
		if v := rec.Header().Get(h); v != "" {
			fmt.Fprintf(&tr.buf, "%s: %s\n", h, v)
		}
	}
	tr.buf.WriteString(tr.Normalize(rec.Body.Bytes()))
	tr.buf.WriteString("\n")
}

// Note records a line of the test's own (counters, balances).
func (tr *Transcript) Note(format string, args ...any) {
	tr.buf.WriteString(tr.replace(fmt.Sprintf("# "+format+"\n", args...)))
}

var (
	stamp = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$`)
	dated = regexp.MustCompile(`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?`)
)

// Normalize re-encodes a JSON body with sorted keys, every date or
// timestamp string replaced by "<t>" and the Drop keys by "<x>"; a body
// that is not JSON is returned with its timestamps replaced.
func (tr *Transcript) Normalize(body []byte) string {
	var v any
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return tr.replace(dated.ReplaceAllString(string(body), "<t>"))
	}
	v = tr.walk(v)
	out, _ := json.Marshal(v)
	return tr.replace(string(out))
}

func (tr *Transcript) walk(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if contains(tr.Drop, k) {
				x[k] = "<x>"
				continue
			}
			x[k] = tr.walk(e)
		}
	case []any:
		for i, e := range x {
			x[i] = tr.walk(e)
		}
	case string:
		if stamp.MatchString(x) {
			return "<t>"
		}
		return dated.ReplaceAllString(x, "<t>")
	}
	return v
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// Check compares the transcript with testdata/<name>.golden, or rewrites
// that file when the test runs with -update.
func (tr *Transcript) Check(t *testing.T, name string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, tr.buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to write it)", err)
	}
	if got := tr.buf.String(); got != string(want) {
		t.Errorf("transcript %s differs from %s at:\n%s", name, path, firstDiff(string(want), got))
	}
}

// firstDiff shows the first line where two transcripts differ.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			ctx := ""
			for j := min(i, len(wl)-1); j >= 0; j-- {
				if strings.HasPrefix(wl[j], "## ") {
					ctx = wl[j]
					break
				}
			}
			return fmt.Sprintf("line %d (%s)\nwant: %.600s\ngot:  %.600s", i+1, ctx, w, g)
		}
	}
	return "(no difference found)"
}
