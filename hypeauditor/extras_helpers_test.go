package hypeauditor_test

import (
	"errors"
	"testing"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refusedBeforeSending asserts that each call fails with ErrInvalidParams
// naming a field, before anything is sent (no HTTP status).
func refusedBeforeSending(t *testing.T, cases map[string]func() error) {
	t.Helper()
	for name, call := range cases {
		err := call()
		assert.ErrorIs(t, err, hypeauditor.ErrInvalidParams, name)
		var e *hypeauditor.Error
		if assert.True(t, errors.As(err, &e), name) {
			assert.Zero(t, e.StatusCode, name)
			assert.NotEmpty(t, e.Field, name)
		}
	}
}

// badIdentifiersRefused runs each call with every value of the identifier
// policy's bad path parameters (check.BadPathParams) and asserts each is
// refused with ErrInvalidParams before anything is sent.
func badIdentifiersRefused(t *testing.T, calls map[string]func(v string) error) {
	t.Helper()
	pairs := 0
	for name, fn := range calls {
		for _, v := range check.BadPathParams() {
			pairs++
			err := fn(v)
			if assert.ErrorIs(t, err, hypeauditor.ErrInvalidParams, "%s %q", name, v) {
				var e *hypeauditor.Error
				if assert.ErrorAs(t, err, &e) {
					assert.Zero(t, e.StatusCode, "%s %q: nothing was sent", name, v)
				}
			}
		}
	}
	t.Logf("%d (method, value) pairs refused before sending", pairs)
}

// driftSpec is one main read for runDrift: its fixture, the part of the
// result the read returns (root), the control paths and the read.
type driftSpec struct {
	name, root, control string
	body                func(t *testing.T) []byte
	read                driftRead
}

// local loads a testdata fixture for a driftSpec.
func local(file string) func(t *testing.T) []byte {
	return func(t *testing.T) []byte { return fixture.Load(t, file) }
}

// runDrift runs TestDrift's check on each spec: every single-field change
// of its fixture outside the control values keeps the call succeeding
// with every untouched value as it was; the control values are refused
// with ErrUnexpectedResponse.
func runDrift(t *testing.T, specs []driftSpec) {
	for _, s := range specs {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			r := fixture.Drift(fixture.DriftSpec{Name: s.name, Fixture: s.body(t), Root: s.root, Call: driftCall(t, s.read), Control: controlOf(s.control)})
			fixture.RequireDrift(t, r)
			require.Equal(t, r.Mutations-r.Control, r.Survived)
			require.Equal(t, r.Unknown, r.UnknownSurvived)
		})
	}
}
