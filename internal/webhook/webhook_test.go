package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

type ev struct {
	Event string `json:"event"`
}

func parse(b []byte) (ev, error) {
	var e ev
	if err := json.Unmarshal(b, &e); err != nil {
		return e, err
	}
	if e.Event == "" {
		return e, errors.New("no event")
	}
	return e, nil
}

func TestHandlerStatuses(t *testing.T) {
	var got []string
	ok := func(_ context.Context, e ev) error { got = append(got, e.Event); return nil }
	fail := func(context.Context, ev) error { return errors.New("db down") }
	deny := func(*http.Request, []byte) error { return errors.New("bad signature") }
	cases := []struct {
		name   string
		h      http.Handler
		method string
		body   string
		want   int
	}{
		{"ok", Handler(Config{}, parse, ok), "POST", `{"event":"a"}`, 204},
		{"get", Handler(Config{}, parse, ok), "GET", ``, 405},
		{"malformed", Handler(Config{}, parse, ok), "POST", `{"event":`, 400},
		{"missing event", Handler(Config{}, parse, ok), "POST", `{}`, 400},
		{"too large", Handler(Config{MaxBytes: 8}, parse, ok), "POST", `{"event":"aaaaaaaa"}`, 413},
		{"refused", Handler(Config{Verify: deny}, parse, ok), "POST", `{"event":"a"}`, 401},
		{"handler fails", Handler(Config{}, parse, fail), "POST", `{"event":"a"}`, 500},
	}
	for _, tc := range cases {
		rec := httptest.NewRecorder()
		tc.h.ServeHTTP(rec, httptest.NewRequest(tc.method, "/hook", strings.NewReader(tc.body)))
		assert.Equal(t, tc.want, rec.Code, tc.name)
	}
	assert.Equal(t, []string{"a"}, got)
}
