package infludatatest

import (
	"fmt"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
)

// PublishAt adds n content pieces by a creator uploaded at the given
// time, whatever the fake already holds: content influData indexes late,
// after a pull has read the second it was uploaded in (an incremental sync
// must still see it). It returns their _ids, in the order added (the
// later added comes first among pieces of the same upload time).
func (s *Server) PublishAt(platform infludata.Platform, username string, uploaded time.Time, n int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.creators[ckey(platform, username)]
	if c == nil {
		c = s.addCreator(Creator{Platform: platform, Username: username, Posts: -1}, time.Now())
	}
	p := &picker{seed: hash(fmt.Sprint("publishAt/", c.ID, s.nextSeq))}
	var ids []string
	for i := 0; i < n; i++ {
		s.nextSeq++
		it := s.newItem(c, s.nextSeq, uploaded, p)
		s.addItem(it)
		ids = append(ids, it.id)
	}
	return ids
}
