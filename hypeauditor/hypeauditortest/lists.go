package hypeauditortest

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/fake/universe"
)

// connections serves auditor.reportConnections: the creator's accounts
// on every network. id wins over username, as documented.
func (s *Server) connections(w http.ResponseWriter, r *http.Request) {
	n := hypeauditor.Platform(param(r, "type"))
	if !n.Valid() {
		s.invalid(w)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var a *account
	switch id, name := param(r, "id"), strings.TrimPrefix(param(r, "username"), "@"); {
	case id != "":
		a = s.byID(n, id)
	case name != "":
		if s.cfg.outcome(n, name).State != hypeauditor.StateChannelNotFound {
			a = s.byName(n, name)
		}
	default:
		s.invalid(w)
		return
	}
	if a == nil {
		s.notFound(w)
		return
	}
	now := time.Now()
	s.settleDue(now)
	list := []map[string]any{}
	for _, o := range s.family(a.creator) {
		list = append(list, map[string]any{"social_id": o.id, "username": o.username, "type": o.network, "title": o.title,
			"avatar_url": o.avatar, "subscribers_count": o.subscribers, "er": o.er, "state": s.connectionState(o, now)})
	}
	ok(w, http.StatusOK, list)
}

// connectionState is the state reportConnections shows for an account.
// Callers hold s.mu.
func (s *Server) connectionState(a *account, now time.Time) hypeauditor.ReportState {
	if rep := s.reports[string(a.network)+"/"+a.id]; rep != nil && now.Before(rep.ready) {
		return hypeauditor.StateNotReady
	}
	st := a.state
	if st == "" {
		st = s.cfg.outcome(a.network, a.username).State
	}
	switch st {
	case "", hypeauditor.StateReportCalculating:
		return hypeauditor.StateReady
	case hypeauditor.StateNoVideos, hypeauditor.StateNoViews, hypeauditor.StateNoPosts:
		return hypeauditor.StateLowViews
	}
	return st
}

// unlocked serves auditor.reportsUnlocked: charged reports that were not
// refunded, oldest first, filtered on time_pay.
func (s *Server) unlocked(w http.ResponseWriter, r *http.Request) {
	limit, offset := 100, 0
	if v := param(r, "limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > hypeauditor.MaxUnlockedLimit {
			s.invalid(w)
			return
		}
		limit = n
	}
	if v := param(r, "offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			s.invalid(w)
			return
		}
		offset = n
	}
	from, okFrom := parseDate(param(r, "date_from"))
	to, okTo := parseDate(param(r, "date_to"))
	if !okFrom || !okTo {
		s.invalid(w)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	s.settleDue(now)
	all := s.unlockedQ.Get(param(r, "date_from")+"|"+param(r, "date_to"), func() *fake.View[*report] {
		return fake.NewView(func(rep *report) bool {
			return !(rep.settled && rep.failure()) && (from.IsZero() || !rep.paid.Before(from)) && (to.IsZero() || !rep.paid.After(to))
		}, func(a, b *report) int { return cmp.Compare(a.seq, b.seq) }, slices.Values(s.order))
	})
	data := []map[string]any{}
	for i := offset; i < all.Len() && len(data) < limit; i++ {
		rep := all.At(i)
		row := map[string]any{"username": rep.acct.username, "id": rep.acct.id, "type": rep.network,
			"time_add": rep.paid.Unix(), "time_pay": rep.paid.Unix(), "completed": 0, "time_completed": nil}
		if !now.Before(rep.ready) {
			row["completed"], row["time_completed"] = 1, rep.ready.Unix()
		}
		data = append(data, row)
	}
	ok(w, http.StatusOK, map[string]any{"data": data, "total": all.Len()})
}

func parseDate(v string) (time.Time, bool) {
	if v == "" {
		return time.Time{}, true
	}
	for _, l := range []string{time.DateTime, time.DateOnly} {
		if t, err := time.ParseInLocation(l, v, time.UTC); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func (s *Server) planInfo(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleDue(time.Now())
	ok(w, http.StatusOK, map[string]any{"reports": map[string]any{"plan": "basic", "credits": s.credits},
		"discovery": map[string]any{"plan": "all", "requests": s.queries}})
}

// creatorsList serves auditor.creators with a numeric cursor (the index
// of the next creator).
func (s *Server) creatorsList(w http.ResponseWriter, r *http.Request) {
	limit, start := 25, 0
	if v := param(r, "limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > hypeauditor.MaxCreatorsLimit {
			s.invalid(w)
			return
		}
		limit = n
	}
	if v := param(r, "cursor"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			s.invalid(w)
			return
		}
		start = n
	}
	list := []map[string]any{}
	day := s.clock.Date(time.Now())
	for i := start; i < s.cfg.creators && len(list) < limit; i++ {
		name := fmt.Sprintf("creator%03d", i+1)
		a := generate(hypeauditor.Instagram, name, day)
		list = append(list, map[string]any{"id": 1000 + i, "first_name": "Creator", "last_name": fmt.Sprint(i + 1), "is_favorite": i%5 == 0,
			"language": []string{a.u.Language}, "country": map[string]any{"title": universe.CountryName(a.u.Country), "code": countryCode(a.u.Country)},
			"accounts": map[string]any{"instagram_" + name: map[string]any{"id": a.id, "username": name, "social_network": "instagram",
				"subscribers_count": a.subscribers, "is_report_unlocked": i%2 == 0}}})
	}
	var next any
	if start+len(list) < s.cfg.creators {
		next = start + len(list)
	}
	ok(w, http.StatusOK, map[string]any{"creators": list, "next_cursor": next})
}
