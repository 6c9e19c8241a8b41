package creatorkit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestErrorFormatAndKinds(t *testing.T) {
	e := &Error{Vendor: "engagecheck", Op: "Audits.Create", Method: "POST", URL: "https://engagecheck.com/api/v1/audits",
		StatusCode: 402, Message: "no credits", Code: "x1", RequestID: "r-9", RetryAfter: 3 * time.Second, Attempts: 2,
		Kinds: []error{ErrQuotaExceeded}}
	assert.Equal(t, "engagecheck: Audits.Create: POST https://engagecheck.com/api/v1/audits: 402 Payment Required: no credits (code x1, request id r-9, retry after 3s, after 2 attempts)", e.Error())
	assert.ErrorIs(t, e, ErrQuotaExceeded)
	assert.NotErrorIs(t, e, ErrForbidden)
	var got *Error
	require.ErrorAs(t, fmt.Errorf("wrapped: %w", e), &got)
	assert.Same(t, e, got)
	assert.False(t, e.Temporary())
	e2 := &Error{Vendor: "v", Kinds: []error{ErrNotFound}}
	assert.Equal(t, "v: not found", e2.Error())
}

type tempCause struct{}

func (tempCause) Error() string   { return "body was HTML" }
func (tempCause) Temporary() bool { return true }

func TestTemporary(t *testing.T) {
	for kind, want := range map[error]bool{ErrRateLimited: true, ErrServer: true, ErrNetwork: true, ErrNotFound: false, ErrInvalidParams: false, ErrUnexpectedResponse: false} {
		assert.Equal(t, want, (&Error{Kinds: []error{kind}}).Temporary(), kind)
	}
	assert.False(t, (&Error{Kinds: []error{ErrServer, ErrOutcomeUnknown}}).Temporary(), "a paid request that may have landed is not repeated")
	assert.False(t, (&Error{Kinds: []error{ErrRateLimited, ErrQuotaExceeded}}).Temporary())
	assert.False(t, (&Error{Kinds: []error{ErrNetwork}, Cause: context.Canceled}).Temporary())
	assert.True(t, (&Error{Kinds: []error{ErrUnexpectedResponse}, Cause: tempCause{}}).Temporary(), "a non-JSON body may be a proxy's blip")
}

func TestKindForStatus(t *testing.T) {
	assert.Equal(t, ErrQuotaExceeded, KindForStatus(http.StatusPaymentRequired))
	assert.Equal(t, ErrServer, KindForStatus(503))
	assert.Nil(t, KindForStatus(302))
	assert.Len(t, Kinds(), 12)
}

func TestItemError(t *testing.T) {
	e := &ItemError{Vendor: "engagecheck", Input: "@NatGeo", Item: "natgeo", ID: "142", State: "error", Reason: "Account is private.", Err: ErrNotFound}
	assert.Equal(t, "engagecheck: natgeo (id 142): Account is private.: not found", e.Error())
	assert.ErrorIs(t, e, ErrNotFound)
	bad := &ItemError{Vendor: "engagecheck", Input: "bad handle!", Reason: "not an Instagram handle", Err: ErrInvalidParams}
	assert.Equal(t, `engagecheck: "bad handle!": not an Instagram handle: invalid params`, bad.Error())
	assert.Contains(t, (&ItemError{Vendor: "v"}).Error(), "no result", "the reason is never empty in the message")
}

func TestTimeoutAndDelayErrors(t *testing.T) {
	te := &TimeoutError{Vendor: "hypeauditor", Op: "Reports.InstagramAndWait", Last: "NOT_READY", Checks: 3, Err: context.DeadlineExceeded}
	assert.ErrorIs(t, te, context.DeadlineExceeded)
	assert.Contains(t, te.Error(), "last state: NOT_READY")
	de := &DelayError{Delay: time.Second, Reason: "limit", PastDeadline: true}
	assert.True(t, errors.Is(de, context.DeadlineExceeded))
	assert.Equal(t, time.Second, de.RetryAfter())
	assert.Equal(t, "60/1m0s", Window{N: 60, Per: time.Minute}.String())
	assert.Equal(t, "a: got string, want int (x) [control field]", DecodeIssue{Path: "a", Got: "string", Want: "int", Detail: "x", Control: true}.String())
}
