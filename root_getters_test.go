package creatorkit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNilSafeAccessors(t *testing.T) {
	var s *Summary
	assert.Zero(t, s.GetQuality().GetScore())
	assert.Empty(t, s.GetQuality().GetName())
	full := &Summary{Quality: &Quality{Name: "AQS", Score: 88, Verdict: "green"}}
	assert.Equal(t, 88.0, full.GetQuality().GetScore())
	assert.Equal(t, "green", full.GetQuality().GetVerdict())

	var m *ResponseMeta
	assert.Zero(t, m.GetStatusCode())
	assert.Empty(t, m.GetRequestID())
	assert.Empty(t, m.GetHeader("ETag"))
	assert.Nil(t, m.GetDecodeIssues())
	assert.Equal(t, RateLimit{}, m.GetRateLimit())
	m = &ResponseMeta{StatusCode: 200, RequestID: "r1", Header: http.Header{"Etag": {`"v1"`}}}
	assert.Equal(t, `"v1"`, m.GetHeader("ETag"))
	assert.Equal(t, "r1", m.GetRequestID())
}

func TestItemErrorSaysTheCauseOnce(t *testing.T) {
	cause := &Error{Vendor: "infludata", Op: "Profiles.GetAndWaitAll", Kinds: []error{ErrInvalidParams}, Field: "username",
		Message: `username "bad handle" contains a space`}
	e := &ItemError{Vendor: "infludata", Input: "bad handle", Reason: `username "bad handle" contains a space`, Err: cause}
	assert.Equal(t, `infludata: "bad handle": username "bad handle" contains a space`, e.Error())
	assert.ErrorIs(t, e, ErrInvalidParams)

	other := &ItemError{Vendor: "engagecheck", Item: "instagram/@x2", ID: "136", Reason: "the audit could not be read", Err: &Error{Vendor: "engagecheck", StatusCode: 503, Message: "unavailable", Kinds: []error{ErrServer}}}
	assert.Contains(t, other.Error(), "the audit could not be read: engagecheck: 503 Service Unavailable: unavailable")
	id, ok := other.IDInt64()
	assert.True(t, ok)
	assert.Equal(t, int64(136), id)
	_, ok = (&ItemError{ID: "abc"}).IDInt64()
	assert.False(t, ok)
	_, ok = (*ItemError)(nil).IDInt64()
	assert.False(t, ok)
	assert.True(t, errors.Is(other, ErrServer))
}

func TestKindName(t *testing.T) {
	assert.Equal(t, "", KindName(nil))
	assert.Equal(t, "rate_limited", KindName(&Error{Kinds: []error{ErrRateLimited}}))
	assert.Equal(t, "canceled", KindName(fmt.Errorf("x: %w", context.Canceled)))
	te := &TimeoutError{Err: context.DeadlineExceeded, LastError: &Error{Kinds: []error{ErrServer}}}
	assert.Equal(t, "deadline_exceeded", KindName(&ItemError{Err: te}), "a wait's budget ended it, not its last 5xx")
	assert.Equal(t, "error", KindName(errors.New("other")))
}
