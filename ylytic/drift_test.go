package ylytic_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/creatorkit/creatorkit-go/ylytic"
	"github.com/stretchr/testify/assert"
)

// driftCase is one call of the real client on an httpmock transport that
// serves each mutation of a fixture. controlPaths are the JSON paths of
// the control fields ("$" for the whole body): only there may a mutation
// fail the call, and only with ErrUnexpectedResponse. answer says which
// errors come with a decoded answer (a failed refresh).
type driftCase struct {
	file, method, url string
	controlPaths      []string
	run               func(c *ylytic.Client) (any, *ylytic.ResponseMeta, error)
	answer            func(error) bool
}

func (dc driftCase) spec(t *testing.T) fixture.DriftSpec {
	c, mt := newMockClient(t)
	var sb vendortest.ServedBody
	mt.RegisterResponder(dc.method, dc.url, sb.Responder)
	return fixture.DriftSpec{
		Name:    dc.file,
		Fixture: load(t, dc.file),
		Call:    vendortest.DriftCall(&sb, func() (any, *ylytic.ResponseMeta, error) { return dc.run(c) }, dc.answer),
		Control: func(m fixture.Mutation, err error) bool {
			return errors.Is(err, ylytic.ErrUnexpectedResponse) && slices.Contains(dc.controlPaths, m.Path)
		},
	}
}

func refreshOf(r *ylytic.RefreshRequest, err error) (any, *ylytic.ResponseMeta, error) {
	if r == nil {
		return nil, nil, err
	}
	return r, r.Response, err
}

// Every answer with each field changed once (a number sent as a string, a
// string as a number, a value wrapped in an object, a null, an unknown
// member): every call survives except where a control field was hit, the
// untouched values keep their values, and every value that did not fit is
// in DecodeIssues.
func TestDrift(t *testing.T) {
	t.Parallel()
	refreshControl := []string{"$", "request_id", "status", "status.message"}
	failed := func(err error) bool { return errors.Is(err, ylytic.ErrRefreshFailed) }
	cases := []driftCase{
		{"creators_add.json", "POST", thirdBase + "/ylytic/admin/api/v1/creators", []string{"status"}, func(c *ylytic.Client) (any, *ylytic.ResponseMeta, error) {
			a, err := c.Creators.Add(ctx, ylytic.AddCreatorsParams{Handles: []string{"https://www.instagram.com/a/"}})
			if a == nil {
				return nil, nil, err
			}
			return a, a.Response, err
		}, nil},
		{"creators_status.json", "POST", thirdBase + "/ylytic/admin/api/v1/creators/status", nil, func(c *ylytic.Client) (any, *ylytic.ResponseMeta, error) {
			s, err := c.Creators.Status(ctx, ylytic.CreatorsStatusParams{Handles: []string{"https://www.instagram.com/a/"}})
			if s == nil {
				return nil, nil, err
			}
			return s, s.Response, err
		}, nil},
		{"rt_tracking.json", "POST", dashBase + "/ylytic/api/v1/rt_tracking/creators", nil, trackingCall, nil},
		{"rt_tracking_spaced_key.json", "POST", dashBase + "/ylytic/api/v1/rt_tracking/creators", nil, trackingCall, nil},
		{"data_refresh_pending.json", "POST", dashBase + "/ylytic/api/v1/data_refresh/requests", refreshControl, func(c *ylytic.Client) (any, *ylytic.ResponseMeta, error) {
			return refreshOf(c.Refresh.Create(ctx, ylytic.RefreshParams{Type: ylytic.RefreshInstagram, Handle: "a"}))
		}, nil},
		{"data_refresh_completed.json", "GET", dashBase + "/ylytic/api/v1/data_refresh/requests/r1", refreshControl, func(c *ylytic.Client) (any, *ylytic.ResponseMeta, error) {
			return refreshOf(c.Refresh.Get(ctx, "r1"))
		}, failed},
		{"data_refresh_failed.json", "GET", dashBase + "/ylytic/api/v1/data_refresh/requests/r1", refreshControl, func(c *ylytic.Client) (any, *ylytic.ResponseMeta, error) {
			return refreshOf(c.Refresh.Get(ctx, "r1"))
		}, failed},
		{"shortlink_create.json", "POST", dashBase + "/ylytic/admin/api/v1/shortlinks", []string{"$", "short_link"}, func(c *ylytic.Client) (any, *ylytic.ResponseMeta, error) {
			l, err := c.ShortLinks.Create(ctx, ylytic.CreateShortLinkParams{TargetURL: "https://example.com/"})
			if l == nil {
				return nil, nil, err
			}
			return l, l.Response, err
		}, nil},
		{"shortlink_insights.json", "GET", insBase + "/ylytic/admin/api/v1/shortlinks/l1/insights", nil, func(c *ylytic.Client) (any, *ylytic.ResponseMeta, error) {
			in, err := c.ShortLinks.Insights(ctx, "l1")
			if in == nil {
				return nil, nil, err
			}
			return in, in.Response, err
		}, nil},
		{"shopify_connect.json", "POST", dashBase + "/ylytic/admin/api/v1/shopify_shop", []string{"status"}, func(c *ylytic.Client) (any, *ylytic.ResponseMeta, error) {
			a, err := c.Shopify.Connect(ctx, ylytic.ConnectShopParams{Shop: "a.myshopify.com", AccessToken: "shpat_x"})
			if a == nil {
				return nil, nil, err
			}
			return a, a.Response, err
		}, nil},
	}
	total := fixture.DriftReport{}
	for _, dc := range cases {
		r := fixture.Drift(dc.spec(t))
		fixture.RequireDrift(t, r)
		total.Mutations += r.Mutations
		total.Control += r.Control
		total.Survived += r.Survived
		total.Intact += r.Intact
		total.Reported += r.Reported
		total.Unknown += r.Unknown
		total.UnknownSurvived += r.UnknownSurvived
	}
	t.Logf("all answers: %s", total)
	n := total.Mutations - total.Control
	assert.Equal(t, n, total.Survived, "every mutation outside a control field survives")
	assert.GreaterOrEqual(t, float64(total.Survived)/float64(n), 0.99)
}

func trackingCall(c *ylytic.Client) (any, *ylytic.ResponseMeta, error) {
	tr, err := c.Tracking.Create(ctx, ylytic.TrackingParams{Platform: ylytic.Instagram, Handle: "a"})
	if tr == nil {
		return nil, nil, err
	}
	return tr, tr.Response, err
}
