package hypeauditortest

import (
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
)

// account is one social account the fake knows. Accounts are made up on
// first sight from the username (deterministically), except the seeded
// ones from the documentation's samples.
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
// Callers need not hold s.mu (it runs before the server starts).
func (s *Server) seedAccounts() {
	for _, a := range []*account{
		{network: hypeauditor.Instagram, username: "nasa", id: "528817151", title: "NASA", creator: "nasa", subscribers: 96809672, er: 0.734377,
			avatar: "https://cdn.hypeauditor.com/img/instagram/user/528817151.jpg?w=150&till=1740787140&sign=2b06782dfbe96d267bfd26c08d37dbfa"},
		{network: hypeauditor.Twitter, username: "nasa", id: "11348282", title: "NASA", creator: "nasa", subscribers: 84756058, er: 0,
			avatar: "https://pbs.twimg.com/profile_images/1321163587679784960/0ZxKlEKB_400x400.jpg"},
		{network: hypeauditor.YouTube, username: "nasa", id: "UCLA_DiR1FfKNvjuUpBHmylQ", title: "NASA", creator: "nasa", subscribers: 12244637, er: 2.72,
			avatar: "https://yt3.googleusercontent.com/eIf5fNPcIcj9ig-wZBeq4stFy1lgjWTW1nLT5dYlFkHZprZ03QBiMcbpwNMB6XSBjrSFGtAGQg=s900-c-k-c0x00ffffff-no-rj"},
		{network: hypeauditor.Instagram, username: "nasaartemis", id: "1104426670", title: "NASA Artemis", creator: "nasa", subscribers: 2837372, er: 0.440513,
			avatar: "https://cdn.hypeauditor.com/img/instagram/user/1104426670.jpg?w=150&till=1740787140&sign=1bacdcc74cbb3c40921e72b00f6b26dd"},
		{network: hypeauditor.YouTube, username: "nasagovvideo", id: "UC_aP7p621ATY_yAa8jMqUVA", title: "NASA Video", creator: "nasa", subscribers: 995500, er: 5.17,
			avatar: "https://yt3.googleusercontent.com/ytc/AIdro_mAavC7uPluTw_kro_ji26VOxzjsQ6FFnAdtaFi6mmJu8A=s900-c-k-c0x00ffffff-no-rj", state: hypeauditor.StateReadyLowConfidence},
		{network: hypeauditor.TikTok, username: "littlebig", id: "6557821753438371845", title: "littlebig", creator: "littlebig", subscribers: 4600000, er: 7.05,
			avatar: "https://cdn.hypeauditor.com/img/tiktok/user/6557821753438371845.jpg?w=150"},
	} {
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
	a := generate(n, username)
	s.add(a)
	return a
}

// byID returns a known account, or nil. Callers hold s.mu.
func (s *Server) byID(n hypeauditor.Platform, id string) *account {
	return s.accounts[idKey(n, id)]
}

// generate makes up an account from its username.
func generate(n hypeauditor.Platform, username string) *account {
	h := hash(string(n), strings.ToLower(username))
	a := &account{network: n, username: username, creator: strings.ToLower(username), title: strings.ToUpper(username[:1]) + username[1:]}
	switch n {
	case hypeauditor.Instagram:
		a.id = fmt.Sprint(100000000 + h%900000000)
	case hypeauditor.TikTok:
		a.id = fmt.Sprint(6000000000000000000 + h%1000000000000000000)
	case hypeauditor.YouTube:
		const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
		var b strings.Builder
		b.WriteString("UC")
		for i, x := 0, h; i < 22; i++ {
			b.WriteByte(alphabet[x%64])
			x = x/64 + uint64(i)*2654435761
		}
		a.id = b.String()
	case hypeauditor.Snapchat:
		a.id = strings.ToLower(username)
	default:
		a.id = fmt.Sprint(10000000 + h%90000000)
	}
	// 10k to 50M followers, log-uniform; er 0.5% to 8%.
	a.subscribers = math.Round(math.Pow(10, 4+float64(h%3700)/1000))
	a.er = math.Round((0.5+float64(h/3700%750)/100)*100) / 100
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
