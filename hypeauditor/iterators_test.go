package hypeauditor_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"
	"testing/synctest"

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
	t.Parallel()
	for _, instagram := range []bool{false, true} {
		t.Run(fmt.Sprintf("instagram=%v", instagram), func(t *testing.T) {
			const total, inserted = 200, 5
			c, pages := shiftingSearch(t, total, inserted, instagram)
			seen := map[string]int{}
			for r, err := range c.Discovery.SearchAll(ctx, hypeauditor.SearchParams{Platform: hypeauditor.Instagram}, hypeauditor.WithMaxPages(20)) {
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
	t.Parallel()
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

// An iterator adds no retries of its own: a page is asked for as the
// transport asks (WithMaxRetries), and a page that still fails ends the
// walk with the transport's error, yielded once after the items before
// it. A live discovery page that may have reached HypeAuditor is never
// resent.
func TestIteratorsReturnTheTransportsErrors(t *testing.T) {
	t.Parallel()
	// searchWith answers page 2 with `refusals` 429s first.
	searchWith := func(t *testing.T, refusals int) (*hypeauditor.Client, *int) {
		c, mt := newMockClient(t) // 3 retries
		calls := 0
		mt.RegisterResponder("POST", base+"auditor.search", func(r *http.Request) (*http.Response, error) {
			calls++
			var body struct {
				Page int `json:"page"`
			}
			b, _ := io.ReadAll(r.Body)
			_ = json.Unmarshal(b, &body)
			if body.Page == 2 && calls <= 1+refusals {
				return str(429, `{"error":{"description":"Too many requests"}}`), nil
			}
			var rows []map[string]any
			for i := 0; i < hypeauditor.SearchPageSize; i++ {
				rows = append(rows, map[string]any{"basic": map[string]any{"id": fmt.Sprint(body.Page*100 + i)}})
			}
			out, _ := json.Marshal(map[string]any{"result": map[string]any{"search_results": rows, "total_pages": 3}})
			return str(200, string(out)), nil
		})
		return c, &calls
	}
	t.Run("SearchAll: 429s the transport's retries absorb", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			c, calls := searchWith(t, 3)
			n := 0
			for _, err := range c.Discovery.SearchAll(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok}) {
				require.NoError(t, err)
				n++
			}
			assert.Equal(t, 3*hypeauditor.SearchPageSize, n)
			assert.Equal(t, 6, *calls, "3 answered pages and 3 refusals")
		})
	})
	t.Run("SearchAll: one 429 more ends the walk", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			c, calls := searchWith(t, 4)
			n, errs := 0, 0
			for _, err := range c.Discovery.SearchAll(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok}) {
				if err != nil {
					errs++
					require.ErrorIs(t, err, hypeauditor.ErrRateLimited)
					var e *hypeauditor.Error
					require.ErrorAs(t, err, &e)
					assert.Equal(t, 4, e.Attempts, "the transport's attempts")
					continue
				}
				n++
			}
			assert.Equal(t, hypeauditor.SearchPageSize, n, "the first page's items")
			assert.Equal(t, 1, errs, "the error is yielded once and ends the walk")
			assert.Equal(t, 5, *calls, "page 1, then page 2 four times: never asked again by the iterator")
		})
	})
	t.Run("a live page that may have been charged is not resent", func(t *testing.T) {
		t.Parallel()
		c, mt := newMockClient(t)
		respond(mt, "POST", "auditor.search", 500, `{"error":{"description":"oops"}}`)
		var last error
		for _, err := range c.Discovery.SearchAll(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok}) {
			last = err
		}
		require.ErrorIs(t, last, hypeauditor.ErrOutcomeUnknown)
		assert.Equal(t, 1, mt.GetTotalCallCount())
	})
	for _, tc := range []struct {
		name     string
		failures int
		ok       bool
	}{{"ListAll: 503s the transport's retries absorb", 3, true}, {"ListAll: one 503 more ends the walk", 4, false}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				c, mt := newMockClient(t)
				calls := 0
				mt.RegisterResponder("GET", base+"auditor.reportsUnlocked", func(r *http.Request) (*http.Response, error) {
					calls++
					if calls <= tc.failures {
						return str(503, `{"error":{"description":"busy"}}`), nil
					}
					return str(200, `{"result":{"data":[{"id":"1","type":"instagram"},{"id":"2","type":"tiktok"}],"total":2}}`), nil
				})
				n := 0
				var last error
				for _, err := range c.Unlocked.ListAll(ctx, hypeauditor.UnlockedParams{}) {
					if err != nil {
						last = err
						continue
					}
					n++
				}
				if tc.ok {
					require.NoError(t, last)
					assert.Equal(t, 2, n)
					assert.Equal(t, 4, calls)
					return
				}
				require.ErrorIs(t, last, hypeauditor.ErrServer)
				assert.Contains(t, last.Error(), "503", "the transport's last answer")
				assert.Zero(t, n)
				assert.Equal(t, 4, calls, "the transport's four attempts, nothing more")
			})
		})
	}
}
