package fake

import (
	"net/http"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/fake/faketest"
)

// A request's way through the shared fake (counters, faults, auth, the
// sliding window, the handler) with 1x, 10x and 100x a base number of
// requests already in the key's window and in the counters: the time per
// request must stay flat.
func BenchmarkServeWithHistory(b *testing.B) {
	for _, n := range faketest.Sizes(1000) {
		s := New(Config{
			Auth:      func(r *http.Request) (string, bool) { return r.Header.Get("Authorization"), true },
			RateLimit: Window{N: 1 << 30, Per: time.Hour},
			Faults:    Faults{ErrorRate: map[int]float64{500: 0.0001}, Routes: []string{"things.get"}},
		})
		s.Handle("GET /things/{id}", "things.get", func(w http.ResponseWriter, r *http.Request) {
			JSON(w, http.StatusOK, map[string]string{"id": r.PathValue("id")})
		})
		for i := 0; i < n; i++ {
			faketest.Serve(s.mux, "GET", "/things/1", nil, "Authorization", "k")
		}
		b.Run(faketest.Name(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				faketest.Serve(s.mux, "GET", "/things/1", nil, "Authorization", "k")
			}
			faketest.ReportPer(b, "request", 1)
		})
		s.Close()
	}
}
