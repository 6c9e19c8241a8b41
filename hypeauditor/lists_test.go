package hypeauditor_test

import (
	"net/http"
	"net/url"
	"testing"
	"testing/synctest"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The Lists API: exact requests, validation, identifiers, drift, and the
// fake.

func TestListsRequests(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	expect(t, mt, "GET", "auditor.lists", want{}, 200, "lists.json")
	expect(t, mt, "GET", "auditor.list", want{query: url.Values{"id": {"102"}, "limit": {"10"}, "offset": {"5"}}}, 200, "list_reports.json")
	expect(t, mt, "GET", "auditor.addToList", want{query: url.Values{"list_id": {"101"}, "channel_id": {"528817151"}, "type": {"instagram"}}}, 200, "list_edit.json")
	expect(t, mt, "GET", "auditor.removeFromList", want{query: url.Values{"report_id": {"5001"}, "list_id": {"102"}}}, 200, "list_edit.json")

	ls, err := c.Lists.List(ctx)
	require.NoError(t, err)
	require.Len(t, ls.Lists, 2)
	assert.Equal(t, "Space", ls.Lists[1].Title)
	assert.JSONEq(t, `{"id": 102, "title": "Space", "reports_count": 2}`, string(ls.Lists[1].Raw), "each entry as received")
	lr, err := c.Lists.Reports(ctx, hypeauditor.ListReportsParams{ListID: "102", Limit: 10, Offset: 5})
	require.NoError(t, err)
	assert.Equal(t, "5001", lr.Reports[0].Key())
	assert.Equal(t, hypeauditor.YouTube, lr.Reports[1].Type)
	assert.Equal(t, hypeauditor.Int(2), *lr.Total)

	ed, err := c.Lists.Add(ctx, hypeauditor.ListAddParams{ListID: "101", ChannelID: "528817151", Platform: hypeauditor.Instagram})
	require.NoError(t, err)
	assert.JSONEq(t, string(fixture.Load(t, "list_edit.json")), string(ed.Raw))
	_, err = c.Lists.Remove(ctx, hypeauditor.ListRemoveParams{ListID: "102", ReportID: "5001"})
	require.NoError(t, err)
	assert.Equal(t, 4, mt.GetTotalCallCount())
}

func TestListsValidation(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	refusedBeforeSending(t, map[string]func() error{
		"lists: bad id": func() error { _, err := c.Lists.Reports(ctx, hypeauditor.ListReportsParams{ListID: "abc"}); return err },
		"lists: neg limit": func() error {
			_, err := c.Lists.Reports(ctx, hypeauditor.ListReportsParams{ListID: "1", Limit: -1})
			return err
		},
		"lists: no network": func() error {
			_, err := c.Lists.Add(ctx, hypeauditor.ListAddParams{ListID: "1", ChannelID: "2"})
			return err
		},
		"lists: no report": func() error { _, err := c.Lists.Remove(ctx, hypeauditor.ListRemoveParams{ListID: "1"}); return err },
		"ReportsAll: bad id": func() error {
			for _, err := range c.Lists.ReportsAll(ctx, hypeauditor.ListReportsParams{ListID: "x"}) {
				return err
			}
			return nil
		},
	})
	assert.Equal(t, 0, mt.GetTotalCallCount())

	c, err := hypeauditor.NewClient(hypeauditor.WithCredentials(testID, testToken), hypeauditor.WithHTTPClient(&http.Client{Transport: refuseTransport{t}}))
	require.NoError(t, err)
	badIdentifiersRefused(t, map[string]func(v string) error{
		"Lists.Reports": func(v string) error {
			_, err := c.Lists.Reports(ctx, hypeauditor.ListReportsParams{ListID: v})
			return err
		},
		"Lists.ReportsAll": func(v string) error {
			for _, err := range c.Lists.ReportsAll(ctx, hypeauditor.ListReportsParams{ListID: v}) {
				return err
			}
			return nil
		},
		"Lists.Add list_id": func(v string) error {
			_, err := c.Lists.Add(ctx, hypeauditor.ListAddParams{ListID: v, ChannelID: "1", Platform: hypeauditor.Instagram})
			return err
		},
		"Lists.Add channel_id": func(v string) error {
			_, err := c.Lists.Add(ctx, hypeauditor.ListAddParams{ListID: "1", ChannelID: v, Platform: hypeauditor.Instagram})
			return err
		},
		"Lists.Remove list_id": func(v string) error {
			_, err := c.Lists.Remove(ctx, hypeauditor.ListRemoveParams{ListID: v, ReportID: "1"})
			return err
		},
		"Lists.Remove report_id": func(v string) error {
			_, err := c.Lists.Remove(ctx, hypeauditor.ListRemoveParams{ListID: "1", ReportID: v})
			return err
		},
	})
}

func TestDriftLists(t *testing.T) {
	t.Parallel()
	runDrift(t, []driftSpec{
		{"Lists.List", "result.lists", `result|result\.lists`, local("lists.json"), func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
			r, err := c.Lists.List(ctx)
			if err != nil {
				return nil, nil, err
			}
			return r.Lists, r.Response, nil
		}},
		{"Lists.Reports", "result.reports", `result|result\.reports`, local("list_reports.json"), func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
			r, err := c.Lists.Reports(ctx, hypeauditor.ListReportsParams{ListID: "102"})
			if err != nil {
				return nil, nil, err
			}
			return r.Reports, r.Response, nil
		}},
	})
}

func TestFakeLists(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		ctx := testCtx(t)
		ls, err := c.Lists.List(ctx)
		require.NoError(t, err)
		require.Len(t, ls.Lists, 2)
		space := ls.Lists[1]
		assert.Equal(t, "Space", space.Title)

		conns, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: "nasa", Type: hypeauditor.Instagram})
		require.NoError(t, err)
		tw := conns.ByPlatform(hypeauditor.Twitter)[0]
		_, err = c.Lists.Add(ctx, hypeauditor.ListAddParams{ListID: string(space.ID), ChannelID: string(tw.SocialID), Platform: hypeauditor.Twitter})
		require.NoError(t, err)
		var reports []hypeauditor.ListReport
		for r, err := range c.Lists.ReportsAll(ctx, hypeauditor.ListReportsParams{ListID: string(space.ID), Limit: 2}) {
			require.NoError(t, err)
			reports = append(reports, r)
		}
		require.Len(t, reports, 3)
		assert.Equal(t, hypeauditor.Twitter, reports[2].Type)

		_, err = c.Lists.Remove(ctx, hypeauditor.ListRemoveParams{ListID: string(space.ID), ReportID: reports[0].Key()})
		require.NoError(t, err)
		page, err := c.Lists.Reports(ctx, hypeauditor.ListReportsParams{ListID: string(space.ID)})
		require.NoError(t, err)
		assert.Len(t, page.Reports, 2)
		assert.Equal(t, hypeauditor.Int(2), *page.Total)

		_, err = c.Lists.Reports(ctx, hypeauditor.ListReportsParams{ListID: "999"})
		assert.ErrorIs(t, err, hypeauditor.ErrNotFound)
		assert.Equal(t, 1000, srv.Credits(), "lists are free")
	})
}
