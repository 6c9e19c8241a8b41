package transport

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A check's message refuses the parameter it names; no message, no error
// (a nil error, not a nil *Error in an interface).
func TestRefuse(t *testing.T) {
	assert.NoError(t, Refuse("v", "Op", "id", ""))
	assert.True(t, Refuse("v", "Op", "id", "") == nil)
	err := Refuse("v", "Op", "id", `"a/b" has '/'`)
	require.ErrorIs(t, err, ErrInvalidParams)
	var e *Error
	require.True(t, errors.As(err, &e))
	assert.Equal(t, "id", e.Field)
	assert.Equal(t, `"a/b" has '/'`, e.Message)
}

// Unexpected names the client's vendor and is redacted.
func TestUnexpectedIsRedacted(t *testing.T) {
	c, _ := newMockClient(t)
	e := c.Unexpected("Op", "the answer holds %s", secret)
	assert.ErrorIs(t, e, ErrUnexpectedResponse)
	assert.Equal(t, "testvendor", e.Vendor)
	assert.NotContains(t, e.Error(), secret)
}
