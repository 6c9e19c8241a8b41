package infludata

import (
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/geo"
)

// qualityName is the name Summary gives influData's score.
const qualityName = "profile score"

// Summary maps the profile onto the common creator summary, filling what
// influData gives:
//
//   - Source "infludata", Platform, Username (without "@"), DisplayName,
//     Followers;
//   - EngagementRate from EngagementMean, a percentage already (4.2 means
//     4.2 percent);
//   - Quality: influData's profile score, ProfileScore or else Score, under
//     the name "profile score", with no Verdict (influData gives no band).
//     influData documents neither field on this body nor the scale; the
//     value is passed on as sent when it lies within 0 to 100 and left out
//     (Quality nil) otherwise, never rescaled;
//   - AudienceCountries, AudienceGenders and AudienceAges from the
//     audience report's maps (percentages), largest first: countries as
//     ISO 3166-1 alpha-2 codes, buckets that are not a country ("Other")
//     left out; genders in lower case ("male", "female"); age bands as sent
//     ("18-24").
//
// AvgLikes and AvgComments stay nil: getUserData is not known to carry
// them. Everything else is nil or empty when the profile lacks it (no
// audience report without IncludeAudienceReport).
func (p *Profile) Summary() Summary {
	if p == nil {
		return Summary{Source: vendor}
	}
	s := Summary{Source: vendor, Platform: strings.ToLower(string(p.Platform)), Username: strings.TrimPrefix(p.Username, "@"),
		DisplayName: p.DisplayName}
	if p.Followers != nil {
		n := int64(*p.Followers)
		s.Followers = &n
	}
	if p.EngagementMean != nil {
		er := float64(*p.EngagementMean)
		s.EngagementRate = &er
	}
	score := p.ProfileScore
	if score == nil {
		score = p.Score
	}
	if score != nil && *score >= 0 && *score <= 100 {
		s.Quality = &Quality{Name: qualityName, Score: float64(*score)}
	}
	if a := p.AudienceReport; a != nil {
		s.AudienceCountries = geo.CountryShares(a.AudienceCountries)
		s.AudienceGenders = geo.Shares(a.AudienceGender, strings.ToLower)
		s.AudienceAges = geo.Shares(a.AudienceAge, strings.TrimSpace)
	}
	return s
}

// Summary maps a discovery result onto the common creator summary:
// Source "infludata", Platform, Username (without "@"), DisplayName,
// Followers and EngagementRate (EngagementMean, a percentage already).
// Discovery's Score is keyword relevance, not quality, so Quality stays
// nil, as do the averages and the audience (discovery does not return
// them); fetch the Profile with its audience report for those.
func (c DiscoveredCreator) Summary() Summary {
	s := Summary{Source: vendor, Platform: strings.ToLower(string(c.Platform)), Username: strings.TrimPrefix(c.Username, "@"),
		DisplayName: c.DisplayName}
	n := c.Followers
	s.Followers = &n
	if c.EngagementMean != nil {
		er := *c.EngagementMean
		s.EngagementRate = &er
	}
	return s
}
