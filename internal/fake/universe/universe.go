// Package universe is the one made-up world of creators that the five
// fakes (engagechecktest, creatoraudittest, infludatatest,
// hypeauditortest, firstpartytest) draw their creator data from, so that
// they tell one story about a creator: @natgeo has about 280 million
// Instagram followers on every fake, each vendor showing them its own way.
//
// # What is shared
//
// Get returns the Creator behind any (platform, handle): a handle nobody
// pinned is made up from a hash of its name, the same on every run and in
// every fake. A creator has a person (name, home country and city,
// language, gender or brand, topics: the same for one handle on every
// platform) and an account on the platform: its id, creation date,
// followers as a function of the date (zero before the account existed),
// posts, following, engagement rate, average likes, comments and views,
// its audience (countries with a long tail, genders, age bands; each sums
// to 100) and audience-quality signals (shares of suspicious, mass and
// influencer followers, bot comments, growth anomalies) with the
// universe's quality score, a function of those signals.
//
// A few well-known handles (cristiano, natgeo, nasa, mrbeast, leomessi,
// adidas, nike, ...) and the creators of the vendors' documentation
// samples are pinned to roughly their public follower counts and the
// figures the samples show. These are approximations for a fake, not
// data: never read them as facts about those accounts.
//
// # Time
//
// The universe moves in whole days (UTC). Epoch is its "today" when a
// fake starts: a fake maps its clock onto the universe with a Clock, so
// that a fake reads the same figures on every run whatever the date, and
// one started inside a testing/synctest bubble (whose clock the fakes move
// to internal/fake.VirtualEpoch, the same instant) reads them at its own
// dates. Followers grow as a power of the account's age, so a figure "as
// of" any date is defined, consistent with every other, and zero before
// the account was created. Every generated account is at least a year old
// at Epoch.
//
// # Vendor views
//
// View gives a creator's figures as one vendor reports them; the vendors
// differ the way the real ones do, and in no other way:
//
//   - EngageCheck scrapes the public profile when the audit runs: figures
//     of that day, followers as Instagram displays them (exact below
//     10,000, else three significant digits, rounded down: 96.8M), ER to
//     two decimals. Its score is the AQS, the weighted mean of its five
//     signals (EngageCheckSignals).
//   - HypeAuditor: exact figures of the day the report is made. Its
//     scores: AQS (Instagram, TikTok), CQS (YouTube), marks of the ER.
//   - influData: exact figures of its last weekly refresh (each creator
//     on its own weekday, so up to six days old), ER to two decimals. Its
//     score is the profile score (InfluDataScore).
//   - CreatorAudit: exact figures as of its first scrape of the account,
//     and nothing before that scrape: no counts, no metric windows.
//     CreatorAudit gives no score.
//   - First Party (Ylytic): the platform's own figures when the insights
//     are processed, ER to two decimals; its score is the profile quality
//     score (FirstPartyScore).
//
// So two vendors' follower counts of one creator, read the same day,
// differ by at most Tolerance. Audiences are the same on every vendor,
// each rounding and cutting the list its own way.
package universe

import (
	"fmt"
	"hash/fnv"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Platforms a creator can have an account on.
const (
	Instagram = "instagram"
	TikTok    = "tiktok"
	YouTube   = "youtube"
	Twitter   = "twitter"
	Twitch    = "twitch"
	Facebook  = "facebook"
	Snapchat  = "snapchat"
)

const day = 24 * time.Hour

// Epoch is the universe's "today" when a fake starts (see Clock), the
// date the pinned figures are for. It is internal/fake.VirtualEpoch.
var Epoch = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// Tolerance bounds how far apart two vendors' follower counts of one
// universe creator are when read the same day: a week of growth (the
// monthly growth of every account is under 5%) plus display rounding.
const Tolerance = 0.02

// Day returns the start (UTC) of t's day: the universe moves in days.
func Day(t time.Time) time.Time { return t.UTC().Truncate(day) }

// Clock places a fake on the universe's calendar: the instant the fake
// started is Epoch, and the calendar runs with the fake's clock (a time
// scale shortens a vendor's jobs, not the calendar). The zero Clock
// takes the fake's time as it is.
type Clock struct{ start time.Time }

// NewClock returns the Clock of a fake started at start.
func NewClock(start time.Time) Clock { return Clock{start} }

// Date returns the universe date of the fake's instant t.
func (c Clock) Date(t time.Time) time.Time {
	if c.start.IsZero() {
		return t
	}
	return Epoch.Add(t.Sub(c.start))
}

// Time returns the fake's instant of the universe date d.
func (c Clock) Time(d time.Time) time.Time {
	if c.start.IsZero() {
		return d
	}
	return c.start.Add(d.Sub(Epoch))
}

// Share is one country, gender or age band and its percent.
type Share struct {
	Code string
	Pct  float64
}

// Audience is who follows an account. Countries are the largest 20,
// largest first (ISO 3166-1 alpha-2; Other is the rest); Genders are
// "male" then "female"; Ages are AgeBands in order. Each sums to 100.
type Audience struct {
	Countries []Share
	Genders   []Share
	Ages      []Share
}

// Other is the percent of the audience outside Countries.
func (a Audience) Other() float64 {
	sum := 0.0
	for _, s := range a.Countries {
		sum += s.Pct
	}
	return round(max(0, 100-sum), 2)
}

// AgeBands are the universe's age bands; vendors merge them as they need.
var AgeBands = []string{"13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"}

// Signals are an audience's quality signals, in percent of followers
// (BotComments: of comments).
type Signals struct {
	Suspicious  float64 // bots and bought followers
	Mass        float64 // mass followers (following more than 1,500)
	Influencers float64
	Real        float64 // 100 minus the three above
	BotComments float64
	Pods        bool // engagement pods detected
	Anomalies   int  // growth anomalies (bursts of followers) in the last year
}

// Creator is one account in the universe and the person behind it.
type Creator struct {
	Platform string
	Handle   string // lower case, without "@"
	ID       string // the platform's own id
	Name     string
	Country  string // ISO 3166-1 alpha-2 of the person
	City     string
	Language string // ISO 639-1
	Gender   string // "male" or "female"; "" for a brand
	Brand    bool
	Verified bool
	Topics   []string // influData's category slugs, the main one first
	Created  time.Time

	ER           float64 // engagement rate: (likes + comments) per post, percent of followers
	CommentShare float64 // comments' share of likes plus comments
	ViewRate     float64 // average views per post, per follower
	PostsPerDay  float64
	Following    int64

	Audience Audience
	Signals  Signals
	Quality  int // the universe's audience-quality score (0-100), from Signals and the ER

	followers float64 // at Epoch
	k         float64 // followers grow as age^k
	phase     int     // influData's refresh weekday
}

// Followers returns the account's followers on t's day: zero before the
// account existed.
func (c *Creator) Followers(t time.Time) int64 {
	d := Day(t)
	if d.Before(c.Created) {
		return 0
	}
	age, ageE := d.Sub(c.Created).Hours()/24+1, Epoch.Sub(c.Created).Hours()/24+1
	return int64(math.Round(c.followers * math.Pow(age/ageE, c.k)))
}

// Exists reports whether the account existed on t's day.
func (c *Creator) Exists(t time.Time) bool { return !Day(t).Before(c.Created) }

// Posts returns how many posts the account had published by t's day.
func (c *Creator) Posts(t time.Time) int64 {
	if !c.Exists(t) {
		return 0
	}
	return 1 + int64(c.PostsPerDay*Day(t).Sub(c.Created).Hours()/24+1e-6)
}

// Growth returns the followers' growth over the 30 days to t, percent.
func (c *Creator) Growth(t time.Time) float64 {
	now, then := c.Followers(t), c.Followers(t.Add(-30*day))
	if then == 0 {
		return 0
	}
	return round(float64(now-then)/float64(then)*100, 2)
}

// AvgLikes, AvgComments and AvgViews are a post's averages on t's day.
func (c *Creator) AvgLikes(t time.Time) int64 {
	return int64(math.Round(float64(c.Followers(t)) * c.ER / 100 * (1 - c.CommentShare)))
}

func (c *Creator) AvgComments(t time.Time) int64 {
	return int64(math.Round(float64(c.Followers(t)) * c.ER / 100 * c.CommentShare))
}

func (c *Creator) AvgViews(t time.Time) int64 {
	return int64(math.Round(float64(c.Followers(t)) * c.ViewRate))
}

// DailyViews is what the account's posts draw in views a day, on t's day.
func (c *Creator) DailyViews(t time.Time) int64 {
	return int64(math.Round(float64(c.AvgViews(t)) * max(c.PostsPerDay, 0.2)))
}

// Vendor names a vendor whose view View gives.
type Vendor string

// The vendors.
const (
	EngageCheck  Vendor = "engagecheck"
	CreatorAudit Vendor = "creatoraudit"
	InfluData    Vendor = "infludata"
	HypeAuditor  Vendor = "hypeauditor"
	FirstParty   Vendor = "firstparty"
)

// Figures are an account's numbers as one vendor reports them.
type Figures struct {
	AsOf        time.Time // the universe day the vendor read them (its last refresh)
	Exists      bool      // false: the account did not exist yet; every figure is zero
	Followers   int64
	Following   int64
	Posts       int64
	ER          float64 // percent
	AvgLikes    int64
	AvgComments int64
	AvgViews    int64
}

// Refresh returns the universe day whose figures vendor v shows when asked
// at universe time t (see the package documentation).
func (c *Creator) Refresh(v Vendor, t time.Time) time.Time {
	d := Day(t)
	if v == InfluData {
		n := int(math.Floor(d.Sub(Epoch).Hours() / 24))
		d = d.AddDate(0, 0, -(((n-c.phase)%7)+7)%7)
	}
	return d
}

// View returns the account as vendor v reports it when asked at universe
// time t: as of its last refresh, rounded its way.
func (c *Creator) View(v Vendor, t time.Time) Figures {
	at := c.Refresh(v, t)
	f := Figures{AsOf: at, Exists: c.Exists(at)}
	if !f.Exists {
		return f
	}
	f.Followers, f.Following, f.Posts, f.ER = c.Followers(at), c.Following, c.Posts(at), c.ER
	f.AvgLikes, f.AvgComments, f.AvgViews = c.AvgLikes(at), c.AvgComments(at), c.AvgViews(at)
	switch v {
	case EngageCheck:
		f.Followers, f.ER = displayCount(f.Followers), round(f.ER, 2)
	case InfluData, FirstParty:
		f.ER = round(f.ER, 2)
	}
	return f
}

// displayCount is a count as Instagram's profile page shows it: exact
// below 10,000, else three significant digits, rounded down.
func displayCount(n int64) int64 {
	if n < 10000 {
		return n
	}
	p := int64(1)
	for n/p >= 1000 {
		p *= 10
	}
	return n / p * p
}

// ERScore rates the engagement rate against what is usual for an account
// of its platform and size: 50 is usual, 90 four times as much, 10 a
// quarter.
func (c *Creator) ERScore() float64 {
	usual := usualER(c.Platform, c.followers)
	if c.ER <= 0 || usual <= 0 {
		return 50
	}
	return clamp(50+20*math.Log2(c.ER/usual), 0, 100)
}

// usualER is the median engagement rate (percent) at a follower count.
func usualER(platform string, followers float64) float64 {
	base := map[string]float64{Instagram: 25, TikTok: 60, YouTube: 30, Twitter: 4, Facebook: 8, Twitch: 20, Snapchat: 20}[platform]
	return base * math.Pow(max(followers, 100), -0.2)
}

// EngageCheckSignals are EngageCheck's five signal scores, in its
// report's order: engagement rate (25%), follower authenticity (25%),
// comment quality (20%), growth pattern (15%), username entropy (15%).
func (c *Creator) EngageCheckSignals() [5]int {
	s := c.Signals
	er := 0.6*c.ERScore() + 40
	if c.ER < 1 || c.ER > 10 { // outside EngageCheck's healthy band
		er -= 15
	}
	pods := 0.0
	if s.Pods {
		pods = 15
	}
	return [5]int{
		int(math.Round(clamp(er, 0, 100))),
		int(math.Round(clamp(100-2*s.Suspicious, 0, 100))),
		int(math.Round(clamp(100-2*s.BotComments-pods, 0, 100))),
		int(math.Round(clamp(95-25*float64(s.Anomalies), 0, 100))),
		int(math.Round(clamp(100-2.5*s.Mass, 0, 100))),
	}
}

// EngageCheckAQS is EngageCheck's audience quality score: its signals'
// weighted mean.
func (c *Creator) EngageCheckAQS() int {
	s := c.EngageCheckSignals()
	return int(math.Round((25*float64(s[0]) + 25*float64(s[1]) + 20*float64(s[2]) + 15*float64(s[3]) + 15*float64(s[4])) / 100))
}

// HypeAuditorAQS is HypeAuditor's Audience Quality Score: mostly the
// real audience's share, then the engagement.
func (c *Creator) HypeAuditorAQS() int {
	return int(math.Round(clamp(0.8*c.Signals.Real+0.25*c.ERScore()-2, 1, 100)))
}

// HypeAuditorCQS is HypeAuditor's Channel Quality Score (YouTube).
func (c *Creator) HypeAuditorCQS() int {
	return int(math.Round(clamp(0.6*float64(c.Quality)+0.4*c.ERScore(), 1, 100)))
}

// ERMark is HypeAuditor's mark of the engagement rate against similar
// accounts: "excellent", "good", "average" or "poor".
func (c *Creator) ERMark() string {
	switch s := c.ERScore(); {
	case s >= 70:
		return "excellent"
	case s >= 55:
		return "good"
	case s >= 35:
		return "average"
	}
	return "poor"
}

// InfluDataScore is influData's profile score (0-100, one decimal):
// quality, engagement and reach.
func (c *Creator) InfluDataScore() float64 {
	reach := clamp(15*math.Log10(max(c.followers, 1))-15, 0, 100)
	return round(clamp(0.6*float64(c.Quality)+0.25*c.ERScore()+0.15*reach, 0, 100), 1)
}

// FirstPartyScore is Ylytic's profile quality score (0-100): quality,
// engagement and posting consistency.
func (c *Creator) FirstPartyScore() int {
	consistency := clamp(c.PostsPerDay*7*15, 0, 100)
	return int(math.Round(clamp(0.5*float64(c.Quality)+0.3*c.ERScore()+0.2*consistency, 0, 100)))
}

// CountryName returns a country's English name ("" for a code the
// universe does not use).
func CountryName(code string) string {
	for _, c := range countries {
		if c.code == code {
			return c.name
		}
	}
	return ""
}

// Get returns the creator behind handle on platform (a handle is taken in
// lower case, without "@" and spaces around it).
func Get(platform, handle string) *Creator {
	handle = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(handle), "@"))
	platform = strings.ToLower(platform)
	p := pins[handle]
	pr := newRNG("person", handle)
	ar := newRNG("account", platform, handle)
	c := &Creator{Platform: platform, Handle: handle}

	// The person: every draw is made, pinned or not, so the draws after
	// a pinned value do not move.
	home := pickHome(pr)
	c.Country, c.Language = home.code, home.lang
	c.City = home.cities[pr.intn(len(home.cities))]
	c.Brand = pr.float() < 0.1
	c.Gender = []string{"male", "female"}[pr.intn(2)]
	c.Topics = []string{pickTopic(pr)}
	if t := pickTopic(pr); pr.float() < 0.6 && t != c.Topics[0] {
		c.Topics = append(c.Topics, t)
	}
	reach := 2000 * math.Pow(5000, math.Pow(pr.float(), 1.6)) // 2k to 10M followers, most small
	global := false
	c.Name = nameOf(handle)
	if m := roster.FindStringSubmatch(handle); m != nil {
		if n, _ := strconv.Atoi(m[1]); n%4 == 0 { // influData's documented German fitness search
			c.Country, c.Language, c.City = "DE", "de", germanCities[n/4%len(germanCities)]
			c.Topics = []string{"fitness", c.Topics[0]}
			if c.Topics[1] == "fitness" {
				c.Topics = c.Topics[:1]
			}
		}
	}
	if p != nil {
		c.Name, c.Country, c.City, c.Language, c.Gender, c.Topics = p.name, p.country, p.city, p.lang, p.gender, p.topics
		c.Brand, global = p.gender == "", p.global
		reach = 0 // the person's other accounts scale from the largest pinned one
		for _, a := range p.accounts {
			reach = max(reach, a.followers)
		}
	}
	if c.Brand {
		c.Gender = ""
	}

	// The account.
	pf := platformOf(platform)
	c.ID = pf.id(ar, handle)
	age := ar.between(365, 12*365)
	created := Day(Epoch.Add(-time.Duration(age) * day))
	if earliest := pf.launched.AddDate(0, 1, 0); created.Before(earliest) {
		created = earliest
	}
	c.Created = created
	c.followers = max(1000, math.Round(reach*ar.logBetween(pf.lo, pf.hi)))
	monthly := ar.between(0.003, 0.04)
	c.ER = round(usualER(platform, c.followers)*ar.logBetween(0.4, 2.5), 4)
	c.CommentShare = round(ar.between(0.01, 0.05), 3)
	views := ar.between(pf.views[0], pf.views[1])
	c.PostsPerDay = round(ar.between(pf.posts[0], pf.posts[1]), 2)
	c.Following = int64(ar.logBetween(80, 3000))
	if c.Brand {
		c.Following = int64(ar.logBetween(20, 600))
	}
	c.phase = ar.intn(7)
	known := false
	if p != nil {
		if a, ok := p.accounts[platform]; ok {
			known = true
			c.followers, monthly = a.followers, a.growth
			c.Created = Day(must(time.Parse(time.DateOnly, a.created)))
			if a.id != "" {
				c.ID = a.id
			}
			if a.er > 0 {
				c.ER = a.er
			}
			if a.posts > 0 {
				c.PostsPerDay = float64(a.posts-1) / (Epoch.Sub(c.Created).Hours() / 24)
			}
			if a.following > 0 {
				c.Following = a.following
			}
		}
	}
	// The larger the audience, the smaller the share that watches a post;
	// but a post is seen by at least a dozen times those who like it.
	c.ViewRate = round(max(views*clamp(math.Pow(c.followers/1e5, -0.15), 0.2, 1.5), c.ER/100*12), 4)
	ageDays := Epoch.Sub(c.Created).Hours() / 24
	c.k = clamp(monthly*ageDays/30, 0.05, 4)
	c.Verified = known || c.followers >= 1e6

	c.Signals = signals(ar, known)
	erAdj := (c.ERScore() - 50) / 10
	s := c.Signals
	c.Quality = int(math.Round(clamp(100-1.4*s.Suspicious-0.7*s.Mass-0.4*s.BotComments-8*float64(s.Anomalies)+erAdj, 0, 100)))
	c.Audience = audience(ar, c, global || c.followers >= 50e6)
	return c
}

// signals draws an audience's quality signals (known accounts: few
// suspicious followers).
func signals(r *rng, known bool) Signals {
	var s Signals
	s.Suspicious = 2 + 38*math.Pow(r.float(), 2.2)
	if known {
		s.Suspicious = 2 + 12*math.Pow(r.float(), 1.5)
	}
	s.Mass, s.Influencers = 3+17*r.float(), 1+7*r.float()
	s.Suspicious, s.Mass, s.Influencers = round(s.Suspicious, 2), round(s.Mass, 2), round(s.Influencers, 2)
	s.Real = round(100-s.Suspicious-s.Mass-s.Influencers, 2)
	s.BotComments = round(clamp(0.55*s.Suspicious+6*r.float(), 0, 60), 1)
	s.Pods = s.BotComments > 20
	if x := r.float(); s.Suspicious > 20 {
		s.Anomalies = 1 + int(x*3)
	}
	return s
}

// audience draws who follows c: its home country, then the countries
// speaking its language, then the world (weighted by each country's
// users); genders and ages by its gender, topics and platform.
func audience(r *rng, c *Creator, global bool) Audience {
	home, lang := r.between(0.3, 0.6), r.between(0.08, 0.2)
	if global {
		home, lang = r.between(0.06, 0.18), r.between(0.05, 0.15)
	}
	w := make([]float64, len(countries))
	var all, speakers float64
	for i, k := range countries {
		w[i] = k.users * r.between(0.4, 1.6)
		all += w[i]
		if k.lang == c.Language && k.code != c.Country {
			speakers += w[i]
		}
	}
	world := 1 - home - lang
	if speakers == 0 {
		world += lang
	}
	shares := make([]Share, len(countries))
	for i, k := range countries {
		p := world * w[i] / all
		if k.code == c.Country {
			p += home
		} else if k.lang == c.Language && speakers > 0 {
			p += lang * w[i] / speakers
		}
		shares[i] = Share{k.code, p * 100}
	}
	slices.SortStableFunc(shares, func(a, b Share) int { return -cmpFloat(a.Pct, b.Pct) })
	shares = shares[:20]
	for i := range shares {
		shares[i].Pct = round(shares[i].Pct, 2)
	}

	male := 50.0
	bias := 0.0
	for _, t := range c.Topics {
		bias += topicMale[t]
	}
	switch c.Gender {
	case "male":
		male = 62 + r.between(0, 20) + bias/2
	case "female":
		male = 18 + r.between(0, 22) + bias/2
	default:
		male = 50 + bias + r.between(-6, 6)
	}
	male = round(clamp(male, 5, 95), 1)

	shift := map[string]float64{TikTok: -0.6, Facebook: 1, Twitter: 0.3, YouTube: 0.1, Twitch: -0.4, Snapchat: -0.8}[c.Platform]
	for _, t := range c.Topics {
		shift += topicAge[t]
	}
	shift += r.between(-0.3, 0.3)
	base := []float64{6, 30, 32, 16, 9, 5, 2}
	ages := make([]Share, len(base))
	sum := 0.0
	for i, b := range base {
		ages[i] = Share{AgeBands[i], b * math.Exp(shift*float64(i-2)*0.45) * r.between(0.9, 1.1)}
		sum += ages[i].Pct
	}
	top, total := 0, 0.0
	for i := range ages {
		ages[i].Pct = max(0.1, round(ages[i].Pct/sum*100, 1))
		total += ages[i].Pct
		if ages[i].Pct > ages[top].Pct {
			top = i
		}
	}
	ages[top].Pct = round(ages[top].Pct+100-total, 1)
	return Audience{Countries: shares, Genders: []Share{{"male", male}, {"female", round(100-male, 1)}}, Ages: ages}
}

// topicMale shifts the male share of an audience by topic; topicAge
// shifts its ages (negative: younger).
var (
	topicMale = map[string]float64{"sports": 12, "gaming": 15, "automotive": 18, "tech": 12, "business": 6, "politics": 6,
		"fashion": -15, "beauty": -25, "family": -15, "lifestyle": -8, "food": -5, "diet": -8, "interior": -12}
	topicAge = map[string]float64{"gaming": -0.6, "comedy": -0.4, "music": -0.3, "beauty": -0.2, "fashion": -0.1, "education": 0.2,
		"business": 0.5, "politics": 0.8, "food": 0.3, "family": 0.4, "travel": 0.2, "tech": 0.2, "automotive": 0.3, "interior": 0.4}
)

// topics are influData's category slugs, the universe's vocabulary, each
// with how common it is among creators (fashion, lifestyle and beauty
// lead).
var topics = []struct {
	slug   string
	weight float64
}{
	{"fashion", 10}, {"fitness", 7}, {"beauty", 8}, {"sports", 5}, {"food", 6}, {"diet", 2}, {"veganism", 1}, {"travel", 6},
	{"books", 2}, {"interior", 2}, {"comedy", 5}, {"tech", 4}, {"art", 4}, {"lifestyle", 9}, {"education", 3}, {"family", 4},
	{"media", 4}, {"music", 5}, {"lgbtq", 1}, {"gaming", 4}, {"business", 3}, {"automotive", 2}, {"sustainability", 1},
	{"animals", 3}, {"charity", 1}, {"politics", 1},
}

func pickTopic(r *rng) string {
	total := 0.0
	for _, t := range topics {
		total += t.weight
	}
	x := r.float() * total
	for _, t := range topics {
		if x -= t.weight; x < 0 {
			return t.slug
		}
	}
	return topics[0].slug
}

// roster matches the generated creators the fakes list (influData's
// database, the vetting example): every fourth lives in Germany and
// posts on fitness, as influData's documented example search needs.
var roster = regexp.MustCompile(`^(?:ig|tt|yt|tw|fb|sc)_creator_(\d+)$`)

var germanCities = []string{"Berlin", "Munich", "Hamburg", "Cologne", "Frankfurt am Main", "Stuttgart", "Düsseldorf"}

type country struct {
	code, name, lang string
	users            float64 // weight in audiences: roughly its Instagram users, millions
	home             float64 // weight as a generated creator's home
	cities           []string
}

var countries = []country{
	{"US", "United States", "en", 170, 20, []string{"New York", "Los Angeles", "Chicago", "Miami", "Austin"}},
	{"IN", "India", "hi", 360, 8, []string{"Mumbai", "Delhi", "Bangalore"}},
	{"BR", "Brazil", "pt", 135, 8, []string{"São Paulo", "Rio de Janeiro", "Belo Horizonte"}},
	{"ID", "Indonesia", "id", 100, 5, []string{"Jakarta", "Surabaya", "Bandung"}},
	{"TR", "Turkey", "tr", 57, 3, []string{"Istanbul", "Ankara", "Izmir"}},
	{"JP", "Japan", "ja", 55, 2, []string{"Tokyo", "Osaka"}},
	{"MX", "Mexico", "es", 45, 4, []string{"Mexico City", "Guadalajara", "Monterrey"}},
	{"GB", "United Kingdom", "en", 33, 6, []string{"London", "Manchester", "Birmingham"}},
	{"DE", "Germany", "de", 30, 8, germanCities},
	{"FR", "France", "fr", 28, 5, []string{"Paris", "Lyon", "Marseille"}},
	{"IT", "Italy", "it", 27, 5, []string{"Rome", "Milan", "Naples"}},
	{"ES", "Spain", "es", 25, 5, []string{"Madrid", "Barcelona", "Valencia"}},
	{"AR", "Argentina", "es", 25, 3, []string{"Buenos Aires", "Rosario", "Córdoba"}},
	{"CO", "Colombia", "es", 20, 2, []string{"Bogotá", "Medellín"}},
	{"PH", "Philippines", "en", 20, 2, []string{"Manila", "Cebu"}},
	{"KR", "South Korea", "ko", 20, 2, []string{"Seoul", "Busan"}},
	{"RU", "Russia", "ru", 20, 1, []string{"Moscow", "Saint Petersburg"}},
	{"TH", "Thailand", "th", 19, 0, nil},
	{"CA", "Canada", "en", 18, 3, []string{"Toronto", "Vancouver", "Montreal"}},
	{"EG", "Egypt", "ar", 18, 0, nil},
	{"PK", "Pakistan", "ur", 17, 0, nil},
	{"SA", "Saudi Arabia", "ar", 15, 1, []string{"Riyadh", "Jeddah"}},
	{"MY", "Malaysia", "ms", 15, 0, nil},
	{"AU", "Australia", "en", 13, 2, []string{"Sydney", "Melbourne"}},
	{"NG", "Nigeria", "en", 12, 1, []string{"Lagos", "Abuja"}},
	{"VN", "Vietnam", "vi", 11, 0, nil},
	{"PL", "Poland", "pl", 10, 2, []string{"Warsaw", "Kraków"}},
	{"NL", "Netherlands", "nl", 9, 2, []string{"Amsterdam", "Rotterdam"}},
	{"CL", "Chile", "es", 9, 1, []string{"Santiago"}},
	{"PE", "Peru", "es", 9, 0, nil},
	{"AE", "United Arab Emirates", "ar", 6, 1, []string{"Dubai", "Abu Dhabi"}},
	{"PT", "Portugal", "pt", 6, 2, []string{"Lisbon", "Porto"}},
	{"ZA", "South Africa", "en", 6, 1, []string{"Johannesburg", "Cape Town"}},
	{"BE", "Belgium", "nl", 5, 0, nil},
	{"SE", "Sweden", "sv", 5, 1, []string{"Stockholm"}},
	{"CH", "Switzerland", "de", 4, 1, []string{"Zurich", "Geneva"}},
	{"AT", "Austria", "de", 3, 1, []string{"Vienna", "Graz"}},
}

func pickHome(r *rng) country {
	total := 0.0
	for _, c := range countries {
		total += c.home
	}
	x := r.float() * total
	for _, c := range countries {
		if x -= c.home; x < 0 && c.home > 0 {
			return c
		}
	}
	return countries[0]
}

// platform is what the universe knows of a platform: when it launched,
// its accounts' follower count beside the person's reach, views and posts
// a day, and its ids.
type platform struct {
	launched     time.Time
	lo, hi       float64
	views, posts [2]float64
	id           func(r *rng, handle string) string
}

func digits(lo, hi uint64) func(*rng, string) string {
	return func(r *rng, _ string) string { return strconv.FormatUint(lo+r.next()%(hi-lo), 10) }
}

func platformOf(name string) platform {
	date := func(s string) time.Time { return must(time.Parse(time.DateOnly, s)) }
	switch name {
	case TikTok:
		return platform{date("2017-08-02"), 0.1, 3, [2]float64{0.3, 2}, [2]float64{0.3, 3}, digits(6e18, 7.3e18)}
	case YouTube:
		return platform{date("2005-04-23"), 0.02, 0.5, [2]float64{0.05, 0.4}, [2]float64{0.05, 0.6}, func(r *rng, _ string) string {
			const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
			b := []byte("UC")
			for range 22 {
				b = append(b, alphabet[r.next()%64])
			}
			return string(b)
		}}
	case Twitter:
		return platform{date("2006-03-21"), 0.02, 0.4, [2]float64{0.02, 0.15}, [2]float64{1, 10}, digits(1e7, 1e9)}
	case Twitch:
		return platform{date("2011-06-06"), 0.01, 0.2, [2]float64{0.005, 0.05}, [2]float64{0.2, 1}, digits(1e7, 9e8)}
	case Facebook:
		return platform{date("2004-02-04"), 0.05, 0.6, [2]float64{0.02, 0.2}, [2]float64{0.2, 3}, digits(100000000000000, 100099999999999)}
	case Snapchat:
		return platform{date("2011-09-01"), 0.05, 0.5, [2]float64{0.1, 0.8}, [2]float64{0.5, 5}, func(_ *rng, h string) string { return h }}
	}
	return platform{date("2010-10-06"), 1, 1, [2]float64{0.08, 0.6}, [2]float64{0.15, 1.5}, digits(1e8, 6e10)}
}

// nameOf makes a display name from a handle: "ig_creator_001" is
// "Ig Creator 001".
func nameOf(handle string) string {
	words := strings.FieldsFunc(handle, func(r rune) bool { return r == '_' || r == '.' || r == '-' || r == ' ' })
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	if len(words) == 0 {
		return handle
	}
	return strings.Join(words, " ")
}

// rng draws deterministic numbers (splitmix64) from a hash of its parts.
type rng struct{ s uint64 }

func newRNG(parts ...string) *rng {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return &rng{h.Sum64()}
}

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (r *rng) float() float64                 { return float64(r.next()>>11) / (1 << 53) }
func (r *rng) between(lo, hi float64) float64 { return lo + (hi-lo)*r.float() }
func (r *rng) logBetween(lo, hi float64) float64 {
	return lo * math.Pow(hi/lo, r.float())
}
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}

func clamp(x, lo, hi float64) float64 { return min(hi, max(lo, x)) }

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprint("universe: ", err))
	}
	return v
}
