package engagecheck

import (
	"cmp"
	"net/http"
	"slices"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
)

// reuseRecent adopts the key's recent audits of the roster's handles
// (WithReuseRecent) before anything is submitted: it walks the free
// recent-audits list, newest first, back to the configured age, and keeps
// for each handle the newest audit that is pending or complete. A walk
// that fails (after the one wait policy's tries) ends early: the handles
// it did not reach are submitted. It reports false when the roster ended.
func (r *rosterRun) reuseRecent() bool {
	if r.cfg.reuse <= 0 || len(r.queue) == 0 {
		return true
	}
	want := make(map[string]bool, len(r.queue))
	for _, e := range r.queue {
		want[e.name] = true
	}
	found := map[string]AuditSummary{}
	fails := 0
walk:
	for page := 0; len(found) < len(want); {
		l, err := r.s.list(r.ctx, "Audits.List", ListAuditsParams{Limit: MaxListLimit, Offset: page * MaxListLimit})
		r.prog.Polls++
		switch {
		case err == nil:
		case r.ctx.Err() != nil || fatal(err):
			r.failAll(err)
			return false
		case poll.IsTransient(err) && fails < r.s.c.t.MaxRetries():
			r.transientFailure(err)
			fails++
			if poll.Sleep(r.ctx, r.backoff(fails)) != nil {
				r.failAll(err)
				return false
			}
			continue
		default:
			break walk
		}
		fails = 0
		now := time.Now()
		if d, err := http.ParseTime(l.Response.GetHeader("Date")); err == nil {
			now = d // EngageCheck's clock, like created_at
		}
		cutoff := now.Add(-r.cfg.reuse)
		for _, row := range l.Data {
			if row.CreatedAt.Before(cutoff) {
				break walk // newest first: the rest is older
			}
			if _, seen := found[row.Username]; want[row.Username] && !seen && row.Status != StatusError {
				found[row.Username] = row
			}
		}
		if l.rows < MaxListLimit {
			break
		}
		page++
	}
	r.adopt(found)
	r.report()
	return true
}

// adopt takes the found audits as the roster's own: a complete one is
// fetched, a pending one awaited. Pending audits are grouped into batches
// as EngageCheck ran them: consecutive ids created at the same second, at
// most 50 (a batch's audits get consecutive ids); a run of them is
// followed like a submitted batch, its pace measured from now on.
func (r *rosterRun) adopt(found map[string]AuditSummary) {
	if len(found) == 0 {
		return
	}
	var pending []*entry
	queue := r.queue[:0]
	for _, e := range r.queue {
		row, ok := found[e.name]
		if !ok {
			queue = append(queue, e)
			continue
		}
		e.id, e.status = row.ID, row.Status
		r.follow(e)
		if row.Status.Terminal() {
			e.row = &row
			r.ready = append(r.ready, e)
			continue
		}
		pending = append(pending, e)
	}
	r.queue = queue
	slices.SortFunc(pending, func(a, b *entry) int { return cmp.Compare(a.id, b.id) })
	now := time.Now()
	var b *batch
	for i, e := range pending {
		if b == nil || len(b.items) == MaxBatch || e.id != pending[i-1].id+1 || !found[e.name].CreatedAt.Equal(found[pending[i-1].name].CreatedAt.Time) {
			b = &batch{sent: now}
			r.batches = append(r.batches, b)
		}
		e.batch, e.pos = b, len(b.items)
		b.items = append(b.items, e)
	}
}
