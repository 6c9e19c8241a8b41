package infludata_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// driftServe returns a client whose every request to path is answered
// with the body currently in *body (200, JSON).
func driftServe(t *testing.T, method, path string, body *[]byte) *infludata.Client {
	c, mt, _ := mock(t)
	mt.RegisterResponder(method, base+"/"+path, func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewBytesResponse(http.StatusOK, *body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	})
	return c
}

// driftResult re-encodes a call's result and returns its decode issues.
func driftResult(v any, meta *infludata.ResponseMeta, err error) ([]byte, []jsonx.Issue, error) {
	if err != nil {
		return nil, nil, err
	}
	out, err := json.Marshal(v)
	if meta == nil {
		return out, nil, err
	}
	return out, meta.DecodeIssues, err
}

// controlOf accepts a refusal when the call failed with
// ErrUnexpectedResponse and the mutated value is one of the documented
// control fields.
func controlOf(paths ...string) func(fixture.Mutation, error) bool {
	return func(m fixture.Mutation, err error) bool {
		if !errors.Is(err, infludata.ErrUnexpectedResponse) {
			return false
		}
		for _, p := range paths {
			if m.Path == p || strings.HasPrefix(m.Path, p+".") {
				return true
			}
		}
		return false
	}
}

// TestDrift serves every main read with each single-field mutation of its
// published answer (a number as a string, a string as a number, a scalar
// wrapped in an object, null, an extra member) through the real client:
// every call survives outside the control fields with its other values
// intact, and a value that did not fit is reported in DecodeIssues.
func TestDrift(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	type call func(c *infludata.Client) ([]byte, []jsonx.Issue, error)
	for _, tc := range []struct {
		name, method, path, fixture string
		control                     []string
		run                         call
	}{
		{"Profiles.Get (inferred body)", "GET", "getUserData", "user_data.json", nil, func(c *infludata.Client) ([]byte, []jsonx.Issue, error) {
			p, err := c.Profiles.Get(ctx, infludata.GetProfileParams{Platform: infludata.Instagram, Username: "adidas", IncludeAudienceReport: true})
			if err != nil {
				return nil, nil, err
			}
			return driftResult(p, p.Response, nil)
		}},
		{"Profiles.CheckStatus", "GET", "checkDataStatus", "shared:data_status.json", []string{"isInDatabase", "isBeingProcessed", "hasAudienceData", "status"}, func(c *infludata.Client) ([]byte, []jsonx.Issue, error) {
			d, err := c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: infludata.Instagram, Username: "example_user"})
			if err != nil {
				return nil, nil, err
			}
			return driftResult(d, d.Response, nil)
		}},
		{"Profiles.CheckStatus (not in database)", "GET", "checkDataStatus", "shared:data_status_not_in_database.json", []string{"isInDatabase", "isBeingProcessed", "hasAudienceData", "status"}, func(c *infludata.Client) ([]byte, []jsonx.Issue, error) {
			d, err := c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: infludata.Instagram, Username: "new_creator"})
			if err != nil {
				return nil, nil, err
			}
			return driftResult(d, d.Response, nil)
		}},
		{"Discovery.Search", "GET", "discovery", "discovery.json", []string{"count"}, func(c *infludata.Client) ([]byte, []jsonx.Issue, error) {
			p, err := c.Discovery.Search(ctx, infludata.SearchParams{Platform: infludata.Instagram})
			if err != nil {
				return nil, nil, err
			}
			return driftResult(p, p.Response, nil)
		}},
		{"Content.Get (cursor)", "GET", "getContent", "shared:content_cursor.json", []string{"next_cursor", "count", "watermark"}, func(c *infludata.Client) ([]byte, []jsonx.Issue, error) {
			p, err := c.Content.Get(ctx, infludata.ContentParams{Limit: 100})
			if err != nil {
				return nil, nil, err
			}
			return driftResult(p, p.Response, nil)
		}},
		{"Content.Get (legacy, audience maps)", "GET", "getContent", "shared:content_legacy_audience.json", []string{"next_cursor", "count", "watermark"}, func(c *infludata.Client) ([]byte, []jsonx.Issue, error) {
			p, err := c.Content.Get(ctx, infludata.ContentParams{Limit: 10, LegacyOffset: true})
			if err != nil {
				return nil, nil, err
			}
			return driftResult(p, p.Response, nil)
		}},
		{"Enrichment.Add", "POST", "bulkAddToEnrich", "shared:bulk_add_to_enrich.json", nil, func(c *infludata.Client) ([]byte, []jsonx.Issue, error) {
			r, err := c.Enrichment.Add(ctx, infludata.EnrichParams{Platform: infludata.Instagram, Usernames: []string{"cristiano", "invaliduser"}, UserIDs: []string{"123456789"}})
			if err != nil {
				return nil, nil, err
			}
			return driftResult(r, r.Response, nil)
		}},
		{"Account.Get", "GET", "getClientInfo", "shared:client_info.json", nil, func(c *infludata.Client) ([]byte, []jsonx.Issue, error) {
			ci, err := c.Account.Get(ctx, infludata.ClientInfoParams{})
			if err != nil {
				return nil, nil, err
			}
			return driftResult(ci, ci.Response, nil)
		}},
		{"Discovery.Cities", "GET", "getCitiesForCountry", "shared:cities_germany.json", nil, func(c *infludata.Client) ([]byte, []jsonx.Issue, error) {
			l, err := c.Discovery.Cities(ctx, infludata.CitiesParams{Country: "Germany"})
			if err != nil {
				return nil, nil, err
			}
			return driftResult(l, l.Response, nil)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body []byte
			c := driftServe(t, tc.method, tc.path, &body)
			r := fixture.Drift(fixture.DriftSpec{
				Name:    tc.name,
				Fixture: fixture.Named(t, "infludata", tc.fixture),
				Call: func(b []byte) ([]byte, []jsonx.Issue, error) {
					body = b
					return tc.run(c)
				},
				Control: controlOf(tc.control...),
			})
			fixture.RequireDrift(t, r)
			assert.Equal(t, r.Mutations-r.Control, r.Survived, "every call outside control fields survives")
			assert.Equal(t, r.Unknown, r.UnknownSurvived, "unknown members: 100%")
			if len(tc.control) > 0 {
				assert.Positive(t, r.Control, "mutated control fields are refused")
			}
		})
	}
}

// A value that does not fit costs exactly one request, is reported on the
// result, and fails the call under WithStrictDecoding; a control field that
// does not fit fails it either way, without a retry.
func TestTolerantAndStrictDecoding(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	bad := `{"isInDatabase":true,"hasAudienceData":true,"username":"x","followers":{"value":12},"timelineDatapoints":"many"}`
	for _, strict := range []bool{false, true} {
		var opts []infludata.Option
		if strict {
			opts = append(opts, infludata.WithStrictDecoding())
		}
		c, mt, rec := mock(t, opts...)
		mt.RegisterResponder("GET", base+"/checkDataStatus", reply(t, rec, 200, bad))
		d, err := c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: infludata.Instagram, Username: "x"})
		assert.Len(t, rec.all(), 1, "one request, strict=%v", strict)
		if strict {
			assert.ErrorIs(t, err, infludata.ErrUnexpectedResponse)
			continue
		}
		require.NoError(t, err)
		assert.True(t, d.AudienceReady())
		assert.Nil(t, d.Followers)
		var paths []string
		for _, is := range d.Response.DecodeIssues {
			paths = append(paths, is.Path)
		}
		assert.ElementsMatch(t, []string{"followers", "timelineDatapoints"}, paths)
	}

	c, mt, rec := mock(t)
	mt.RegisterResponder("GET", base+"/getContent", reply(t, rec, 200, `{"items":[],"next_cursor":{"v":"abc"}}`))
	_, err := c.Content.Get(ctx, infludata.ContentParams{Limit: 10})
	assert.ErrorIs(t, err, infludata.ErrUnexpectedResponse, "a cursor that does not fit")
	assert.ErrorIs(t, err, infludata.ErrOutcomeUnknown, "a paid answer the SDK cannot use: what it was charged is unknown")
	assert.Len(t, rec.all(), 1, "never resent")
	assert.Equal(t, int64(10), c.Usage().SpentUnknown, "the page's limit, the most it could have cost")
}
