package hypeauditor

import (
	"cmp"
	"slices"
)

// Summary is the headline of a report on any network: who, how many
// followers, the quality score (AQS on Instagram and TikTok, CQS on
// YouTube), the engagement rate, the audience split and the top
// countries. Fields the report lacks are nil or empty.
type Summary struct {
	Network  Network
	Username string
	Title    string
	State    ReportState
	// Followers is the follower or subscriber count.
	Followers *float64
	// ScoreName is "AQS" or "CQS"; Score is 0 to 100; ScoreMark is
	// HypeAuditor's word for it ("Excellent", "good").
	ScoreName string
	Score     *float64
	ScoreMark string
	// ER is the engagement rate in percent.
	ER *float64
	// AudienceType splits the audience (real, suspicious or bots,
	// influencers, mass followers).
	AudienceType *AudienceType
	// TopCountries are the audience's countries, largest first (at most
	// five).
	TopCountries []Share
	// MissingBlocks lists the demographic blocks a READY_LOW_CONFIDENCE
	// report lacks.
	MissingBlocks []string
}

const summaryCountries = 5

func f64(v *Float) *float64 {
	if v == nil {
		return nil
	}
	x := float64(*v)
	return &x
}

func metricValue(m *Metric) *float64 {
	if m == nil {
		return nil
	}
	return f64(m.Value)
}

func topShares(list []Share) []Share {
	out := slices.Clone(list)
	slices.SortStableFunc(out, func(a, b Share) int { return cmp.Compare(b.Percent(), a.Percent()) })
	return top(out, summaryCountries)
}

// Summary returns the report's headline.
func (r *InstagramReport) Summary() Summary {
	s := Summary{Network: NetworkInstagram, State: r.State, ScoreName: "AQS", MissingBlocks: r.MissingBlocks()}
	if u := r.User; u != nil {
		s.Username, s.Title = u.Username, u.FullName
		if u.FollowersCount != nil {
			x := float64(*u.FollowersCount)
			s.Followers = &x
		}
		s.Score, s.ScoreMark = f64(u.AQS), u.AQSName
		s.ER = metricValue(u.ER)
		s.AudienceType = u.AudienceType
		if u.AudienceGeography != nil {
			s.TopCountries = topShares(u.AudienceGeography.Countries)
		}
		return s
	}
	if b := r.Report; b != nil {
		fillFromBody(&s, b)
	}
	return s
}

// Summary returns the report's headline.
func (r *TikTokReport) Summary() Summary {
	s := Summary{Network: NetworkTikTok, State: r.State, ScoreName: "AQS", MissingBlocks: r.MissingBlocks()}
	b := r.Report
	if b == nil {
		return s
	}
	s.Username, s.Title = b.Basic.Username, b.Basic.Title
	s.Followers = metricValue(b.Metrics.SubscribersCount)
	s.ER = metricValue(b.Metrics.ER)
	f := b.Features
	if f.AQS != nil && f.AQS.Data != nil {
		s.Score, s.ScoreMark = f64(f.AQS.Data.Value), f.AQS.Data.Mark
	}
	if f.AudienceByType != nil {
		s.AudienceType = f.AudienceByType.Data
	}
	if f.AudienceGeo != nil && f.AudienceGeo.Data != nil {
		s.TopCountries = topShares(f.AudienceGeo.Data.Countries)
	}
	return s
}

// Summary returns the report's headline. YouTube reports have no audience
// type split.
func (r *YouTubeReport) Summary() Summary {
	s := Summary{Network: NetworkYouTube, State: r.State, ScoreName: "CQS", MissingBlocks: r.MissingBlocks()}
	b := r.Report
	if b == nil {
		return s
	}
	s.Username, s.Title = b.Basic.Username, b.Basic.Title
	s.Followers = metricValue(b.Metrics.SubscribersCount)
	s.ER = metricValue(b.Metrics.ER)
	f := b.Features
	if f.CQS != nil && f.CQS.Data != nil {
		s.Score, s.ScoreMark = f64(f.CQS.Data.Value), f.CQS.Data.MarkOrDisplay()
	}
	if f.AudienceGeo != nil && f.AudienceGeo.Data != nil {
		s.TopCountries = topShares(f.AudienceGeo.Data.Countries)
	}
	return s
}

// Summary returns the report's headline, from the metrics and features it
// carries (er, subscribers_count, aqs or cqs, audience_by_type,
// audience_geo) when present.
func (r *NetworkReport) Summary() Summary {
	s := Summary{Network: r.Network, State: r.State}
	if r.Report != nil {
		fillFromBody(&s, r.Report)
	}
	return s
}

func fillFromBody(s *Summary, b *ReportBody) {
	s.Username, s.Title = b.Basic.Username, b.Basic.Title
	s.Followers = metricValue(b.Metric("subscribers_count"))
	s.ER = metricValue(b.Metric("er"))
	var aqs AQS
	var cqs CQS
	switch {
	case b.Feature("aqs", &aqs):
		s.ScoreName, s.Score, s.ScoreMark = "AQS", f64(aqs.Value), aqs.Mark
	case b.Feature("cqs", &cqs):
		s.ScoreName, s.Score, s.ScoreMark = "CQS", f64(cqs.Value), cqs.MarkOrDisplay()
	}
	var at AudienceType
	if b.Feature("audience_by_type", &at) {
		s.AudienceType = &at
	}
	var geo AudienceGeo
	if b.Feature("audience_geo", &geo) {
		s.TopCountries = topShares(geo.Countries)
	}
}
