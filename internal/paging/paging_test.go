package paging

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func collect[T any](t *testing.T, seq func(func(T, error) bool)) ([]T, error) {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

func ints(from, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = from + i
	}
	return out
}

func TestOffsetWalksUntilShortPageLazily(t *testing.T) {
	ctx := context.Background()
	var offsets []int
	seq := Offset(ctx, 0, 10, func(_ context.Context, off int) (OffsetPage[int], error) {
		offsets = append(offsets, off)
		n := min(10, 25-off)
		return OffsetPage[int]{Items: ints(off, n), Total: -1}, nil
	}, Limits{})
	assert.Empty(t, offsets, "nothing is fetched before iteration")
	got, err := collect(t, seq)
	require.NoError(t, err)
	assert.Equal(t, ints(0, 25), got)
	assert.Equal(t, []int{0, 10, 20}, offsets)
}

func TestOffsetStopsAtTotalWithoutExtraRequest(t *testing.T) {
	calls := 0
	got, err := collect(t, Offset(context.Background(), 0, 10, func(_ context.Context, off int) (OffsetPage[int], error) {
		calls++
		return OffsetPage[int]{Items: ints(off, 10), Total: 20}, nil
	}, Limits{}))
	require.NoError(t, err)
	assert.Len(t, got, 20)
	assert.Equal(t, 2, calls, "a full last page is not followed by an empty one when the total is known")
}

func TestBreakStopsFetching(t *testing.T) {
	calls := 0
	for v := range Offset(context.Background(), 0, 10, func(_ context.Context, off int) (OffsetPage[int], error) {
		calls++
		return OffsetPage[int]{Items: ints(off, 10), Total: -1}, nil
	}, Limits{}) {
		if v == 12 {
			break
		}
	}
	assert.Equal(t, 2, calls)
}

func TestErrorYieldedOnceThenStops(t *testing.T) {
	boom := errors.New("boom")
	calls := 0
	var errs []error
	var vals []int
	for v, err := range SkipCount(context.Background(), 0, 20, func(_ context.Context, skip int) ([]int, int, error) {
		calls++
		if skip == 20 {
			return nil, 0, boom
		}
		return ints(skip, 20), -1, nil
	}, Limits{}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		vals = append(vals, v)
	}
	assert.Equal(t, []error{boom}, errs)
	assert.Len(t, vals, 20)
	assert.Equal(t, 2, calls)
}

func TestCapsLimitSpend(t *testing.T) {
	calls := 0
	fetch := func(_ context.Context, page int) ([]int, int, error) {
		calls++
		return ints(page*20, 20), -1, nil
	}
	got, err := collect(t, PageNumber(context.Background(), 1, 20, fetch, Limits{MaxPages: 3}))
	require.NoError(t, err)
	assert.Len(t, got, 60)
	assert.Equal(t, 3, calls)

	calls = 0
	got, err = collect(t, PageNumber(context.Background(), 1, 20, fetch, Limits{MaxItems: 25}))
	require.NoError(t, err)
	assert.Len(t, got, 25)
	assert.Equal(t, 2, calls)

	calls = 0
	got, err = collect(t, PageNumber(context.Background(), 1, 20, fetch, Limits{MaxItems: 20}))
	require.NoError(t, err)
	assert.Len(t, got, 20)
	assert.Equal(t, 1, calls, "an item cap reached at a page boundary fetches nothing more")
}

func TestPageNumberStopsAtTotalPages(t *testing.T) {
	var pages []int
	_, err := collect(t, PageNumber(context.Background(), 1, 2, func(_ context.Context, page int) ([]int, int, error) {
		pages = append(pages, page)
		return []int{page, page}, 3, nil
	}, Limits{}))
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2, 3}, pages)
}

func TestCursorFollowsNextAndHasNext(t *testing.T) {
	var cursors []string
	tr, fa := true, false
	got, err := collect(t, Cursor(context.Background(), "", func(_ context.Context, cur string) (CursorPage[string], error) {
		cursors = append(cursors, cur)
		switch cur {
		case "":
			return CursorPage[string]{Items: []string{"a", "b"}, Next: "c1", HasNext: &tr}, nil
		case "c1":
			return CursorPage[string]{Items: []string{"c"}, Next: "c2"}, nil
		default:
			return CursorPage[string]{Items: []string{"d"}, Next: "c3", HasNext: &fa}, nil
		}
	}, Limits{}))
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "c", "d"}, got)
	assert.Equal(t, []string{"", "c1", "c2"}, cursors)
}

func TestRepeatedCursorIsAnError(t *testing.T) {
	calls := 0
	_, err := collect(t, Cursor(context.Background(), "", func(_ context.Context, cur string) (CursorPage[int], error) {
		calls++
		return CursorPage[int]{Items: []int{calls}, Next: "same"}, nil
	}, Limits{}))
	require.ErrorIs(t, err, ErrStuck)
	assert.Equal(t, 2, calls)
}

func TestContextCheckedBetweenPages(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	var gotErr error
	for _, err := range Cursor(ctx, "", func(_ context.Context, cur string) (CursorPage[int], error) {
		calls++
		return CursorPage[int]{Items: []int{1}, Next: "n" + strconv.Itoa(calls)}, nil
	}, Limits{}) {
		if err != nil {
			gotErr = err
			break
		}
		cancel()
	}
	assert.ErrorIs(t, gotErr, context.Canceled)
	assert.Equal(t, 1, calls)
}

func TestFailYieldsOnce(t *testing.T) {
	boom := errors.New("bad params")
	n := 0
	for v, err := range Fail[int](boom) {
		n++
		assert.Zero(t, v)
		assert.Equal(t, boom, err)
	}
	assert.Equal(t, 1, n)
}

// TestUniqueByDropsRowsShiftedByInsertions: rows are inserted at the front
// of an offset-paged list between pages (another job's audits); without
// UniqueBy the walk yields rows of the previous page again, with it every
// row comes once and repeats do not count toward MaxItems.
func TestUniqueByDropsRowsShiftedByInsertions(t *testing.T) {
	newList := func() (fetch func(context.Context, int) (OffsetPage[string], error)) {
		rows := make([]string, 0, 100)
		for i := 30; i > 0; i-- {
			rows = append(rows, fmt.Sprintf("r%02d", i)) // newest first
		}
		next := 31
		return func(_ context.Context, off int) (OffsetPage[string], error) {
			var page []string
			for i := off; i < len(rows) && len(page) < 10; i++ {
				page = append(page, rows[i])
			}
			for range 3 { // three new rows land at the front after each read
				rows = append([]string{fmt.Sprintf("r%02d", next)}, rows...)
				next++
			}
			return OffsetPage[string]{Items: page, Total: -1}, nil
		}
	}
	collect := func(seq iter.Seq2[string, error]) (all []string, unique map[string]int) {
		unique = map[string]int{}
		for v, err := range seq {
			require.NoError(t, err)
			all = append(all, v)
			unique[v]++
		}
		return all, unique
	}
	ctx := context.Background()
	all, uniq := collect(Offset(ctx, 0, 10, newList(), Limits{MaxPages: 3}))
	assert.Less(t, len(uniq), len(all), "the plain walk repeats shifted rows (the case UniqueBy is for)")

	all, uniq = collect(Offset(ctx, 0, 10, newList(), Limits{MaxPages: 3}, UniqueBy(func(s string) string { return s })))
	assert.Len(t, uniq, len(all), "every row once")
	for k, n := range uniq {
		assert.Equal(t, 1, n, k)
	}

	all, _ = collect(Offset(ctx, 0, 10, newList(), Limits{MaxItems: 25}, UniqueBy(func(s string) string { return s })))
	assert.Len(t, all, 25, "repeats dropped do not count toward MaxItems")
}
