package infludata

import "github.com/creatorkit/creatorkit-go/internal/paging"

// ListOption caps an iterator over paid pages (Discovery.SearchAll,
// Content.ContentAll, Content.Pull).
type ListOption func(*Limits) error

// WithMaxPages caps the pages an iterator fetches. Zero keeps the
// iterator's default for paid pages (SearchAll: DefaultSearchPages;
// ContentAll and Pull: no page cap, their default is on items); a
// negative n means no page cap.
func WithMaxPages(n int) ListOption { return func(l *Limits) error { l.MaxPages = n; return nil } }

// WithMaxItems caps the items an iterator yields. Zero keeps the
// iterator's default for paid pages (ContentAll and Pull:
// DefaultContentItems; SearchAll: no item cap, its default is on pages);
// a negative n means no item cap.
func WithMaxItems(n int) ListOption { return func(l *Limits) error { l.MaxItems = n; return nil } }

// listLimits resolves opts over the iterator's default caps (def).
func listLimits(op string, def Limits, opts []ListOption) (Limits, error) {
	return paging.ResolveLimits(vendor, op, def, opts)
}
