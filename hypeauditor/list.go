package hypeauditor

import "github.com/creatorkit/creatorkit-go/internal/transport"

// ListOption caps an iterator (Discovery.SearchAll, Unlocked.ListAll,
// Creators.ListAll). Like every creatorkit-go package's ListOption it
// sets a Limits; a bad option is yielded as the iterator's first and only
// error.
type ListOption func(*Limits) error

// WithMaxPages caps the pages an iterator fetches. Zero keeps the
// iterator's default for paid pages (SearchAll on live discovery:
// DefaultSearchMaxPages; the sandbox, Unlocked.ListAll and
// Creators.ListAll are free: no cap); a negative n means no page cap.
func WithMaxPages(n int) ListOption { return func(l *Limits) error { l.MaxPages = n; return nil } }

// WithMaxItems caps the items an iterator yields. Zero keeps the
// iterator's default (no item cap for any iterator of this package: the
// paid one, SearchAll, is capped on pages); a negative n means no item
// cap.
func WithMaxItems(n int) ListOption { return func(l *Limits) error { l.MaxItems = n; return nil } }

// listLimits applies opts over a zero Limits and then the iterator's
// defaults, field by field: a zero field takes def's value (the default
// cap for paid pages; 0 in def is no cap), a negative field becomes 0, no
// cap, for the pager.
func listLimits(op string, def Limits, opts []ListOption) (Limits, error) {
	var lim Limits
	if err := transport.ApplyOptions(vendor, op, &lim, opts); err != nil {
		return Limits{}, err
	}
	resolve := func(v, d int) int {
		switch {
		case v == 0:
			return d
		case v < 0:
			return 0
		}
		return v
	}
	return Limits{MaxPages: resolve(lim.MaxPages, def.MaxPages), MaxItems: resolve(lim.MaxItems, def.MaxItems)}, nil
}
