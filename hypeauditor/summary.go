package hypeauditor

import (
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/geo"
)

// Quality names Summary gives HypeAuditor's scores (Quality.Name).
const (
	// QualityAQS is the Audience Quality Score of Instagram and TikTok
	// reports.
	QualityAQS = "AQS"
	// QualityCQS is the Channel Quality Score of YouTube reports.
	QualityCQS = "CQS"
)

// summaryPeriods are the performance periods a metric without a value is
// read from, in order: HypeAuditor sends most YouTube metrics by period
// only.
var summaryPeriods = []string{"30d", "90d", "180d", "365d", "all"}

// figure returns a metric's value, else its value over the first period
// of summaryPeriods it sends; nil when it has neither.
func figure(m *Metric) *float64 {
	if m == nil {
		return nil
	}
	if m.Value != nil {
		return f64(m.Value)
	}
	for _, name := range summaryPeriods {
		if p := m.Performance[name]; p != nil && p.Value != nil {
			return f64(p.Value)
		}
	}
	return nil
}

func f64(v *Float) *float64 {
	if v == nil {
		return nil
	}
	x := float64(*v)
	return &x
}

// count rounds a count sent as a number to an integer.
func count(v *float64) *int64 {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return nil
	}
	n := int64(math.Round(*v))
	return &n
}

// quality returns the score as a Quality when it is on 0-100.
func quality(name string, score *Float, verdict string) *Quality {
	if score == nil || *score < 0 || *score > 100 {
		return nil
	}
	return &Quality{Name: name, Score: float64(*score), Verdict: verdict}
}

// countries turns HypeAuditor's country shares (Instagram {code, name,
// value}, TikTok {code, prc}, YouTube {title, prc}; lower case, the UK as
// "uk") into ISO 3166-1 alpha-2 shares, largest first.
func countries(list []AudienceShare) []Share {
	if len(list) == 0 {
		return nil
	}
	m := make(map[string]float64, len(list))
	for _, s := range list {
		key := s.Code
		if key == "" {
			key = s.Title
		}
		if iso, ok := geo.ISO2(key); ok {
			key = iso
		} else if s.Name != "" {
			key = s.Name
		}
		m[key] += s.Percent()
	}
	return tidy(geo.CountryShares(m))
}

// gender names a gender as the summary does: "male", "female" (Instagram's
// demography sends "M" and "F").
func gender(g string) string {
	switch g = strings.ToLower(strings.TrimSpace(g)); g {
	case "m":
		return "male"
	case "f":
		return "female"
	}
	return g
}

// ageGroup names an age range as the summary does: "18-24" (Instagram
// sends "age18-24").
func ageGroup(g string) string { return strings.TrimPrefix(strings.TrimSpace(g), "age") }

// ageGender splits audience_age_gender (TikTok, YouTube: percent of the
// whole audience per age bucket and gender) into genders and ages.
func ageGender(buckets map[string]GenderSplit) (genders, ages []Share) {
	if len(buckets) == 0 {
		return nil, nil
	}
	g := map[string]float64{}
	a := map[string]float64{}
	for _, bucket := range slices.Sorted(maps.Keys(buckets)) {
		split := buckets[bucket]
		var male, female float64
		if split.Male != nil {
			male = float64(*split.Male)
			g["male"] += male
		}
		if split.Female != nil {
			female = float64(*split.Female)
			g["female"] += female
		}
		if split.Male != nil || split.Female != nil {
			a[bucket] += male + female
		}
	}
	return shares(g, gender), shares(a, ageGroup)
}

// shares is geo.Shares, tidied.
func shares(m map[string]float64, key func(string) string) []Share {
	return tidy(geo.Shares(m, key))
}

// tidy rounds the float noise of summed shares away (42.53, not
// 42.529999999999994); nil when there are none.
func tidy(s []Share) []Share {
	if len(s) == 0 {
		return nil
	}
	for i := range s {
		s[i].Percent = math.Round(s[i].Percent*1e6) / 1e6
	}
	return s
}

// Summary returns the common creator summary of an Instagram report, the
// same shape as every creatorkit-go package's, so creators from several
// vendors merge into one table:
//
//   - Source "hypeauditor", Platform "instagram", Username, DisplayName
//     (full_name), Followers (followers_count);
//   - EngagementRate: er.value (else its 30-day performance), in percent
//     as HypeAuditor sends it;
//   - AvgLikes and AvgComments: avg_likes and avg_comments;
//   - Quality: the AQS (0-100) named QualityAQS, Verdict its aqs_name
//     ("Excellent");
//   - AudienceCountries: audience_geography.countries as ISO 3166-1
//     alpha-2 codes (HypeAuditor's "uk" is "GB"), in percent, largest
//     first;
//   - AudienceGenders from demography ("M", "F": "male", "female"), else
//     from demography_by_age; AudienceAges from demography_by_age, each
//     age group summed over the genders ("age18-24": "18-24").
//
// A report in the result.report shape decodes into Report and is read as
// NetworkReport.Summary reads its body. A figure the report lacks is nil
// or empty: a report that is not ready has only Source and Platform, and
// a READY_LOW_CONFIDENCE one has no audience breakdown (MissingBlocks
// says which blocks it lacks). Summary is safe on a nil report.
func (r *InstagramReport) Summary() Summary {
	s := Summary{Source: vendor, Platform: Instagram.String()}
	if r == nil {
		return s
	}
	u := r.User
	if u == nil {
		if r.Report != nil {
			fillFromBody(&s, r.Report)
		}
		return s
	}
	s.Username, s.DisplayName = u.Username, u.FullName
	if u.FollowersCount != nil {
		n := int64(*u.FollowersCount)
		s.Followers = &n
	}
	s.EngagementRate = figure(u.ER)
	s.AvgLikes, s.AvgComments = f64(u.AvgLikes), f64(u.AvgComments)
	s.Quality = quality(QualityAQS, u.AQS, u.AQSName)
	if u.AudienceGeography != nil {
		s.AudienceCountries = countries(u.AudienceGeography.Countries)
	}
	genders := map[string]float64{}
	for _, d := range u.Demography {
		if d.Value != nil {
			genders[d.Gender] += float64(*d.Value)
		}
	}
	ages := map[string]float64{}
	byAgeGenders := map[string]float64{}
	for _, d := range u.DemographyByAge {
		if d.Value != nil {
			byAgeGenders[d.Gender] += float64(*d.Value)
		}
		for _, g := range d.ByAgeGroup {
			if k := g.Key(); k != "" {
				ages[k] += g.Percent()
			}
		}
	}
	if len(genders) == 0 {
		genders = byAgeGenders
	}
	s.AudienceGenders = shares(genders, gender)
	s.AudienceAges = shares(ages, ageGroup)
	return s
}

// Summary returns the common creator summary of a TikTok report:
//
//   - Source "hypeauditor", Platform "tiktok", Username and DisplayName
//     (basic.username, basic.title);
//   - Followers: metrics.subscribers_count; EngagementRate: metrics.er,
//     in percent; AvgLikes: metrics.alikes_avg; AvgComments:
//     metrics.comments_avg (each its value, else its 30-day performance);
//   - Quality: the aqs feature (0-100) named QualityAQS, Verdict its mark
//     ("average");
//   - AudienceCountries: audience_geo's countries as ISO 3166-1 alpha-2
//     codes; AudienceGenders and AudienceAges from audience_age_gender
//     (each age bucket's male and female shares added up), in percent,
//     largest first.
//
// A figure the report lacks is nil or empty (a report that is not ready
// has only Source and Platform; a READY_LOW_CONFIDENCE one lacks the
// audience features: see MissingBlocks). Summary is safe on a nil report.
func (r *TikTokReport) Summary() Summary {
	s := Summary{Source: vendor, Platform: TikTok.String()}
	if r == nil || r.Report == nil {
		return s
	}
	b := r.Report
	basic(&s, b.Basic)
	m := b.Metrics
	s.Followers = count(figure(m.SubscribersCount))
	s.EngagementRate = figure(m.ER)
	s.AvgLikes, s.AvgComments = figure(m.AlikesAvg), figure(m.CommentsAvg)
	f := b.Features
	if f.AQS != nil && f.AQS.Data != nil {
		s.Quality = quality(QualityAQS, f.AQS.Data.Value, f.AQS.Data.Mark)
	}
	if f.AudienceGeo != nil && f.AudienceGeo.Data != nil {
		s.AudienceCountries = countries(f.AudienceGeo.Data.Countries)
	}
	if f.AudienceAgeGender != nil {
		s.AudienceGenders, s.AudienceAges = ageGender(f.AudienceAgeGender.Data)
	}
	return s
}

// Summary returns the common creator summary of a YouTube report:
//
//   - Source "hypeauditor", Platform "youtube", Username (basic.username,
//     the handle; the channel id when there is none) and DisplayName
//     (basic.title);
//   - Followers: metrics.subscribers_count; EngagementRate: metrics.er,
//     in percent; AvgLikes: metrics.alikes_avg; AvgComments:
//     metrics.comments_avg. HypeAuditor sends most YouTube metrics by
//     period only: each is its value when sent, else its 30-day
//     performance (else 90d, 180d, 365d, all), passed on as sent (the
//     published NASA sample has alikes_avg and comments_avg 0 over 30
//     days);
//   - Quality: the cqs feature (0-100) named QualityCQS, Verdict its
//     display_mark ("Average"), else its mark;
//   - AudienceCountries: audience_geo as ISO 3166-1 alpha-2 codes
//     (HypeAuditor's "uk" is "GB"); AudienceGenders and AudienceAges from
//     audience_age_gender, in percent, largest first.
//
// A figure the report lacks is nil or empty. Summary is safe on a nil
// report.
func (r *YouTubeReport) Summary() Summary {
	s := Summary{Source: vendor, Platform: YouTube.String()}
	if r == nil || r.Report == nil {
		return s
	}
	b := r.Report
	basic(&s, b.Basic)
	m := b.Metrics
	s.Followers = count(figure(m.SubscribersCount))
	s.EngagementRate = figure(m.ER)
	s.AvgLikes, s.AvgComments = figure(m.AlikesAvg), figure(m.CommentsAvg)
	f := b.Features
	if f.CQS != nil && f.CQS.Data != nil {
		s.Quality = quality(QualityCQS, f.CQS.Data.Value, f.CQS.Data.MarkOrDisplay())
	}
	if f.AudienceGeo != nil && f.AudienceGeo.Data != nil {
		s.AudienceCountries = countries(f.AudienceGeo.Data.Countries)
	}
	if f.AudienceAgeGender != nil {
		s.AudienceGenders, s.AudienceAges = ageGender(f.AudienceAgeGender.Data)
	}
	return s
}

// Summary returns the common creator summary of a Twitch, Twitter or
// Snapchat report, from what its body carries: basic.username and title,
// the subscribers_count, er, alikes_avg and comments_avg metrics (value,
// else 30-day performance), the aqs or cqs feature, audience_geo and
// audience_age_gender, as the other reports' Summary reads them. HypeAuditor
// documents these reports only in outline (Twitch sends no er), so most
// figures may be nil. Platform is the network asked for.
func (r *NetworkReport) Summary() Summary {
	s := Summary{Source: vendor}
	if r == nil {
		return s
	}
	s.Platform = r.Platform.String()
	if r.Report != nil {
		fillFromBody(&s, r.Report)
	}
	return s
}

func basic(s *Summary, b Basic) {
	s.Username, s.DisplayName = b.Username, b.Title
	if s.Username == "" {
		s.Username = string(b.ID)
	}
}

func fillFromBody(s *Summary, b *ReportBody) {
	basic(s, b.Basic)
	s.Followers = count(figure(b.Metric("subscribers_count")))
	s.EngagementRate = figure(b.Metric("er"))
	s.AvgLikes, s.AvgComments = figure(b.Metric("alikes_avg")), figure(b.Metric("comments_avg"))
	var aqs AQS
	var cqs CQS
	switch {
	case b.Feature("aqs", &aqs):
		s.Quality = quality(QualityAQS, aqs.Value, aqs.Mark)
	case b.Feature("cqs", &cqs):
		s.Quality = quality(QualityCQS, cqs.Value, cqs.MarkOrDisplay())
	}
	var g AudienceGeo
	if b.Feature("audience_geo", &g) {
		s.AudienceCountries = countries(g.Countries)
	}
	var ag map[string]GenderSplit
	if b.Feature("audience_age_gender", &ag) {
		s.AudienceGenders, s.AudienceAges = ageGender(ag)
	}
}
