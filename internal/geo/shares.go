package geo

import (
	"cmp"
	"slices"
	"strings"

	"github.com/creatorkit/creatorkit-go"
)

// Shares turns a breakdown keyed by bucket (a map of percentages) into
// the summary's shares, largest first (ties by code). key maps each
// vendor key to the summary's code; an empty result drops the bucket, and
// keys that map to the same code are added up.
func Shares(m map[string]float64, key func(string) string) []creatorkit.Share {
	sum := map[string]float64{}
	for k, v := range m {
		if c := key(k); c != "" {
			sum[c] += v
		}
	}
	if len(sum) == 0 {
		return nil
	}
	out := make([]creatorkit.Share, 0, len(sum))
	for c, v := range sum {
		out = append(out, creatorkit.Share{Code: c, Percent: v})
	}
	SortShares(out)
	return out
}

// CountryShares is Shares with the keys read as country codes or names
// and written as ISO 3166-1 alpha-2 codes; keys that name no country
// ("Other") are left out.
func CountryShares(m map[string]float64) []creatorkit.Share {
	return Shares(m, func(k string) string {
		code, _ := ISO2(k)
		return code
	})
}

// SortShares orders shares largest first, ties by code.
func SortShares(s []creatorkit.Share) {
	slices.SortFunc(s, func(a, b creatorkit.Share) int {
		if c := cmp.Compare(b.Percent, a.Percent); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	})
}
