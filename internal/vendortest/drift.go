package vendortest

import (
	"encoding/json"
	"net/http"
	"sync"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
)

// ServedBody is the answer (200, JSON) a drift test's mock client gets:
// the harness swaps it for each mutation of a fixture.
type ServedBody struct {
	mu   sync.Mutex
	body []byte
}

// Set makes b the answer.
func (s *ServedBody) Set(b []byte) {
	s.mu.Lock()
	s.body = b
	s.mu.Unlock()
}

// Responder answers with the body set last.
func (s *ServedBody) Responder(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	b := s.body
	s.mu.Unlock()
	return Respond(200, b)(r)
}

// DriftCall is a drift spec's call of a mock client that sb answers:
// it serves each mutated body and runs run, whose result is compared as
// JSON and whose metadata holds the issues. An error answer accepts comes
// with a decoded answer (a refused verification, a failed refresh) and
// counts as the call's success.
func DriftCall(sb *ServedBody, run func() (any, *creatorkit.ResponseMeta, error), answer func(error) bool) fixture.DriftCall {
	return func(body []byte) ([]byte, []creatorkit.DecodeIssue, error) {
		sb.Set(body)
		res, meta, err := run()
		if err != nil && answer != nil && answer(err) {
			err = nil
		}
		if err != nil {
			return nil, nil, err
		}
		out, merr := json.Marshal(res)
		if merr != nil {
			return nil, nil, merr
		}
		return out, meta.GetDecodeIssues(), nil
	}
}
