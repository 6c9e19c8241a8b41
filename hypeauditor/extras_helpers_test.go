package hypeauditor_test

import (
	"errors"
	"testing"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/stretchr/testify/assert"
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
