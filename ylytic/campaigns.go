package ylytic

import (
	"context"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// CampaignsService changes campaigns: the short links tracked on their
// posts (Shopify sales tracking).
type CampaignsService struct{ c *Client }

// PostShortLinks ties short links to one of a campaign's posts.
type PostShortLinks struct {
	// PostURL is the post's URL
	// ("https://www.instagram.com/reels/C295JByPmDT/"). Required.
	PostURL string `json:"post_url"`
	// ShortLinks are the short links (wire name "shortlink", a list).
	// Required: at least one.
	ShortLinks []string `json:"shortlink"`
}

// UpdateShortLinksParams are the inputs of Campaigns.UpdateShortLinks.
type UpdateShortLinksParams struct {
	// Add ties short links to posts (wire name "add_shortlinks").
	Add []PostShortLinks `json:"add_shortlinks"`
	// Remove unties them (wire name "remove_shortlinks"). ASSUMPTION: its
	// elements have Add's shape; Ylytic's example sends it empty.
	Remove []PostShortLinks `json:"remove_shortlinks"`
}

func (p UpdateShortLinksParams) normalize(op string) (UpdateShortLinksParams, error) {
	if len(p.Add) == 0 && len(p.Remove) == 0 {
		return p, invalidParams(op, "add_shortlinks", "nothing to add or remove")
	}
	for _, side := range []struct {
		name string
		v    []PostShortLinks
	}{{"add_shortlinks", p.Add}, {"remove_shortlinks", p.Remove}} {
		for _, ps := range side.v {
			if err := checkURL(op, side.name+".post_url", ps.PostURL); err != nil {
				return p, err
			}
			if len(ps.ShortLinks) == 0 {
				return p, invalidParams(op, side.name+".shortlink", "no short link for post %q", check.Clip(ps.PostURL, 200))
			}
			for _, l := range ps.ShortLinks {
				if err := transport.Refuse(vendor, op, side.name+".shortlink", check.ID(l)); err != nil {
					return p, err
				}
			}
		}
	}
	// Both lists go on the wire, empty ones as [] as in Ylytic's example.
	if p.Add == nil {
		p.Add = []PostShortLinks{}
	}
	if p.Remove == nil {
		p.Remove = []PostShortLinks{}
	}
	return p, nil
}

// UpdateShortLinks adds short links to a campaign's posts and removes
// them (PATCH /ylytic/admin/api/v1/campaigns/{campaign_id} on the
// dashboard host). campaignID is Ylytic's campaign id
// ("65c07f7cc274480601165274"). The answer is not documented: the SDK
// reads it as an Ack ({"status":"success"} assumed; an answer without a
// status is a success, any other status an ErrRefused error).
//
// UpdateShortLinks is retried like a read after a 5xx or a lost
// connection: it states which links a post has, so a repeat changes
// nothing more (idempotent by content).
func (s *CampaignsService) UpdateShortLinks(ctx context.Context, campaignID string, p UpdateShortLinksParams) (*Ack, error) {
	const op = "Campaigns.UpdateShortLinks"
	if err := transport.Refuse(vendor, op, "campaign_id", check.PathParam(campaignID)); err != nil {
		return nil, err
	}
	n, err := p.normalize(op)
	if err != nil {
		return nil, err
	}
	return s.c.ack(ctx, s.c.dash, transport.Request{Op: op, Method: "PATCH", Path: "ylytic/admin/api/v1/campaigns/" + campaignID, Route: routeCampaign, Body: n, Retry: transport.RetryIdempotent})
}
