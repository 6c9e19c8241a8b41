package hypeauditor_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shiftingSearch answers auditor.search like a database that grows during
// the walk: before each page after the first, `inserted` new creators
// enter at the top, so every page repeats the last rows of the page read
// before it. Rows are Instagram-shaped when instagram is set: no basic.id,
// the id only in features.social_networks (as the published Instagram
// answer has it).
func shiftingSearch(t *testing.T, total, inserted int, instagram bool) (*hypeauditor.Client, *int) {
	c, mt := newMockClient(t)
	pages := 0
	mt.RegisterResponder("POST", base+"auditor.search", func(r *http.Request) (*http.Response, error) {
		var body struct {
			Page int `json:"page"`
		}
		b, _ := io.ReadAll(r.Body)
		require.NoError(t, json.Unmarshal(b, &body))
		pages++
		shift := (body.Page - 1) * inserted // rows that entered before this page was read
		var rows []map[string]any
		for i := (body.Page-1)*hypeauditor.SearchPageSize - shift; i < body.Page*hypeauditor.SearchPageSize-shift && i < total; i++ {
			id := fmt.Sprint(1000 + i)
			row := map[string]any{"basic": map[string]any{"id": id, "username": "creator" + id}}
			if instagram {
				row = map[string]any{"basic": map[string]any{"username": "creator" + id},
					"features": map[string]any{"social_networks": []any{map[string]any{"type": "instagram", "social_id": id, "username": "creator" + id}}}}
			}
			rows = append(rows, row)
		}
		out, _ := json.Marshal(map[string]any{"result": map[string]any{"search_results": rows, "current_page": body.Page,
			"total_pages": (total + hypeauditor.SearchPageSize - 1) / hypeauditor.SearchPageSize}})
		return str(200, string(out)), nil
	})
	return c, &pages
}

// SearchAll yields each creator once while the results shift between
// pages (creators entering the database during the walk), whether the
// rows carry basic.id or, like Instagram's, only a social id.
func TestSearchAllDropsRepeatsWhenPagesShift(t *testing.T) {
	for _, instagram := range []bool{false, true} {
		t.Run(fmt.Sprintf("instagram=%v", instagram), func(t *testing.T) {
			const total, inserted = 200, 5
			c, pages := shiftingSearch(t, total, inserted, instagram)
			seen := map[string]int{}
			for r, err := range c.Discovery.SearchAll(ctx, hypeauditor.SearchParams{SocialNetwork: hypeauditor.NetworkInstagram}, hypeauditor.WithMaxPages(20)) {
				require.NoError(t, err)
				seen[r.Basic.Username]++
			}
			for name, n := range seen {
				assert.Equal(t, 1, n, "%s yielded %d times", name, n)
			}
			// Each page after the first repeats `inserted` rows: those are
			// dropped. The walk stops at the last page, so it yields fewer
			// than total (rows pushed past the last page are missed, as the
			// godoc says a shifting dataset can).
			assert.Equal(t, 10, *pages)
			assert.Equal(t, 10*hypeauditor.SearchPageSize-9*inserted, len(seen))
		})
	}
}

// An iterator's errors are *Error values: a cursor that does not move is
// ErrUnexpectedResponse, the end of the context keeps its kind.
func TestIteratorErrorsAreSDKErrors(t *testing.T) {
	c, mt := newMockClient(t)
	respond(mt, "GET", "auditor.creators", 200, `{"result":{"creators":[{"id":1}],"next_cursor":1183}}`)
	var last error
	n := 0
	for _, err := range c.Creators.ListAll(ctx, hypeauditor.CreatorsParams{}) {
		if err != nil {
			last = err
			break
		}
		n++
	}
	require.ErrorIs(t, last, hypeauditor.ErrUnexpectedResponse, "the same cursor twice")
	var e *hypeauditor.Error
	require.True(t, errors.As(last, &e))
	assert.Contains(t, e.Error(), "did not move")
	assert.Equal(t, 1, n, "the item is yielded once (the repeated page repeats it)")

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	for _, err := range c.Unlocked.ListAll(cctx, hypeauditor.UnlockedParams{}) {
		require.ErrorIs(t, err, context.Canceled)
		require.True(t, errors.As(err, &e))
		break
	}
}
