package creatoraudittest

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/internal/fake"
)

// The store: every record by id, each kind in creation order, the kept
// list answers (fake.Views) and the totals the overview and the
// leaderboard read, all kept up to date as records change, so that no
// request scans every record.

// liveList is a kind of record in creation order, deleted ones marked and
// dropped once they are half the list (the scans that must follow
// creation order, and the builds of list answers, skip them).
type liveList[T any] struct {
	items  []T
	dead   int
	isDead func(T) bool
}

func (l *liveList[T]) add(x T) { l.items = append(l.items, x) }

// kill counts one more deleted record.
func (l *liveList[T]) kill() {
	l.dead++
	if l.dead > 32 && 2*l.dead > len(l.items) {
		kept := l.items[:0]
		for _, x := range l.items {
			if !l.isDead(x) {
				kept = append(kept, x)
			}
		}
		clear(l.items[len(kept):])
		l.items, l.dead = kept, 0
	}
}

func (l *liveList[T]) len() int { return len(l.items) - l.dead }

// all yields the live records in creation order.
func (l *liveList[T]) all(yield func(T) bool) {
	for _, x := range l.items {
		if !l.isDead(x) && !yield(x) {
			return
		}
	}
}

// texts index what search compares (lower-cased usernames, names and
// captions), built on the first search that can use it.
type texts struct {
	accounts        fake.TextIndex[*account]
	videos, avideos fake.TextIndex[*video]
	creators        fake.TextIndex[*creator]
}

// initStore makes the empty store. Callers need not hold s.mu (it runs
// before the server starts).
func (s *Server) initStore() {
	s.accounts.isDead = func(a *account) bool { return a.deleted }
	s.videos.isDead = func(v *video) bool { return v.deleted }
	s.avideos.isDead = func(v *video) bool { return v.deleted }
	s.creators.isDead = func(c *creator) bool { return c.deleted }
	s.accountByID, s.accountByName = map[string]*account{}, map[string]*account{}
	s.videoByID, s.videoByIdent, s.avideoByID = map[string]*video{}, map[string]*video{}, map[string]*video{}
	s.creatorByID = map[string]*creator{}
}

// nameKey identifies a tracked account: two usernames that are equal
// under Unicode case folding (strings.EqualFold) get the same key.
func nameKey(p creatoraudit.Platform, username string) string {
	var b strings.Builder
	b.WriteString(string(p))
	b.WriteByte('|')
	for _, r := range username { // an invalid byte reads as RuneError, as in EqualFold
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// foldRune is the smallest rune of r's case-folding orbit (for ASCII
// letters, the upper case one: K, k and the Kelvin sign all give K).
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'a' <= r && r <= 'z' {
			r -= 'a' - 'A'
		}
		return r
	}
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	return least
}

// begin locks the store, reads the clock and brings the scrapes that
// have come by now into the store. Every handler that reads the store
// starts with it; the caller unlocks s.mu.
func (s *Server) begin() time.Time {
	s.mu.Lock()
	now := time.Now()
	s.promote(now)
	return now
}

// promote marks the accounts whose first scrape has come as scraped: they
// count in the totals and their account videos are discovered. Callers
// hold s.mu.
func (s *Server) promote(now time.Time) {
	for _, a := range s.scraping.Pop(now) {
		if a.deleted || a.scraped {
			continue
		}
		s.changeAccount(a, func() { a.scraped = true })
		if a.unavailable {
			continue
		}
		for _, v := range a.videos {
			v.visible = true
			s.avideoQ.Add(v)
			s.org.visibleAV++
		}
	}
}

// changeAccount takes a out of everything derived from it (the kept
// lists, its creator's accounts and totals, the overview's totals), runs
// change, and puts it back. Callers hold s.mu.
func (s *Server) changeAccount(a *account, change func()) {
	s.accountQ.Remove(a)
	s.count(a, -1)
	change()
	s.count(a, 1)
	s.accountQ.Add(a)
}

// count adds a to (sign 1) or takes it out of (-1) its creator and the
// overview's totals. Callers hold s.mu.
func (s *Server) count(a *account, sign int64) {
	if c := s.creatorByID[a.creatorID]; c != nil {
		if sign > 0 {
			c.accounts[a] = struct{}{}
		} else {
			delete(c.accounts, a)
		}
		if a.counted() {
			s.leaderQ.Change(c, func() { c.totals.add(a, sign) })
		}
	}
	if a.counted() {
		s.org.add(a, sign)
	}
}

// dropAccount stops tracking a and its account videos. Callers hold
// s.mu.
func (s *Server) dropAccount(a *account) {
	for _, v := range a.videos {
		if v.visible {
			s.avideoQ.Remove(v)
			s.org.visibleAV--
		}
		v.deleted = true
		delete(s.avideoByID, v.id)
		s.avideos.kill()
	}
	s.accountQ.Remove(a)
	s.count(a, -1)
	a.deleted = true
	delete(s.accountByID, a.id)
	delete(s.accountByName, nameKey(a.platform, a.username))
	s.accounts.kill()
}

// textIndex returns the search indexes, building them on first use.
// Callers hold s.mu.
func (s *Server) textIndex() *texts {
	if s.text == nil {
		t := &texts{}
		s.accounts.all(func(a *account) bool { t.accounts.Add(a, a.lowerName); return true })
		s.videos.all(func(v *video) bool { t.videos.Add(v, v.lowerCaption); return true })
		s.avideos.all(func(v *video) bool { t.avideos.Add(v, v.lowerCaption); return true })
		s.creators.all(func(c *creator) bool { t.creators.Add(c, c.lowerName); return true })
		s.text = t
	}
	return s.text
}
