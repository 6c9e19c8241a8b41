package infludatatest

import (
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/internal/fake/universe"
)

// Creator is a creator the fake knows. Zero fields are filled from the
// creator universe that every creatorkit fake shares
// (internal/fake/universe): the account as influData has it at its last
// weekly refresh, the same on every run and the same creator the other
// vendors' fakes describe. Business and Verified are true when set or
// when the universe says so.
type Creator struct {
	Platform infludata.Platform
	Username string
	// UserID is the platform-native id; ID influData's _id (generated when
	// empty).
	UserID string
	ID     string

	DisplayName    string
	Followers      int64
	Country, City  string
	Language       string
	Gender         string // "m" or "w"
	Categories     []infludata.Category
	EngagementMean float64 // percent
	GrowthRate     float64 // percent a month
	ProfileScore   float64
	Business       bool
	Verified       bool

	// NotInDatabase: influData does not hold the creator yet. The first
	// getUserData (201), checkDataStatus or bulkAddToEnrich queues it; it
	// enters the database Delays.Enrich later.
	NotInDatabase bool
	// AudienceIn is how long (virtual) the audience analysis still runs
	// after the creator is in the database: getUserData with the report
	// answers 202 until then. 0 uses Delays.Audience for creators entering
	// the database later and "ready now" for those already in it; a
	// negative value means the analysis never finishes.
	AudienceIn time.Duration
	// Missing: the creator does not exist on the platform (getUserData
	// 404). Unknown usernames containing "notfound" are missing too.
	Missing bool
	// Posts is how many content pieces the fake generates for the
	// creator on Instagram, TikTok and YouTube (default 4; -1 for none).
	Posts int
}

// creator is a Creator and its life cycle.
type creator struct {
	Creator
	u          *universe.Creator // the universe's account behind it
	asOf       time.Time         // the universe day of influData's figures (its last weekly refresh)
	seq        int               // order of arrival: the last tie-break of discovery's sorts
	inDB       time.Time         // when it is (or will be) in the database; zero: not queued
	audienceAt time.Time         // when its audience data exists; zero: never
	weekly     bool
	listed     bool // in the database as of the last promote: discovery finds it
	replaced   bool // a later creator took its platform and username
}

func (c *creator) inDatabase(now time.Time) bool { return !c.inDB.IsZero() && !now.Before(c.inDB) }

func (c *creator) hasAudience(now time.Time) bool {
	return c.inDatabase(now) && !c.audienceAt.IsZero() && !now.Before(c.audienceAt)
}

// item is one content piece.
type item struct {
	seq       int
	id        string
	contentID string
	platform  infludata.Platform
	ctype     infludata.ContentType
	uploaded  time.Time
	reach     int64
	likes     int64
	comments  int64
	shares    int64
	saves     int64
	er, viral float64
	c         *creator
	captions  string
	hashtags  []string
	mentions  []string
}

func hash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// picker draws deterministic numbers from a seed.
type picker struct{ seed uint64 }

func (p *picker) n(lo, hi int64) int64 {
	v := lo + int64(p.seed%uint64(hi-lo+1))
	p.seed = p.seed*6364136223846793005 + 1442695040888963407
	return v
}

func hexID(s string) string { return fmt.Sprintf("%016x%08x", hash(s), uint32(hash(s+"#"))) }

// countries are the countries getCitiesForCountry knows.
var countries = []struct {
	name   string
	cities []string
}{
	{"Germany", []string{"Berlin", "Munich", "Hamburg", "Cologne", "Frankfurt am Main", "Stuttgart", "Düsseldorf"}},
	{"United States", []string{"New York", "Los Angeles", "Chicago", "Miami", "Austin"}},
	{"United Kingdom", []string{"London", "Manchester", "Birmingham"}},
	{"France", []string{"Paris", "Lyon", "Marseille"}},
	{"Spain", []string{"Madrid", "Barcelona", "Valencia"}},
	{"Italy", []string{"Rome", "Milan", "Naples"}},
	{"Portugal", []string{"Lisbon", "Porto"}},
	{"Argentina", []string{"Buenos Aires", "Rosario"}},
}

func citiesOf(country string) ([]string, bool) {
	for _, c := range countries {
		if c.name == country {
			return c.cities, true
		}
	}
	return nil, false
}

// fill completes a creator's zero fields from the creator universe, as
// influData has the account at its last weekly refresh before the
// universe date day.
func fill(c Creator, day time.Time) (Creator, *universe.Creator, time.Time) {
	name := strings.TrimPrefix(c.Username, "@")
	u := universe.Get(string(c.Platform), name)
	f := u.View(universe.InfluData, day)
	if c.ID == "" {
		c.ID = hexID(string(c.Platform) + "/" + strings.ToLower(name))
	}
	if c.UserID == "" {
		c.UserID = u.ID
	}
	if c.DisplayName == "" {
		c.DisplayName = u.Name
	}
	if c.Followers == 0 {
		c.Followers = f.Followers
	}
	if c.Country == "" {
		c.Country = universe.CountryName(u.Country)
	}
	if c.City == "" {
		c.City = u.City
	}
	if c.Language == "" {
		c.Language = u.Language
	}
	if c.Gender == "" {
		c.Gender = map[string]string{"male": "m", "female": "w"}[u.Gender]
	}
	if len(c.Categories) == 0 {
		for _, t := range u.Topics {
			c.Categories = append(c.Categories, infludata.Category(t))
		}
	}
	if c.EngagementMean == 0 {
		c.EngagementMean = f.ER
	}
	if c.GrowthRate == 0 {
		c.GrowthRate = u.Growth(f.AsOf)
	}
	if c.ProfileScore == 0 {
		c.ProfileScore = u.InfluDataScore()
	}
	c.Business = c.Business || u.Brand
	c.Verified = c.Verified || u.Verified
	if c.Posts == 0 {
		c.Posts = 4
	}
	if strings.Contains(strings.ToLower(name), "notfound") {
		c.Missing = true
	}
	return c, u, f.AsOf
}

func ckey(p infludata.Platform, username string) string {
	return string(p) + "|" + strings.ToLower(strings.TrimPrefix(strings.TrimSpace(username), "@"))
}

// contentBase is the upload time of the newest generated content piece
// (the documentation's example).
var contentBase = time.Date(2026, 5, 15, 10, 30, 0, 0, time.UTC)

// documented are the creators the documentation's examples name: their
// influData ids, the rest from the creator universe (which pins them).
var documented = []Creator{
	{Platform: infludata.Instagram, Username: "adidas", ID: "507f1f77bcf86cd799439011"},
	{Platform: infludata.Instagram, Username: "cristiano"},
	{Platform: infludata.Instagram, Username: "leomessi"},
	{Platform: infludata.YouTube, Username: "@MrBeast"},
	{Platform: infludata.Instagram, Username: "example_user", ID: "profile_id_123"},
	{Platform: infludata.Instagram, Username: "fashioninfluencer", Posts: -1},
}

var platformPrefix = map[infludata.Platform]string{infludata.Instagram: "ig", infludata.TikTok: "tt", infludata.YouTube: "yt",
	infludata.Twitch: "tw", infludata.Facebook: "fb", infludata.Snapchat: "sc"}

// generatedPerPlatform is how many generated creators each platform has
// (enough for five discovery pages, the last one short).
const generatedPerPlatform = 95

// seedData loads the documented and generated creators and their content.
func (s *Server) seedData() {
	for _, c := range documented {
		s.addCreator(c, s.start)
	}
	for _, pl := range infludata.Platforms() {
		for i := 1; i <= generatedPerPlatform; i++ {
			// Every fourth is a German fitness creator in the universe:
			// enough for the documentation's example search.
			s.addCreator(Creator{Platform: pl, Username: fmt.Sprintf("%s_creator_%03d", platformPrefix[pl], i)}, s.start)
		}
	}
	for _, c := range s.cfg.creators {
		s.addCreator(c, s.start)
	}
	// The documentation's content example.
	fi := s.creators[ckey(infludata.Instagram, "fashioninfluencer")]
	s.addItem(&item{id: "65abc123def456789", contentID: "IG_12345678901234567", platform: infludata.Instagram,
		ctype: infludata.ContentReel, uploaded: contentBase, reach: 125000, likes: 8500, comments: 342, er: 0.0745, viral: 1.23, c: fi,
		captions: "Check out this amazing outfit! #fashion", hashtags: []string{"fashion", "style"}, mentions: []string{"@brandname"}})
}

// AddCreator adds a creator while the fake runs (see Creator for its
// life cycle).
func (s *Server) AddCreator(c Creator) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addCreator(c, time.Now())
}

// addCreator registers a creator at now and generates its content.
// Callers hold s.mu (or are constructing the server).
func (s *Server) addCreator(c Creator, now time.Time) *creator {
	c, u, asOf := fill(c, s.clock.Date(now))
	s.creatorSeq++
	cr := &creator{Creator: c, u: u, asOf: asOf, seq: s.creatorSeq}
	if !c.NotInDatabase && !c.Missing {
		cr.inDB = now
		switch {
		case c.AudienceIn > 0:
			cr.audienceAt = now.Add(s.Scale(c.AudienceIn))
		case c.AudienceIn == 0:
			cr.audienceAt = now
		}
		s.entering.Add(cr.inDB, cr)
	}
	key := ckey(c.Platform, c.Username)
	if old := s.creators[key]; old != nil {
		s.unlist(old)
	}
	s.creators[key] = cr
	s.byUserID[string(c.Platform)+"|"+c.UserID] = cr
	s.byID[c.ID] = cr
	if c.Platform.HasContent() && c.Posts > 0 && !c.Missing {
		s.generateContent(cr, c.Posts, contentBase)
	}
	return cr
}

// queue puts a creator not in the database on the enrichment queue.
// Callers hold s.mu.
func (s *Server) queue(c *creator, now time.Time) {
	if !c.inDB.IsZero() || c.Missing {
		return
	}
	c.inDB = now.Add(s.Scale(s.cfg.delays.Enrich))
	s.entering.Add(c.inDB, c)
	switch {
	case c.AudienceIn > 0:
		c.audienceAt = c.inDB.Add(s.Scale(c.AudienceIn))
	case c.AudienceIn == 0:
		c.audienceAt = c.inDB.Add(s.Scale(s.cfg.delays.Audience))
	}
}

var captions = []string{"New drop is here", "Morning routine", "Behind the scenes", "Best of the week", "Trying something new", "Q&A time"}

// generateContent adds n pieces for c, the newest at or before newest.
// Callers hold s.mu.
func (s *Server) generateContent(c *creator, n int, newest time.Time) {
	p := &picker{seed: hash("content/" + c.ID)}
	for i := 0; i < n; i++ {
		s.nextSeq++
		seq := s.nextSeq
		up := newest.Add(-time.Duration(p.n(1, 60*24*30)) * time.Minute)
		s.addItem(s.newItem(c, seq, up, p))
	}
}

func (s *Server) newItem(c *creator, seq int, uploaded time.Time, p *picker) *item {
	types := map[infludata.Platform][]infludata.ContentType{infludata.Instagram: {infludata.ContentPost, infludata.ContentReel, infludata.ContentStory},
		infludata.TikTok: {infludata.ContentVideo}, infludata.YouTube: {infludata.ContentVideo, infludata.ContentShort}}[c.Platform]
	reach := c.Followers * p.n(5, 60) / 100
	likes := reach * p.n(2, 12) / 100
	comments := likes * p.n(1, 8) / 100
	tags := []string{string(c.Categories[0])}
	if len(c.Categories) > 1 {
		tags = append(tags, string(c.Categories[1]))
	}
	if p.n(0, 1) == 1 {
		tags = append(tags, "style")
	}
	prefix := strings.ToUpper(platformPrefix[c.Platform])
	er := 0.0
	if c.Followers > 0 {
		er = float64(likes+comments) / float64(c.Followers)
	}
	return &item{seq: seq, id: hexID(fmt.Sprintf("item/%s/%d", c.ID, seq)), contentID: fmt.Sprintf("%s_%017d", prefix, hash(fmt.Sprint(c.ID, seq))%1e17),
		platform: c.Platform, ctype: types[p.n(0, int64(len(types)-1))], uploaded: uploaded, reach: reach, likes: likes, comments: comments,
		shares: comments / 3, saves: likes / 20, er: float64(int(er*10000)) / 10000, viral: float64(p.n(50, 300)) / 100, c: c,
		captions: captions[p.n(0, int64(len(captions)-1))] + " #" + tags[0], hashtags: tags, mentions: []string{"@" + string(c.Categories[0]) + "brand"}}
}

// Publish adds n new content pieces by a creator, uploaded after every
// piece the fake holds (a minute apart), as new posts between two syncs.
// It returns their _ids, newest last.
func (s *Server) Publish(platform infludata.Platform, username string, n int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.creators[ckey(platform, username)]
	if c == nil {
		c = s.addCreator(Creator{Platform: platform, Username: username, Posts: -1}, time.Now())
	}
	newest := s.newestUpload
	p := &picker{seed: hash(fmt.Sprint("publish/", c.ID, s.nextSeq))}
	var ids []string
	for i := 1; i <= n; i++ {
		s.nextSeq++
		it := s.newItem(c, s.nextSeq, newest.Add(time.Duration(i)*time.Minute), p)
		s.addItem(it)
		ids = append(ids, it.id)
	}
	return ids
}

// addItem records a content piece (and passes it on to the kept
// getContent answers). Callers hold s.mu.
func (s *Server) addItem(it *item) {
	s.content = append(s.content, it)
	if it.uploaded.After(s.newestUpload) {
		s.newestUpload = it.uploaded
	}
	s.contentQ.Add(it)
}

// lookup finds a creator by one identifier; an unknown username becomes a
// creator influData does not hold yet. Callers hold s.mu.
func (s *Server) lookup(platform infludata.Platform, username, userID, id string, now time.Time) *creator {
	switch {
	case id != "":
		return s.byID[id]
	case userID != "":
		return s.byUserID[string(platform)+"|"+userID]
	}
	c := s.creators[ckey(platform, username)]
	if c == nil {
		c = s.addCreator(Creator{Platform: platform, Username: strings.TrimSpace(username), NotInDatabase: true, Posts: -1}, now)
	}
	return c
}

// promote lists the creators that are in the database by now, for
// discovery. Callers hold s.mu.
func (s *Server) promote(now time.Time) {
	for _, c := range s.entering.Pop(now) {
		if c.replaced || c.listed {
			continue
		}
		c.listed = true
		s.discoveryQ.Add(c)
	}
}

// unlist takes a creator a later one replaced out of discovery. Callers
// hold s.mu.
func (s *Server) unlist(c *creator) {
	if c.listed {
		s.discoveryQ.Remove(c)
		c.listed = false
	}
	c.replaced = true
}
