package creatoraudit_test

import (
	"bytes"
	"log/slog"
	"testing"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A bad row costs only that row: a row that is null, an array, a scalar,
// or whose id is missing, null or unreadable is skipped, with an issue at
// its path; the page and the walk yield the good rows; a value of a kept
// row that does not fit is an issue as anywhere else.
func TestABadRowCostsOnlyThatRow(t *testing.T) {
	t.Parallel()
	page := `{"data":[
		{"id":"a1","platform":"instagram","username":"one"},
		null,
		["a2"],
		"a3",
		{"platform":"tiktok","username":"no_id"},
		{"id":null,"username":"null_id"},
		{"id":{"value":"a4"},"username":"wrapped_id"},
		{"id":7,"username":"numeric_id"},
		{"id":"a5","platform":"tiktok","username":"five","follower_count":"many"}
	],"pagination":{"next_cursor":null,"has_next":false}}`
	var logs bytes.Buffer
	c, mt := newMockClient(t, creatoraudit.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	mt.RegisterResponder("GET", base+"/accounts", httpmock.NewStringResponder(200, page))
	p, err := c.Accounts.List(ctx, creatoraudit.ListAccountsParams{})
	require.NoError(t, err)
	require.Len(t, p.Data, 2)
	assert.Equal(t, "one", p.Data[0].Username)
	assert.Equal(t, "five", p.Data[1].Username)
	assert.Nil(t, p.Data[1].FollowerCount)
	paths := map[string]bool{}
	for _, is := range p.Response.DecodeIssues {
		paths[is.Path] = true
		assert.False(t, is.Control, is.Path)
	}
	for _, want := range []string{"data[1]", "data[2]", "data[3]", "data[4].id", "data[5].id", "data[6].id", "data[7].id", "data[8].follower_count"} {
		assert.True(t, paths[want], "an issue at %s: %v", want, p.Response.DecodeIssues)
	}
	assert.Contains(t, logs.String(), "list rows could not be read; they were skipped")
	assert.Contains(t, logs.String(), "data[1], data[2]")

	var got []string
	for a, err := range c.Accounts.ListAll(ctx, creatoraudit.ListAccountsParams{}) {
		require.NoError(t, err)
		got = append(got, a.Username)
	}
	assert.Equal(t, []string{"one", "five"}, got)

	// The search sections too.
	mt.RegisterResponder("GET", base+"/search", httpmock.NewStringResponder(200, `{"data":{
		"accounts":[null,{"id":"a1","username":"one"}],"creators":[{"id":3,"name":"x"},{"id":"c1","name":"y"}],"videos":[[1],{"id":"v1"}]},
		"meta":{"query":"o"}}`))
	s, err := c.Search.Query(ctx, creatoraudit.SearchParams{Q: "o"})
	require.NoError(t, err)
	assert.Len(t, s.Data.Accounts, 1)
	assert.Len(t, s.Data.Creators, 1)
	assert.Len(t, s.Data.Videos, 1)
	assert.Len(t, s.Response.DecodeIssues, 3)

	// A page's own control fields still fail it: the walk cannot go on.
	mt.RegisterResponder("GET", base+"/accounts", httpmock.NewStringResponder(200, `{"data":[{"id":"a1"}],"pagination":{"next_cursor":{"c":1},"has_next":true}}`))
	_, err = c.Accounts.List(ctx, creatoraudit.ListAccountsParams{})
	require.ErrorIs(t, err, creatoraudit.ErrUnexpectedResponse)

	// WithStrictDecoding refuses a bad row.
	strict, smt := newMockClient(t, creatoraudit.WithStrictDecoding())
	smt.RegisterResponder("GET", base+"/accounts", httpmock.NewStringResponder(200, page))
	_, err = strict.Accounts.List(ctx, creatoraudit.ListAccountsParams{})
	require.ErrorIs(t, err, creatoraudit.ErrUnexpectedResponse)
}
