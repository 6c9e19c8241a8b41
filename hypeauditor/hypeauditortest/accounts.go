package hypeauditortest

import (
	"fmt"
	"hash/fnv"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/internal/fake/universe"
)

// account is one social account the fake knows. Accounts are made up on
// first sight from the creator universe (internal/fake/universe, shared
// by every creatorkit fake), the seeded ones from the documentation's
// samples included.
type account struct {
	network     hypeauditor.Platform
	username    string
	id          string
	title       string
	creator     string // accounts of one creator share it
	subscribers float64
	er          float64
	avatar      string
	state       hypeauditor.ReportState // seeded state; "" derives it from the outcome rule
	u           *universe.Creator       // the creator universe's account behind it
	asOf        time.Time               // the universe day subscribers and er are of

	lowerName, lowerTitle string // what the suggester searches
}

func hash(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// seedAccounts loads the accounts of the documented samples: the
// reportConnections sample for nasa (seed 003) and TikTok's littlebig.
// Their figures are the creator universe's, which pins them to the
// samples'. Callers need not hold s.mu (it runs before the server starts).
func (s *Server) seedAccounts() {
	for _, x := range []struct {
		network           hypeauditor.Platform
		username, creator string
		avatar            string
		state             hypeauditor.ReportState
	}{
		{hypeauditor.Instagram, "nasa", "nasa", "https://cdn.hypeauditor.com/img/instagram/user/528817151.jpg?w=150&till=1740787140&sign=2b06782dfbe96d267bfd26c08d37dbfa", ""},
		{hypeauditor.Twitter, "nasa", "nasa", "https://pbs.twimg.com/profile_images/1321163587679784960/0ZxKlEKB_400x400.jpg", ""},
		{hypeauditor.YouTube, "nasa", "nasa", "https://yt3.googleusercontent.com/eIf5fNPcIcj9ig-wZBeq4stFy1lgjWTW1nLT5dYlFkHZprZ03QBiMcbpwNMB6XSBjrSFGtAGQg=s900-c-k-c0x00ffffff-no-rj", ""},
		{hypeauditor.Instagram, "nasaartemis", "nasa", "https://cdn.hypeauditor.com/img/instagram/user/1104426670.jpg?w=150&till=1740787140&sign=1bacdcc74cbb3c40921e72b00f6b26dd", ""},
		{hypeauditor.YouTube, "nasagovvideo", "nasa", "https://yt3.googleusercontent.com/ytc/AIdro_mAavC7uPluTw_kro_ji26VOxzjsQ6FFnAdtaFi6mmJu8A=s900-c-k-c0x00ffffff-no-rj", hypeauditor.StateReadyLowConfidence},
		{hypeauditor.TikTok, "littlebig", "littlebig", "https://cdn.hypeauditor.com/img/tiktok/user/6557821753438371845.jpg?w=150", ""},
	} {
		a := generate(x.network, x.username, universe.Epoch)
		a.creator, a.avatar, a.state = x.creator, x.avatar, x.state
		if x.network == hypeauditor.Twitter {
			a.er = 0 // as the sample has it
		}
		s.add(a)
	}
}

func nameKey(n hypeauditor.Platform, username string) string {
	return string(n) + "/" + strings.ToLower(username)
}

func idKey(n hypeauditor.Platform, id string) string { return string(n) + "/#" + id }

// add registers an account: by name and id, in its creator's family (in
// order), and in the suggester's text index. Callers hold s.mu.
func (s *Server) add(a *account) {
	s.accounts[nameKey(a.network, a.username)] = a
	s.accounts[idKey(a.network, a.id)] = a
	a.lowerName, a.lowerTitle = strings.ToLower(a.username), strings.ToLower(a.title)
	s.all = append(s.all, a)
	fam := s.families[a.creator]
	i := sort.Search(len(fam), func(i int) bool { return less(a, fam[i]) })
	s.families[a.creator] = slices.Insert(fam, i, a)
	s.text.Add(a, a.lowerName, a.lowerTitle)
}

// byName returns the account, making it up on first sight. Callers hold
// s.mu.
func (s *Server) byName(n hypeauditor.Platform, username string) *account {
	if a := s.accounts[nameKey(n, username)]; a != nil {
		return a
	}
	a := generate(n, username, s.clock.Date(time.Now()))
	s.add(a)
	return a
}

// byID returns a known account, or nil. Callers hold s.mu.
func (s *Server) byID(n hypeauditor.Platform, id string) *account {
	return s.accounts[idKey(n, id)]
}

// generate makes up an account from its username: the creator universe's
// account of that name on the network, as HypeAuditor has it on the
// universe date day (exact counts).
func generate(n hypeauditor.Platform, username string, day time.Time) *account {
	u := universe.Get(string(n), username)
	f := u.View(universe.HypeAuditor, day)
	a := &account{network: n, username: username, creator: strings.ToLower(username), title: u.Name, id: u.ID, u: u, asOf: f.AsOf,
		subscribers: float64(f.Followers), er: f.ER}
	if n == hypeauditor.Twitch || n == hypeauditor.Snapchat {
		a.er = 0
	}
	a.avatar = fmt.Sprintf("https://cdn.hypeauditor.com/img/%s/user/%s.jpg?w=150", n, a.id)
	return a
}

// family returns every account of the creator: the seeded ones, or for a
// made-up creator its Instagram, TikTok, YouTube and Twitter accounts.
// Callers hold s.mu.
func (s *Server) family(creator string) []*account {
	seeded := creator == "nasa" || creator == "littlebig"
	if !seeded {
		for _, n := range []hypeauditor.Platform{hypeauditor.Instagram, hypeauditor.TikTok, hypeauditor.YouTube, hypeauditor.Twitter} {
			s.byName(n, creator)
		}
	}
	return slices.Clone(s.families[creator])
}

// less orders the documentation's nasa sample as printed (nasa before
// nasaartemis before nasagovvideo) and everything else by name.
func less(a, b *account) bool {
	if a.username != b.username {
		return a.username < b.username
	}
	return a.network < b.network
}
