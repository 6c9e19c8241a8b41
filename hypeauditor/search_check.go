package hypeauditor

import (
	"fmt"
	"slices"
)

// check validates the filters before anything is sent.
func (p SearchParams) check(op string) error {
	if p.Platform == "" {
		return invalidParams(op, "social_network", "Platform (social_network) is required: one of %v", DiscoveryPlatforms())
	}
	if !slices.Contains(DiscoveryPlatforms(), p.Platform) {
		return invalidParams(op, "social_network", "discovery does not search %q: one of %v", p.Platform, DiscoveryPlatforms())
	}
	if p.Page < 0 {
		return invalidParams(op, "page", "page must be >= 1 (0 means 1), got %d", p.Page)
	}
	if err := p.checkIdentifiers(op); err != nil {
		return err
	}
	ranges := []struct {
		name string
		r    *Range
	}{
		{"subscribers_count", p.SubscribersCount}, {"er", p.ER}, {"account_age", p.AccountAge}, {"aqs", p.AQS}, {"cqs", p.CQS},
		{"last_media_time", p.LastMediaTime}, {"media_count", p.MediaCount}, {"likes_count", p.LikesCount}, {"likes_avg", p.LikesAvg}, {"alikes_avg", p.AlikesAvg},
		{"views_avg", p.ViewsAvg}, {"comments_avg", p.CommentsAvg}, {"shares_avg", p.SharesAvg}, {"reels_video_views_avg", p.ReelsVideoViewsAvg},
		{"shorts_video_views_avg", p.ShortsVideoViewsAvg}, {"twitch_live_viewers_avg", p.TwitchLiveViewersAvg},
		{"twitch_active_days_per_week", p.TwitchActiveDaysPerWeek}, {"twitch_hours_streamed", p.TwitchHoursStreamed},
		{"twitter_likes", p.TwitterLikes}, {"twitter_replies", p.TwitterReplies}, {"twitter_retweet", p.TwitterRetweet}, {"twitter_tweet", p.TwitterTweet},
	}
	if p.BloggerPrices != nil {
		ranges = append(ranges, struct {
			name string
			r    *Range
		}{"blogger_prices.post_price", p.BloggerPrices.PostPrice})
	}
	for _, x := range ranges {
		if msg := checkRange(x.r); msg != "" {
			return invalidParams(op, x.name, "%s", msg)
		}
	}
	for _, g := range []struct {
		name           string
		f              *GrowthFilter
		periodRequired bool
	}{{"growth", p.Growth, true}, {"likes_growth_prc", p.LikesGrowthPrc, false}} {
		if g.f == nil {
			continue
		}
		if (g.f.Period != "" || g.periodRequired) && !slices.Contains(GrowthPeriods(), g.f.Period) {
			return invalidParams(op, g.name, "period must be one of %v, got %q", GrowthPeriods(), g.f.Period)
		}
		if msg := checkRange(&Range{From: g.f.From, To: g.f.To}); msg != "" {
			return invalidParams(op, g.name, "%s", msg)
		}
	}
	for _, m := range []struct {
		name string
		f    *MarksFilter
	}{{"comments_rate", p.CommentsRate}, {"reactions_rate", p.ReactionsRate}} {
		if msg := checkMarks(m.f); msg != "" {
			return invalidParams(op, m.name, "%s", msg)
		}
	}
	for _, c := range []struct {
		name string
		f    *CategoryFilter
	}{{"category", p.Category}, {"thematics", p.Thematics}} {
		if msg := checkCategories(c.f); msg != "" {
			return invalidParams(op, c.name, "%s", msg)
		}
	}
	if p.AccountGender != "" && p.AccountGender != "male" && p.AccountGender != "female" {
		return invalidParams(op, "account_gender", "must be male or female, got %q", p.AccountGender)
	}
	if p.AccountType != "" && p.AccountType != "human" && p.AccountType != "brand" {
		return invalidParams(op, "account_type", "must be human or brand, got %q", p.AccountType)
	}
	if p.AccountGeo != nil {
		for _, c := range p.AccountGeo.Country {
			if msg := countryCode(c); msg != "" {
				return invalidParams(op, "account_geo.country", "%s", msg)
			}
		}
	}
	if g := p.AudienceGeo; g != nil {
		for _, c := range g.Countries {
			if msg := countryCode(c.ID); msg != "" {
				return invalidParams(op, "audience_geo.countries", "%s", msg)
			}
			if msg := percent(c.Prc); msg != "" {
				return invalidParams(op, "audience_geo.countries", "%s", msg)
			}
		}
		for _, c := range g.Cities {
			if msg := percent(c.Prc); msg != "" {
				return invalidParams(op, "audience_geo.cities", "%s", msg)
			}
		}
	}
	if g := p.AudienceGender; g != nil {
		if g.Gender != "male" && g.Gender != "female" {
			return invalidParams(op, "audience_gender", "gender must be male or female, got %q", g.Gender)
		}
		if msg := percent(g.Prc); msg != "" {
			return invalidParams(op, "audience_gender", "%s", msg)
		}
	}
	if a := p.AudienceAge; a != nil {
		if len(a.Groups) == 0 {
			return invalidParams(op, "audience_age", "groups is empty: use %v", AudienceAgeGroups())
		}
		for _, g := range a.Groups {
			if !slices.Contains(AudienceAgeGroups(), g) {
				return invalidParams(op, "audience_age", "unknown age group %q: one of %v", g, AudienceAgeGroups())
			}
		}
		if msg := percent(a.Prc); msg != "" {
			return invalidParams(op, "audience_age", "%s", msg)
		}
	}
	for _, e := range p.Ethnicity {
		if msg := percent(e.Prc); msg != "" {
			return invalidParams(op, "ethnicity", "%s", msg)
		}
	}
	for _, i := range p.Interests {
		if msg := percent(i.Prc); msg != "" {
			return invalidParams(op, "interests", "%s", msg)
		}
	}
	if p.Income != nil {
		if msg := percent(p.Income.Prc); msg != "" {
			return invalidParams(op, "income", "%s", msg)
		}
	}
	if p.TwitchGames != nil && len(p.TwitchGames.Games) == 0 {
		return invalidParams(op, "twitch_games", "games is empty")
	}
	if s := p.Sort; s != nil {
		if s.Field == "" {
			return invalidParams(op, "sort", "sort field is required")
		}
		if s.Order != "" && s.Order != "asc" && s.Order != "desc" {
			return invalidParams(op, "sort", "order must be asc or desc, got %q", s.Order)
		}
	}
	return nil
}

func checkRange(r *Range) string {
	if r == nil {
		return ""
	}
	if r.From == nil && r.To == nil {
		return "range has neither from nor to"
	}
	if r.From != nil && r.To != nil && *r.From > *r.To {
		return fmt.Sprintf("from %v is greater than to %v", *r.From, *r.To)
	}
	return ""
}

func checkMarks(f *MarksFilter) string {
	if f == nil {
		return ""
	}
	if len(f.Marks) == 0 {
		return fmt.Sprintf("marks is empty: use some of %v", FilterMarks())
	}
	for _, m := range f.Marks {
		if !slices.Contains(FilterMarks(), m) {
			return fmt.Sprintf("unknown mark %q: one of %v", m, FilterMarks())
		}
	}
	return ""
}

func checkCategories(f *CategoryFilter) string {
	if f == nil {
		return ""
	}
	if len(f.Include) == 0 && len(f.Exclude) == 0 {
		return "neither include nor exclude has an id"
	}
	for _, id := range slices.Concat(f.Include, f.Exclude) {
		if id <= 0 {
			return fmt.Sprintf("taxonomy id %d must be positive", id)
		}
	}
	return ""
}

func percent(v float64) string {
	if v < 0 || v > 100 {
		return fmt.Sprintf("prc must be 0 to 100, got %v", v)
	}
	return ""
}

func countryCode(c string) string {
	if len(c) != 2 || c[0] < 'a' || c[0] > 'z' || c[1] < 'a' || c[1] > 'z' {
		return fmt.Sprintf("country %q must be a lowercase ISO 3166 alpha-2 code such as \"us\"", c)
	}
	return ""
}

// checkIdentifiers holds the usernames, keywords and ids of the filters to
// the identifier policy: usernames as handles, keywords and other ids as
// text (inner spaces allowed).
func (p SearchParams) checkIdentifiers(op string) error {
	handles := map[string][]string{"username_exclude": p.UsernameExclude}
	if p.Similar != "" {
		handles["similar"] = []string{p.Similar}
	}
	if m := p.AccountMentions; m != nil {
		handles["account_mentions.include"] = m.Include
		handles["account_mentions.exclude"] = m.Exclude
	}
	for field, list := range handles {
		for _, h := range list {
			if _, err := handle(op, field, h); err != nil {
				return err
			}
		}
	}
	texts := map[string][]string{"search": p.Search, "search_content": p.SearchContent, "search_description": p.SearchDescription}
	if p.NicheSearch != "" {
		texts["niche_search"] = []string{p.NicheSearch}
	}
	if p.Income != nil {
		texts["income"] = []string{p.Income.ID}
	}
	for _, e := range p.Ethnicity {
		texts["ethnicity"] = append(texts["ethnicity"], e.Race)
	}
	if p.Sort != nil && p.Sort.Field != "" {
		texts["sort"] = []string{p.Sort.Field}
	}
	for field, list := range texts {
		for _, v := range list {
			if err := text(op, field, v); err != nil {
				return err
			}
		}
	}
	return nil
}
