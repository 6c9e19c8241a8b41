package fake

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type rec struct {
	seq  int
	key  int
	live bool
}

// A view kept up to date through random adds, removes and changes holds
// exactly what a fresh scan and a stable sort find, and a snapshot from
// Items does not move.
func TestViewMatchesAFreshScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var all []*rec
	scan := func(yield func(*rec) bool) {
		for _, r := range all {
			if r.live && !yield(r) {
				return
			}
		}
	}
	match := func(r *rec) bool { return r.key%3 != 0 }
	for _, desc := range []bool{false, true} {
		order := func(a, b *rec) int {
			c := cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.seq, b.seq))
			if desc {
				return -c
			}
			return c
		}
		all = nil
		var vs Views[*rec]
		v := vs.Get("q", func() *View[*rec] { return NewView(match, order, scan) })
		var snap, snapWant []*rec
		for step := 0; step < 3000; step++ {
			switch op := rng.IntN(10); {
			case op < 5 || len(all) == 0: // a new record, most often the newest by key
				r := &rec{seq: len(all), key: len(all) / 2, live: true}
				if rng.IntN(3) == 0 {
					r.key = rng.IntN(100)
				}
				all = append(all, r)
				vs.Add(r)
			case op < 7:
				r := all[rng.IntN(len(all))]
				if r.live {
					vs.Remove(r)
					r.live = false
				}
			default:
				r := all[rng.IntN(len(all))]
				if r.live {
					vs.Change(r, func() { r.key = rng.IntN(100) })
				}
			}
			if step == 1000 {
				snap = v.Items()
				snapWant = slices.Clone(snap)
			}
			if step%97 == 0 {
				fresh := NewView(match, order, scan)
				require.Equal(t, fresh.Len(), v.Len(), "step %d", step)
				for i := 0; i < v.Len(); i++ {
					require.Same(t, fresh.At(i), v.At(i), "step %d position %d", step, i)
				}
			}
		}
		assert.Equal(t, snapWant, snap, "a snapshot is a point in time")
	}
}

func TestViewsEvictTheLeastRecentlyUsed(t *testing.T) {
	vs := Views[int]{Max: 2}
	builds := 0
	build := func() *View[int] {
		builds++
		return NewView(nil, cmp.Compare[int], slices.Values([]int{3, 1, 2}))
	}
	vs.Get("a", build)
	vs.Get("b", build)
	vs.Get("a", build)
	vs.Get("c", build) // evicts b
	assert.Equal(t, 3, builds)
	vs.Get("a", build)
	assert.Equal(t, 3, builds)
	vs.Get("b", build)
	assert.Equal(t, 4, builds)
	v := vs.Get("b", build)
	vs.Add(0)
	assert.Equal(t, []int{0, 1, 2, 3}, v.Items())
	n := 0
	assert.Equal(t, 4, v.Memo(func() any { n++; return v.Len() }))
	assert.Equal(t, 4, v.Memo(func() any { n++; return v.Len() }))
	vs.Remove(2)
	assert.Equal(t, 3, v.Memo(func() any { n++; return v.Len() }))
	assert.Equal(t, 2, n, "memo recomputed after a change only")
}

func TestCheckViewsPanicsOnAStaleView(t *testing.T) {
	CheckViews(true)
	defer CheckViews(false)
	data := []int{1, 2}
	var vs Views[int]
	build := func() *View[int] { return NewView(nil, cmp.Compare[int], slices.Values(data)) }
	vs.Get("q", build)
	data = append(data, 3) // not passed on with vs.Add
	assert.Panics(t, func() { vs.Get("q", build) })
}

func TestDuePopsInTimeThenAddOrder(t *testing.T) {
	var d Due[string]
	t0 := time.Now()
	d.Add(t0.Add(3*time.Second), "c")
	d.Add(t0.Add(time.Second), "a")
	d.Add(t0.Add(time.Second), "b")
	d.Add(t0.Add(time.Hour), "z")
	assert.Empty(t, d.Pop(t0))
	assert.Equal(t, []string{"a", "b"}, d.Pop(t0.Add(time.Second)))
	assert.Equal(t, []string{"c"}, d.Pop(t0.Add(time.Minute)))
	assert.Equal(t, 1, d.Len())
}

func TestTextIndexCandidatesHoldEveryMatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var ix TextIndex[int]
	var texts []string
	for i := 0; i < 2000; i++ {
		b := make([]byte, 4+rng.IntN(8))
		for j := range b {
			b[j] = "abcde_"[rng.IntN(6)]
		}
		texts = append(texts, string(b))
		ix.Add(i, string(b))
	}
	for _, needle := range []string{"abc", "e_a", "dddd", "a_b_c", "zzz", "abcdeab"} {
		cands, ok := ix.Candidates(needle)
		require.True(t, ok)
		in := map[int]bool{}
		for _, c := range cands {
			in[c] = true
		}
		for i, s := range texts {
			if strings.Contains(s, needle) {
				assert.True(t, in[i], "%q holds %q", s, needle)
			}
		}
		assert.True(t, slices.IsSorted(cands), "in the order added")
	}
	_, ok := ix.Candidates("ab")
	assert.False(t, ok, "short needles are scanned")
}
