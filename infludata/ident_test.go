package infludata_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBadIdentifiersSendNothing runs every public method that takes an id,
// handle, username, email, code, cursor or key against the shared tables
// of bad values: check.BadPathParams for values that name a creator (they
// must be path-safe handles) and check.BadIDs for the others. Each must
// fail with ErrInvalidParams, and nothing may be sent.
func TestBadIdentifiersSendNothing(t *testing.T) {
	rt := &vendortest.RefuseAll{T: t}
	hc := &http.Client{Transport: rt}
	c, err := infludata.NewClient(infludata.WithAPIKey(testKey), infludata.WithBaseURL(base), infludata.WithHTTPClient(hc), infludata.WithMaxRetries(0))
	require.NoError(t, err)
	signup, err := infludata.NewSignup(infludata.WithBaseURL(base), infludata.WithHTTPClient(hc))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	past := infludata.NewTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	first := func(seq func(func(infludata.ContentItem, error) bool)) error {
		for _, err := range seq {
			return err
		}
		return nil
	}
	ig, tt, yt := infludata.Instagram, infludata.TikTok, infludata.YouTube

	type method struct {
		name string
		call func(v string) error
	}
	handles := []method{}
	for _, pl := range []infludata.Platform{ig, tt, yt} {
		pl := pl
		handles = append(handles,
			method{"Profiles.Get username on " + string(pl), func(v string) error {
				_, err := c.Profiles.Get(ctx, infludata.GetProfileParams{Platform: pl, Username: v})
				return err
			}},
			method{"Profiles.Get userId on " + string(pl), func(v string) error {
				_, err := c.Profiles.Get(ctx, infludata.GetProfileParams{Platform: pl, UserID: v})
				return err
			}},
			method{"Profiles.CheckStatus username on " + string(pl), func(v string) error {
				_, err := c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: pl, Username: v})
				return err
			}},
			method{"Profiles.CheckStatus userId on " + string(pl), func(v string) error {
				_, err := c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: pl, UserID: v})
				return err
			}},
			method{"Profiles.GetAndWait username on " + string(pl), func(v string) error {
				_, err := c.Profiles.GetAndWait(ctx, audienceOf(pl, v))
				return err
			}},
			method{"Profiles.GetAndWait userId on " + string(pl), func(v string) error {
				_, err := c.Profiles.GetAndWait(ctx, infludata.GetProfileParams{Platform: pl, UserID: v, IncludeAudienceReport: true})
				return err
			}},
			method{"Profiles.GetAndWaitAll username on " + string(pl), func(v string) error {
				for _, err := range c.Profiles.GetAndWaitAll(ctx, []infludata.GetProfileParams{audienceOf(pl, v)}) {
					var ce *infludata.ItemError
					if !errors.As(err, &ce) {
						return fmt.Errorf("not a ItemError: %v", err)
					}
					return err
				}
				return nil
			}},
			method{"Enrichment.Add usernames on " + string(pl), func(v string) error {
				_, err := c.Enrichment.Add(ctx, infludata.EnrichParams{Platform: pl, Usernames: []string{"fine_name", v}})
				return err
			}},
			method{"Enrichment.Add userIds on " + string(pl), func(v string) error {
				_, err := c.Enrichment.Add(ctx, infludata.EnrichParams{Platform: pl, UserIDs: []string{"123", v}})
				return err
			}},
		)
	}
	handles = append(handles,
		method{"Profiles.Get _id", func(v string) error {
			_, err := c.Profiles.Get(ctx, infludata.GetProfileParams{ID: v})
			return err
		}},
		method{"Profiles.CheckStatus _id", func(v string) error {
			_, err := c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: ig, ID: v})
			return err
		}},
		method{"Profiles.GetAndWait _id", func(v string) error {
			_, err := c.Profiles.GetAndWait(ctx, infludata.GetProfileParams{Platform: ig, ID: v, IncludeAudienceReport: true})
			return err
		}},
		method{"Content.Get usernames", func(v string) error {
			_, err := c.Content.Get(ctx, infludata.ContentParams{Limit: 10, Usernames: []string{v}})
			return err
		}},
		method{"Content.ContentAll usernames", func(v string) error {
			return first(c.Content.ContentAll(ctx, infludata.ContentParams{Usernames: []string{v}}))
		}},
		method{"Account.Get clientId", func(v string) error {
			if v == "" {
				return infludata.ErrInvalidParams // optional: empty means the default client
			}
			_, err := c.Account.Get(ctx, infludata.ClientInfoParams{ClientID: v})
			return err
		}},
	)
	others := []method{
		{"Content.Get cursor", func(v string) error {
			if v == "" {
				return infludata.ErrInvalidParams // empty means "no cursor"
			}
			_, err := c.Content.Get(ctx, infludata.ContentParams{Limit: 10, Cursor: v})
			return err
		}},
		{"Content.ContentAll cursor", func(v string) error {
			if v == "" {
				return infludata.ErrInvalidParams
			}
			return first(c.Content.ContentAll(ctx, infludata.ContentParams{Cursor: v}))
		}},
		{"Content.Pull watermark id", func(v string) error {
			if v == "" {
				return infludata.ErrInvalidParams // a watermark may name no item
			}
			return first(c.Content.Pull(infludata.ContentParams{Since: &infludata.Watermark{CreatedAtMax: past, LastID: v}}).All(ctx))
		}},
		{"Trial.Create email", func(v string) error {
			_, err := signup.Create(ctx, infludata.CreateTrialKeyParams{Email: v})
			return err
		}},
		{"Trial.Create email local part", func(v string) error {
			_, err := signup.Create(ctx, infludata.CreateTrialKeyParams{Email: v + "@acme.io"})
			return err
		}},
		{"Trial.Verify email", func(v string) error {
			_, err := signup.Verify(ctx, infludata.VerifyTrialKeyParams{Email: v, Code: "123456"})
			return err
		}},
		{"Trial.Verify code", func(v string) error {
			_, err := signup.Verify(ctx, infludata.VerifyTrialKeyParams{Email: "you@acme.io", Code: v})
			return err
		}},
		{"NewClient WithAPIKey", func(v string) error {
			_, err := infludata.NewClient(infludata.WithAPIKey(v), infludata.WithBaseURL(base), infludata.WithHTTPClient(hc))
			if k := strings.TrimSpace(v); err != nil && len(k) >= 3 {
				assert.NotContains(t, err.Error(), k, "the error never shows the key")
			}
			return err
		}},
	}

	pairs := 0
	run := func(ms []method, values []string) {
		for _, m := range ms {
			for _, v := range values {
				err := m.call(v)
				assert.ErrorIs(t, err, infludata.ErrInvalidParams, "%s %q: %v", m.name, v, err)
				pairs++
			}
		}
	}
	t.Setenv("INFLUDATA_API_KEY", "")
	run(handles, check.BadPathParams())
	run(others, check.BadIDs())
	assert.Zero(t, rt.Sent(), "nothing may be sent")
	t.Logf("%d (method, value) pairs refused before sending: %d methods x %d path/handle values, %d methods x %d id/key values",
		pairs, len(handles), len(check.BadPathParams()), len(others), len(check.BadIDs()))
}
