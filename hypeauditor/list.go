package hypeauditor

import "github.com/creatorkit/creatorkit-go/internal/paging"

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

// listLimits resolves opts over the iterator's default caps (def).
func listLimits(op string, def Limits, opts []ListOption) (Limits, error) {
	return paging.ResolveLimits(vendor, op, def, opts)
}
