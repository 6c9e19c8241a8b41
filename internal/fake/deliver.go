package fake

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/creatorkit/creatorkit-go/creatorkittest"
	"net/http"
	"sync"
	"time"
)

// Delivery is one outbound webhook POST and its outcome
// (creatorkittest.Delivery).
type Delivery = creatorkittest.Delivery

// Deliveries records outbound webhooks.
type Deliveries struct {
	mu   sync.Mutex
	list []Delivery
}

// List returns the deliveries so far.
func (d *Deliveries) List() []Delivery {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]Delivery(nil), d.list...)
}

// PostJSON delivers v to url in the background, best effort (like the
// vendors: a failed delivery is recorded and not retried), and records it.
// It posts with HTTPClient: in the in-memory mode, only the receivers of
// ServeWebhooks can be reached.
func (s *Server) PostJSON(d *Deliveries, url string, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		return
	}
	s.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		rec := Delivery{URL: url, Body: body}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err == nil {
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("User-Agent", "creatorkit-fake-webhook/1")
			var resp *http.Response
			if resp, err = s.client.Do(req); err == nil {
				rec.Status = resp.StatusCode
				resp.Body.Close()
			}
		}
		rec.Err = err
		d.mu.Lock()
		d.list = append(d.list, rec)
		d.mu.Unlock()
	})
}
