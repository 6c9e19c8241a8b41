package infludata

import "github.com/creatorkit/creatorkit-go/internal/transport"

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
