package engagecheck_test

import (
	"errors"
	"testing"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The one wait policy (poll.Until, issue 18): a wait, a submit and every
// step of a roster outlast as many transient failures in a row as the
// client's retries (WithMaxRetries), and the next one ends them with the
// transport's error; with WithMaxRetries(0), the first one does. Each
// failed step is itself 1 + retries attempts, so a step that keeps
// failing costs (1 + retries)² requests.

// policyRetries are the retry counts each policy test runs with.
var policyRetries = []int{0, 2}

// policyClient is a client of the fast fake with WithMaxRetries(retries).
func policyClient(t *testing.T, retries int) (*engagechecktest.Server, *engagecheck.Client) {
	srv, _ := fastFake(t)
	c, err := srv.NewClient(engagecheck.WithMaxRetries(retries))
	require.NoError(t, err)
	return srv, c
}

func TestGetAndWaitEndsAfterToleratedFailuresInARow(t *testing.T) {
	vendortest.Retries(t, "retries=%d", policyRetries, func(t *testing.T, retries int) {
		srv, c := policyClient(t, retries)
		a, err := c.Audits.Create(testCtx(t), engagecheck.CreateAuditParams{Username: "natgeo"})
		require.NoError(t, err)
		srv.SetFaults(engagechecktest.Faults{Routes: []string{engagechecktest.RouteGet}, ErrorRate: map[int]float64{503: 1}})

		_, err = c.Audits.GetAndWait(testCtx(t), a.ID, srv.PollOptions()...)
		require.ErrorIs(t, err, engagecheck.ErrServer, "the transport's error")
		var te *engagecheck.TimeoutError
		assert.False(t, errors.As(err, &te), "not a timeout: the wait ended by itself")
		assert.Equal(t, (retries+1)*(retries+1), srv.Snapshot().Requests[engagechecktest.RouteGet],
			"%d checks of %d attempts", retries+1, retries+1)
	})
}

// A submit refused again and again with a 429 (nothing spent) ends
// CreateAndWait after the tolerated refusals in a row.
func TestCreateAndWaitEndsAfterToleratedRefusalsInARow(t *testing.T) {
	vendortest.Retries(t, "retries=%d", policyRetries, func(t *testing.T, retries int) {
		srv, c := policyClient(t, retries)
		srv.SetFaults(engagechecktest.Faults{Routes: []string{engagechecktest.RouteCreate}, ErrorRate: map[int]float64{429: 1}})

		_, err := c.Audits.CreateAndWait(testCtx(t), engagecheck.CreateAuditParams{Username: "natgeo"}, srv.PollOptions()...)
		require.ErrorIs(t, err, engagecheck.ErrRateLimited)
		assert.NotErrorIs(t, err, engagecheck.ErrOutcomeUnknown, "a 429 spent nothing")
		assert.Equal(t, (retries+1)*(retries+1), srv.Snapshot().Requests[engagechecktest.RouteCreate])
		assert.Zero(t, srv.AuditCount())
	})
}

// A submit whose answer is lost while the list is down: the lookups in the
// list are bounded the same way, then CreateAndWait says an audit may
// exist (ErrOutcomeUnknown) and never resends.
func TestCreateAndWaitLostSubmitLookupsAreBounded(t *testing.T) {
	vendortest.Retries(t, "retries=%d", policyRetries, func(t *testing.T, retries int) {
		srv, c := policyClient(t, retries)
		srv.SetFaults(engagechecktest.Faults{Routes: []string{engagechecktest.RouteCreate, engagechecktest.RouteList}, DropAfterRate: 1})

		_, err := c.Audits.CreateAndWait(testCtx(t), engagecheck.CreateAuditParams{Username: "natgeo"}, srv.PollOptions()...)
		require.ErrorIs(t, err, engagecheck.ErrOutcomeUnknown)
		snap := srv.Snapshot()
		assert.Equal(t, 1, snap.Requests[engagechecktest.RouteCreate], "never resent")
		assert.Equal(t, 1, srv.AuditCount())
		assert.Equal(t, (retries+1)*(retries+1), snap.Requests[engagechecktest.RouteList], "%d lookups of %d attempts", retries+1, retries+1)
	})
}

// The roster's free balance check is bounded like a wait: every handle
// is answered with the transport's error.
func TestCreateAndWaitAllCreditsCheckIsBounded(t *testing.T) {
	vendortest.Retries(t, "retries=%d", policyRetries, func(t *testing.T, retries int) {
		srv, c := policyClient(t, retries)
		srv.SetFaults(engagechecktest.Faults{Routes: []string{engagechecktest.RouteCredits}, ErrorRate: map[int]float64{503: 1}})
		n := 0
		for _, err := range c.Audits.CreateAndWaitAll(testCtx(t), handles(3), srv.PollOptions()...) {
			n++
			var ie *engagecheck.ItemError
			require.ErrorAs(t, err, &ie)
			assert.ErrorIs(t, err, engagecheck.ErrServer)
		}
		assert.Equal(t, 3, n)
		assert.Equal(t, (retries+1)*(retries+1), srv.Snapshot().Requests[engagechecktest.RouteCredits])
		assert.Zero(t, srv.AuditCount())
	})
}

// Reads of the roster's audits fail for good (the list and every GET):
// each batch head is answered after the tolerated failures in a row, the
// next audit of its batch becomes the head, and the roster ends by itself
// with every handle answered.
func TestCreateAndWaitAllReadsAreBounded(t *testing.T) {
	vendortest.Retries(t, "retries=%d", policyRetries, func(t *testing.T, retries int) {
		srv, c := policyClient(t, retries)
		srv.SetFaults(engagechecktest.Faults{Routes: []string{engagechecktest.RouteGet, engagechecktest.RouteList}, ErrorRate: map[int]float64{503: 1}})
		n := 0
		for ans, err := range c.Audits.CreateAndWaitAll(testCtx(t), handles(5), srv.PollOptions()...) {
			a := ans.Value
			n++
			var ie *engagecheck.ItemError
			require.ErrorAs(t, err, &ie)
			assert.ErrorIs(t, err, engagecheck.ErrServer)
			assert.NotEmpty(t, ie.ID, "submitted: its id is kept")
			assert.NotZero(t, a.ID)
		}
		assert.Equal(t, 5, n)
		assert.Equal(t, 5, srv.AuditCount(), "each handle submitted once")
		assert.Equal(t, 5*(retries+1)*(retries+1), srv.Snapshot().Requests[engagechecktest.RouteGet])
	})
}

// A batch whose answer is lost while the list is down: the lookups of the
// lost batch are bounded, then its handles are answered with
// ErrOutcomeUnknown; nothing is resent.
func TestCreateAndWaitAllLostBatchLookupsAreBounded(t *testing.T) {
	vendortest.Retries(t, "retries=%d", policyRetries, func(t *testing.T, retries int) {
		srv, c := policyClient(t, retries)
		srv.SetFaults(engagechecktest.Faults{Routes: []string{engagechecktest.RouteBatch, engagechecktest.RouteList}, DropAfterRate: 1})
		n := 0
		for _, err := range c.Audits.CreateAndWaitAll(testCtx(t), handles(4), srv.PollOptions()...) {
			n++
			var ie *engagecheck.ItemError
			require.ErrorAs(t, err, &ie)
			assert.ErrorIs(t, err, engagecheck.ErrOutcomeUnknown)
		}
		assert.Equal(t, 4, n)
		snap := srv.Snapshot()
		assert.Equal(t, 1, snap.Requests[engagechecktest.RouteBatch], "never resent")
		assert.Equal(t, (retries+1)*(retries+1), snap.Requests[engagechecktest.RouteList], "%d lookups of %d attempts", retries+1, retries+1)
	})
}
