package firstparty

import (
	"cmp"
	"slices"
)

// PostType is Instagram's media type as Ylytic reports it. The sample
// shows REEL and IMAGE; other values are passed through as sent.
type PostType string

// Post types the sample shows.
const (
	PostReel  PostType = "REEL"
	PostImage PostType = "IMAGE"
)

// Posts are the creator's recent posts (get_posts), split the way Ylytic
// sends them.
type Posts struct {
	VideoPosts    []Post `json:"video_posts"`
	NonVideoPosts []Post `json:"non_video_posts"`
}

// All returns video and non-video posts together, newest first.
func (p *Posts) All() []Post {
	if p == nil {
		return nil
	}
	all := slices.Concat(p.VideoPosts, p.NonVideoPosts)
	slices.SortStableFunc(all, func(a, b Post) int { return b.PostedAt.Compare(a.PostedAt.Time) })
	return all
}

// Top returns the n posts with the highest engagement rate (ER), highest
// first; ties go to the newer post.
func (p *Posts) Top(n int) []Post {
	all := p.All()
	slices.SortStableFunc(all, func(a, b Post) int { return cmp.Compare(b.ER, a.ER) })
	if n >= 0 && n < len(all) {
		all = all[:n]
	}
	return all
}

// Post is one post.
type Post struct {
	Shortcode string `json:"shortcode"`
	// Hashtags are the post's tags without "#".
	Hashtags      []string `json:"hashtags"`
	Caption       string   `json:"caption"`
	CommentsCount Int      `json:"comments_count"`
	LikesCount    Int      `json:"likes_count"`
	// ER is the post's engagement rate in percent of followers (172.0
	// means likes and comments came to 1.72 times the follower count).
	ER Float `json:"er"`
	// Views is a float: Ylytic estimates the views of non-video posts
	// (2139.4139999999998).
	Views Float `json:"views"`
	// PostedAt arrives as unix seconds, PostedDate as RFC 1123; they name
	// the same instant.
	PostedAt      Time     `json:"posted_at"`
	PostedDate    Time     `json:"posted_date"`
	ImageURL      string   `json:"image_url"`
	Sponsored     bool     `json:"sponsored"`
	ExternalLinks []Item   `json:"external_links"`
	Video         bool     `json:"video"`
	PostType      PostType `json:"post_type"`
	// Mentions are the usernames the post mentions, without "@".
	Mentions     []string `json:"mentions"`
	LocationName string   `json:"location_name"`
}

// URL is the post's Instagram address.
func (p Post) URL() string { return "https://www.instagram.com/p/" + p.Shortcode + "/" }
