package creatorkit

// Summary is the common creator summary: the same shape from every vendor
// package's creator-level result (its Summary method), so results of
// several vendors merge into one table. It takes the core of the
// aggregators' normalized creator profile (followers, engagement rate,
// average likes and comments, audience countries, genders and ages) plus
// the vendor's own audience-quality score under its own name, and the
// source. A nil pointer or an empty slice means the vendor did not say.
type Summary struct {
	// Source is the vendor package the summary came from ("hypeauditor").
	Source string
	// Platform is the network, lower case: "instagram", "tiktok",
	// "youtube", "twitch", "twitter", "snapchat".
	Platform string
	// Username is the handle (channel id or title where the network has
	// no handle).
	Username string
	// DisplayName is the creator's name as shown on the profile.
	DisplayName string
	// Followers (subscribers on YouTube).
	Followers *int64
	// EngagementRate is a percentage: 3.1 means 3.1 percent.
	EngagementRate *float64
	// AvgLikes and AvgComments are per post (video).
	AvgLikes    *float64
	AvgComments *float64
	// Quality is the vendor's audience-quality score.
	Quality *Quality
	// AudienceCountries are ISO 3166-1 alpha-2 codes ("GB", never "uk")
	// with the audience's share, largest first.
	AudienceCountries []Share
	// AudienceGenders ("male", "female") and AudienceAges ("18-24") with
	// the audience's share, largest first.
	AudienceGenders []Share
	AudienceAges    []Share
}

// Quality is a vendor's audience-quality score, on 0-100.
type Quality struct {
	// Name is the vendor's name for the score ("AQS", "Audience Quality
	// Score", "profile score").
	Name string
	// Score is on 0-100; higher is better.
	Score float64
	// Verdict is the vendor's band or label for it, when it gives one
	// ("green", "excellent").
	Verdict string
}

// Share is one bucket of an audience breakdown.
type Share struct {
	// Code names the bucket: an ISO 3166-1 alpha-2 country code, a gender,
	// an age range.
	Code string
	// Percent of the audience in the bucket: 45.2 means 45.2 percent.
	Percent float64
}

// GetScore returns the score, 0 for a nil Quality: with GetQuality it
// reads a summary's score without a nil check
// (s.GetQuality().GetScore()).
func (q *Quality) GetScore() float64 {
	if q == nil {
		return 0
	}
	return q.Score
}

// GetName returns the score's name, "" for a nil Quality.
func (q *Quality) GetName() string {
	if q == nil {
		return ""
	}
	return q.Name
}

// GetVerdict returns the vendor's band, "" for a nil Quality.
func (q *Quality) GetVerdict() string {
	if q == nil {
		return ""
	}
	return q.Verdict
}
