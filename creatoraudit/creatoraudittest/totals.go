package creatoraudittest

import (
	"math"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
)

// Totals kept up to date as accounts are scraped, paused, linked and
// deleted, so that the overview and the leaderboard are O(1) reads.

// periods are the windows the overview and the leaderboard take.
var periods = [3]int{7, 30, 90}

// periodIndex is the index in periods of a window of days (-1 for a
// custom one).
func periodIndex(days int) int {
	for i, d := range periods {
		if d == days {
			return i
		}
	}
	return -1
}

// metricSum is a sum of metricValues.
type metricSum struct {
	views, plays, likes, comments, shares, saved int64
	savedN                                       int64 // how many of the summed values had a saved count
}

func (m *metricSum) add(v metricValues, sign int64) {
	m.views += sign * v.views
	m.plays += sign * v.plays
	m.likes += sign * v.likes
	m.comments += sign * v.comments
	m.shares += sign * v.shares
	if v.saved != nil {
		m.saved += sign * *v.saved
		m.savedN += sign
	}
}

// values is what adding the summed values one by one with
// metricValues.add gives.
func (m metricSum) values() metricValues {
	v := metricValues{views: m.views, plays: m.plays, likes: m.likes, comments: m.comments, shares: m.shares}
	if m.savedN > 0 {
		v.saved = intp(m.saved)
	}
	if v.views > 0 {
		v.er = math.Round(float64(v.likes+v.comments+v.shares)/float64(v.views)*10000) / 100
	}
	return v
}

// orgTotals are the overview's totals over the accounts that count.
type orgTotals struct {
	cur, prev [3]metricSum // active accounts, per period; prev: 10% fewer views
	active    int64
	daily     [3]metricSum // every account that counts: day i of any window sums daily[i%3]
	visibleAV int64        // account videos discovered
}

// add adds an account that counts (sign 1) or takes it out (-1).
func (o *orgTotals) add(a *account, sign int64) {
	src := accountSource(a)
	for r := range o.daily {
		o.daily[r].add(valuesOf(daily(src, r), src), sign) // daily(src, i) depends on i%3 only
	}
	if !a.isActive {
		return
	}
	o.active += sign
	for i, days := range periods {
		m := metricsFor(src, days)
		o.cur[i].add(m, sign)
		o.prev[i].add(valuesOf(m.views*9/10, src), sign)
	}
}

// creatorTotals are a creator's totals over its linked accounts that
// count: for all of them, its Instagram ones and its TikTok ones, per
// period, and their followers.
type creatorTotals struct {
	m   [3][3]metricSum
	fol [3]int64
}

// platformIndex is the index of a platform filter in creatorTotals.
func platformIndex(p creatoraudit.Platform) int {
	switch p {
	case creatoraudit.Instagram:
		return 1
	case creatoraudit.TikTok:
		return 2
	}
	return 0
}

func (t *creatorTotals) add(a *account, sign int64) {
	src := accountSource(a)
	pfs := []int{0}
	if i := platformIndex(a.platform); i != 0 {
		pfs = append(pfs, i)
	}
	for _, pf := range pfs {
		for i, days := range periods {
			t.m[pf][i].add(metricsFor(src, days), sign)
		}
		t.fol[pf] += sign * followers(a)
	}
}
