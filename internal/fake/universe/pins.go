package universe

// pin is a handle whose person and some accounts are fixed: well-known
// accounts at roughly their public figures, and the creators of the
// vendors' documentation samples at the figures the samples show. These
// are approximations for a fake, not data. Whatever a pin leaves out
// (zero) is drawn like any other creator's.
type pin struct {
	name, country, city, lang string
	gender                    string // "" for a brand
	topics                    []string
	global                    bool // an audience spread over the world
	accounts                  map[string]pinnedAccount
}

type pinnedAccount struct {
	id        string
	followers float64 // at Epoch
	created   string  // YYYY-MM-DD
	growth    float64 // a month, as a fraction
	er        float64 // percent
	posts     int64   // at Epoch
	following int64
}

// Pinned returns the pinned handles, in no order: the creators whose
// figures every fake shows alike (the universe's tests draw on them).
func Pinned() []string {
	hs := make([]string, 0, len(pins))
	for h := range pins {
		hs = append(hs, h)
	}
	return hs
}

var pins = map[string]*pin{
	"cristiano": {"Cristiano Ronaldo", "PT", "Lisbon", "pt", "male", []string{"sports"}, true, map[string]pinnedAccount{
		Instagram: {id: "173560420", followers: 650e6, created: "2012-06-26", growth: 0.008, er: 1.1, posts: 3900, following: 620},
		YouTube:   {id: "UCtxD0x6AuNNqdXO9Wp5GHew", followers: 76e6, created: "2024-08-21", growth: 0.01, er: 2.4},
		TikTok:    {followers: 67e6, created: "2021-02-11", growth: 0.008, er: 3.5},
		Twitter:   {followers: 115e6, created: "2010-06-14", growth: 0.002, er: 0.3},
		Facebook:  {followers: 170e6, created: "2009-04-08", growth: 0.001, er: 0.4},
	}},
	"leomessi": {"Leo Messi", "AR", "Rosario", "es", "male", []string{"sports"}, true, map[string]pinnedAccount{
		Instagram: {id: "427553890", followers: 505e6, created: "2012-11-22", growth: 0.007, er: 1.4, posts: 1300},
		TikTok:    {followers: 30e6, created: "2022-10-03", growth: 0.01, er: 4.1},
		Facebook:  {followers: 115e6, created: "2009-02-10", growth: 0.001, er: 0.5},
	}},
	"natgeo": {"National Geographic", "US", "Washington", "en", "", []string{"travel", "animals", "education"}, true, map[string]pinnedAccount{
		Instagram: {followers: 280e6, created: "2012-04-10", growth: 0.002, er: 0.42, posts: 29000, following: 142},
		TikTok:    {followers: 10.5e6, created: "2019-06-20", growth: 0.006, er: 1.9},
		YouTube:   {id: "UCpVm7bg6pXKo1Pr6k5kxG9A", followers: 24e6, created: "2006-05-07", growth: 0.003, er: 1.1},
		Twitter:   {followers: 28e6, created: "2008-04-23", growth: 0.001, er: 0.05},
		Facebook:  {followers: 60e6, created: "2008-11-05", growth: 0.001, er: 0.3},
	}},
	"nasa": {"NASA", "US", "Washington", "en", "", []string{"education", "tech"}, true, map[string]pinnedAccount{
		Instagram: {id: "528817151", followers: 96809672, created: "2013-06-20", growth: 0.004, er: 0.734377, posts: 4400, following: 80},
		Twitter:   {id: "11348282", followers: 84756058, created: "2007-12-19", growth: 0.002, er: 0.04},
		YouTube:   {id: "UCLA_DiR1FfKNvjuUpBHmylQ", followers: 12244637, created: "2005-07-18", growth: 0.004, er: 2.72},
	}},
	"nasaartemis": {"NASA Artemis", "US", "Houston", "en", "", []string{"education", "tech"}, false, map[string]pinnedAccount{
		Instagram: {id: "1104426670", followers: 2837372, created: "2019-05-14", growth: 0.006, er: 0.440513},
	}},
	"nasagovvideo": {"NASA Video", "US", "Washington", "en", "", []string{"education", "tech"}, false, map[string]pinnedAccount{
		YouTube: {id: "UC_aP7p621ATY_yAa8jMqUVA", followers: 995500, created: "2009-01-27", growth: 0.004, er: 5.17},
	}},
	"mrbeast": {"MrBeast", "US", "Greenville", "en", "male", []string{"media", "comedy"}, true, map[string]pinnedAccount{
		YouTube:   {id: "UCX6OQ3DkcsbYNE6H8uQQuVA", followers: 400e6, created: "2012-02-20", growth: 0.015, er: 3.2, posts: 880},
		Instagram: {followers: 65e6, created: "2014-10-02", growth: 0.008, er: 2.6},
		TikTok:    {followers: 115e6, created: "2020-03-10", growth: 0.01, er: 5.2},
		Twitter:   {followers: 33e6, created: "2012-03-13", growth: 0.006, er: 0.6},
	}},
	"adidas": {"adidas", "DE", "Herzogenaurach", "de", "", []string{"sports", "fashion"}, true, map[string]pinnedAccount{
		Instagram: {id: "20269764", followers: 30e6, created: "2012-05-23", growth: 0.002, er: 0.4},
		TikTok:    {followers: 4.5e6, created: "2019-09-12", growth: 0.008, er: 1.6},
		YouTube:   {followers: 1.7e6, created: "2006-02-16", growth: 0.002, er: 0.6},
		Twitter:   {followers: 4e6, created: "2009-03-24", growth: 0.001, er: 0.05},
	}},
	"nike": {"Nike", "US", "Beaverton", "en", "", []string{"sports", "fashion"}, true, map[string]pinnedAccount{
		Instagram: {id: "13460080", followers: 300e6, created: "2011-12-14", growth: 0.002, er: 0.08},
		TikTok:    {followers: 7.5e6, created: "2019-11-01", growth: 0.006, er: 1.2},
	}},
	"selenagomez": {"Selena Gomez", "US", "Los Angeles", "en", "female", []string{"music", "beauty"}, true, map[string]pinnedAccount{
		Instagram: {followers: 420e6, created: "2011-11-01", growth: 0.004, er: 0.9},
		TikTok:    {followers: 62e6, created: "2020-01-15", growth: 0.005, er: 2.5},
	}},
	"khaby.lame": {"Khabane Lame", "IT", "Chivasso", "it", "male", []string{"comedy"}, true, map[string]pinnedAccount{
		TikTok:    {followers: 162e6, created: "2020-03-16", growth: 0.003, er: 1.6},
		Instagram: {followers: 80e6, created: "2020-04-01", growth: 0.003, er: 1.2},
	}},
	// The documentation samples' creators.
	"littlebig": {"littlebig", "RU", "Saint Petersburg", "ru", "", []string{"music"}, false, map[string]pinnedAccount{
		TikTok: {id: "6557821753438371845", followers: 4.6e6, created: "2018-05-03", growth: 0.004, er: 7.05},
	}},
	"a_poetic_storyteller": {"Ratnadeep Mahadev Shinde", "IN", "Mumbai", "mr", "male", []string{"books", "art"}, false, map[string]pinnedAccount{
		Instagram: {id: "44746813468", followers: 1257, created: "2021-03-18", growth: 0.01, er: 43.64, posts: 89, following: 1233},
	}},
	"example_user": {"Example User", "DE", "Berlin", "de", "female", []string{"fitness"}, false, map[string]pinnedAccount{
		Instagram: {followers: 125000, created: "2016-08-30", growth: 0.012, er: 4.2},
	}},
	"fashioninfluencer": {"Fashion Influencer", "DE", "Munich", "de", "female", []string{"fashion"}, false, map[string]pinnedAccount{
		Instagram: {followers: 45000, created: "2018-02-12", growth: 0.015, er: 6.1},
	}},
}
