package hypeauditortest

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
)

// Routes of the Lists API.
const (
	RouteLists          = "auditor.lists"
	RouteList           = "auditor.list"
	RouteAddToList      = "auditor.addToList"
	RouteRemoveFromList = "auditor.removeFromList"
)

// The Lists API's answers are not published: the fake answers
// auditor.lists with {"lists": [{id, title, reports_count}]}, auditor.list
// with {"reports": [{report_id, id, username, title, type}], "total"},
// and addToList and removeFromList with {"list_id", "report_id"}
// [INFERRED]. An unknown list or report is 404 code 16.

// savedList is one list of the account.
type savedList struct {
	id      int
	title   string
	entries []listEntry
}

// listEntry is one report in a list.
type listEntry struct {
	reportID int
	acct     *account
}

// seedLists makes the account's two lists: an empty "Shortlist" (101)
// and "Space" (102) holding nasa's Instagram and YouTube reports. Callers
// need not hold s.mu (it runs before the server starts).
func (s *Server) seedLists() {
	s.x.lists = []*savedList{{id: 101, title: "Shortlist"}, {id: 102, title: "Space"}}
	for _, key := range []string{idKey(hypeauditor.Instagram, "528817151"), idKey(hypeauditor.YouTube, "UCLA_DiR1FfKNvjuUpBHmylQ")} {
		s.x.listSeq++
		s.x.lists[1].entries = append(s.x.lists[1].entries, listEntry{reportID: 5000 + s.x.listSeq, acct: s.accounts[key]})
	}
}

// listByID returns a list, or nil after answering 400 code 8 (a
// malformed id) or 404 code 16. Callers hold s.mu.
func (s *Server) listByID(w http.ResponseWriter, v string) *savedList {
	id, err := strconv.Atoi(v)
	if err != nil {
		s.invalid(w)
		return nil
	}
	for _, l := range s.x.lists {
		if l.id == id {
			return l
		}
	}
	s.notFound(w)
	return nil
}

func (s *Server) listsAll(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []map[string]any{}
	for _, l := range s.x.lists {
		out = append(out, map[string]any{"id": l.id, "title": l.title, "reports_count": len(l.entries)})
	}
	ok(w, http.StatusOK, map[string]any{"lists": out})
}

// listReports serves auditor.list: limit (default 25) and offset.
func (s *Server) listReports(w http.ResponseWriter, r *http.Request) {
	limit, offset := 25, 0
	for name, dst := range map[string]*int{"limit": &limit, "offset": &offset} {
		if v := param(r, name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || (name == "limit" && n == 0) {
				s.invalid(w)
				return
			}
			*dst = n
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.listByID(w, param(r, "id"))
	if l == nil {
		return
	}
	out := []map[string]any{}
	for i := offset; i < len(l.entries) && len(out) < limit; i++ {
		e := l.entries[i]
		out = append(out, map[string]any{"report_id": e.reportID, "id": e.acct.id, "username": e.acct.username, "title": e.acct.title, "type": e.acct.network})
	}
	ok(w, http.StatusOK, map[string]any{"reports": out, "total": len(l.entries)})
}

// addToList adds an account the fake knows by its id; adding one already
// in the list changes nothing.
func (s *Server) addToList(w http.ResponseWriter, r *http.Request) {
	n := hypeauditor.Platform(param(r, "type"))
	if !n.Valid() || param(r, "channel_id") == "" {
		s.invalid(w)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.listByID(w, param(r, "list_id"))
	if l == nil {
		return
	}
	a := s.byID(n, param(r, "channel_id"))
	if a == nil {
		s.notFound(w)
		return
	}
	i := slices.IndexFunc(l.entries, func(e listEntry) bool { return e.acct == a })
	if i < 0 {
		s.x.listSeq++
		l.entries = append(l.entries, listEntry{reportID: 5000 + s.x.listSeq, acct: a})
		i = len(l.entries) - 1
	}
	ok(w, http.StatusOK, map[string]any{"list_id": l.id, "report_id": l.entries[i].reportID})
}

// removeFromList removes a report; one not in the list is 404 code 16.
func (s *Server) removeFromList(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.listByID(w, param(r, "list_id"))
	if l == nil {
		return
	}
	id, err := strconv.Atoi(param(r, "report_id"))
	if err != nil {
		s.invalid(w)
		return
	}
	i := slices.IndexFunc(l.entries, func(e listEntry) bool { return e.reportID == id })
	if i < 0 {
		s.notFound(w)
		return
	}
	l.entries = slices.Delete(l.entries, i, i+1)
	ok(w, http.StatusOK, map[string]any{"list_id": l.id, "report_id": id})
}
