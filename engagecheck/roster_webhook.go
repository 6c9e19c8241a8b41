package engagecheck

import (
	"cmp"
	"slices"
	"strconv"
	"time"
)

// takeEvents answers the audits whose webhook arrived (WithWebhooks): the
// event carries the full report, or the failure.
func (r *rosterRun) takeEvents() {
	if r.in == nil {
		return
	}
	for _, a := range r.in.take() {
		e := r.byID[a.ev.ID]
		if e == nil || e.gone || r.book.Stopped() {
			continue
		}
		au := a.ev.audit(e.name)
		r.s.c.seen(au.ID, au.Status) // a failed audit was refunded
		r.unready(e)
		r.settle(e, later(a.at, r.floor(e)))
		e.status = au.Status
		r.answer(e, au, au.failure(e.name, handleItem(e.name)))
	}
}

// audit is the Audit an event reports: complete with its report, or
// failed with its error. It has Raw (the event's body) and no Response.
func (ev *WebhookEvent) audit(name string) *Audit {
	a := &Audit{ID: ev.ID, Username: ev.Username, AQS: ev.AQS, Verdict: ev.Verdict, Report: ev.Report,
		CreditsRemaining: ev.CreditsRemaining, PollURL: "/api/v1/audits/" + strconv.FormatInt(ev.ID, 10), Raw: ev.Raw}
	if a.Username == "" {
		a.Username = name
	}
	a.Status = StatusComplete
	if !ev.Succeeded() {
		msg := ev.Error
		a.Status, a.ErrorMessage = StatusError, &msg
	}
	return a
}

// checkOverdue looks up, in the free recent-audits list, every batch head
// whose webhook is overdue: one read of the list covers many, and it
// reads at most as many pages as there are heads to look up (never more
// than the GETs it may save). A head the list shows settled is fetched;
// one it shows running is looked up again later; one the pages did not
// reach (other jobs pushed it deeper) is read by id.
func (r *rosterRun) checkOverdue(now time.Time) {
	want := map[int64]*entry{}
	oldest := int64(0)
	for _, b := range r.batches {
		if h := b.head(); h != nil && !r.checkAt(h).After(now) && !b.settledAfter(h) {
			want[h.id] = h
			if oldest == 0 || h.id < oldest {
				oldest = h.id
			}
		}
	}
	pages := min(len(want), (len(r.byID)+MaxListLimit-1)/MaxListLimit+1)
	for page := 0; page < pages && len(want) > 0; page++ {
		sent := time.Now()
		// Named Audits.List (in errors, Usage and observers): the roster
		// itself is the one call named Audits.CreateAndWaitAll.
		l, err := r.s.list(r.ctx, "Audits.List", ListAuditsParams{Limit: MaxListLimit, Offset: page * MaxListLimit})
		r.prog.Polls++
		if err != nil {
			if r.ctx.Err() != nil {
				return
			}
			if fatal(err) {
				r.failAll(err)
				return
			}
			r.transientFailure(err)
			break // the reads by id below reach them instead
		}
		recv := time.Now()
		for _, row := range l.Data {
			e := want[row.ID]
			if e == nil {
				continue
			}
			delete(want, row.ID)
			e.status = row.Status
			if !row.Status.Terminal() {
				r.missed(e, sent)
				continue
			}
			e.row = &row
			r.settle(e, settledAt(row.CompletedAt, l.Response, recv, r.floor(e)))
			r.ready = append(r.ready, e)
		}
		if n := len(l.Data); l.rows < MaxListLimit || (n > 0 && l.Data[n-1].ID < oldest) {
			break
		}
	}
	rest := make([]*entry, 0, len(want))
	for _, e := range want {
		rest = append(rest, e)
	}
	slices.SortFunc(rest, func(a, b *entry) int { return cmp.Compare(a.id, b.id) })
	for _, e := range rest {
		if r.book.Stopped() || r.ctx.Err() != nil {
			return
		}
		r.read(e)
	}
	r.report()
}
