package engagecheck

import (
	"context"
	"net/http"
	"time"
)

// reconcileSlack widens the search window for clock differences and the
// API's one-second created_at resolution (a variable for tests).
var reconcileSlack = 5 * time.Second

// maxReconcilePages bounds the pages one reconciliation of Create,
// CreateBatch and CreateAndWaitAll reads; CreateAndWait's own loop reads
// up to maxDeepReconcilePages (a wait's budget is its context, and many
// audits created since the submit push its row deep).
const (
	maxReconcilePages     = 5
	maxDeepReconcilePages = 100
)

// reconciled is what the list says about a submit whose answer was lost.
type reconciled struct {
	// found are the handles' audits created since the submit.
	found map[string]AuditSummary
	// exhaustive is true when the walk reached rows older than the submit
	// (or the end of the list): a handle not found was not created.
	exhaustive bool
}

// reconcile looks for audits of the given handles that were created since
// a submit whose answer was lost. It reads the recent-audits list (free,
// newest first) and matches rows by handle whose created_at falls inside
// the window between the submit and now, measured on the server's clock
// (its Date header) so client clock skew does not matter.
func (s *AuditsService) reconcile(ctx context.Context, names []string, sent time.Time) (reconciled, error) {
	return s.reconcilePages(ctx, names, sent, maxReconcilePages)
}

// reconcilePages is reconcile reading at most maxPages pages.
func (s *AuditsService) reconcilePages(ctx context.Context, names []string, sent time.Time, maxPages int) (reconciled, error) {
	const op = "Audits.reconcile"
	want := make(map[string]bool, len(names))
	for _, n := range names {
		want[n] = true
	}
	found := map[string]AuditSummary{}
	blind := false
	for page := 0; page < maxPages; page++ {
		l, err := s.list(ctx, op, ListAuditsParams{Limit: MaxListLimit, Offset: page * MaxListLimit})
		if err != nil {
			return reconciled{}, err
		}
		// The time since the submit, measured when the page arrived: a
		// page that waited for the rate limiter must not move the window
		// past the submit (the audit it created would count as older).
		elapsed := time.Since(sent)
		serverNow := time.Now()
		if l.Response != nil {
			if d, err := http.ParseTime(l.Response.Header.Get("Date")); err == nil {
				serverNow = d
			}
		}
		since := serverNow.Add(-elapsed - reconcileSlack)
		older := false
		consider := func(row AuditSummary) {
			if row.CreatedAt.Before(since) {
				older = true
				return
			}
			if want[row.Username] {
				if prev, ok := found[row.Username]; !ok || row.ID > prev.ID {
					found[row.Username] = row
				}
			}
		}
		for _, row := range l.Data {
			consider(row)
		}
		// A row the page could not read is unknown, never absent: it may
		// be the audit the submit created. One whose id could be read is
		// asked for by id (free); without one, or when that read fails,
		// the list cannot prove that a handle was not created, and the
		// caller asks again on a later read.
		for _, sk := range l.skipped {
			if row, ok := s.rowByID(ctx, sk.row); ok {
				consider(row)
			} else {
				blind = true
			}
		}
		if len(found) == len(want) {
			return reconciled{found: found, exhaustive: true}, nil
		}
		if older || l.rows < MaxListLimit {
			return reconciled{found: found, exhaustive: !blind}, nil
		}
	}
	return reconciled{found: found}, nil
}

// rowByID reads by id the audit of a list row the page could not read,
// and returns it as a row; false when the row has no id or the read fails
// or still lacks what a row needs.
func (s *AuditsService) rowByID(ctx context.Context, row AuditSummary) (AuditSummary, bool) {
	if row.ID <= 0 {
		return row, false
	}
	a, err := s.Get(ctx, row.ID)
	if err != nil || a.Username == "" || a.CreatedAt == nil {
		return row, false
	}
	return AuditSummary{ID: a.ID, Username: a.Username, Status: a.Status, AQS: a.AQS, Verdict: a.Verdict,
		ErrorMessage: a.ErrorMessage, CreatedAt: a.CreatedAt, CompletedAt: a.CompletedAt}, true
}
