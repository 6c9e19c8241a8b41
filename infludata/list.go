package infludata

import (
	"github.com/creatorkit/creatorkit-go/internal/paging"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// listConfig is what ListOptions set: the caps of an iterator over paid
// pages. A zero field keeps the iterator's default cap for paid pages, a
// negative one means no cap.
type listConfig struct {
	maxPages, maxItems int
}

// ListOption caps an iterator over paid pages (Discovery.SearchAll,
// Content.ContentAll, Content.Pull): WithMaxPages, WithMaxItems.
type ListOption func(*listConfig) error

// WithMaxPages caps the pages an iterator fetches. Zero keeps the
// iterator's default for paid pages (SearchAll: DefaultSearchPages;
// ContentAll and Pull: no page cap, their default is on items); a
// negative n means no page cap.
func WithMaxPages(n int) ListOption { return func(c *listConfig) error { c.maxPages = n; return nil } }

// WithMaxItems caps the items an iterator yields. Zero keeps the
// iterator's default for paid pages (ContentAll and Pull:
// DefaultContentItems; SearchAll: no item cap, its default is on pages);
// a negative n means no item cap.
func WithMaxItems(n int) ListOption { return func(c *listConfig) error { c.maxItems = n; return nil } }

// listLimits resolves opts over the iterator's default caps (def).
func listLimits(op string, def paging.Limits, opts []ListOption) (paging.Limits, error) {
	var cfg listConfig
	if err := transport.ApplyOptions(vendor, op, &cfg, opts); err != nil {
		return paging.Limits{}, err
	}
	set := func(l *paging.Limits) error { l.MaxPages, l.MaxItems = cfg.maxPages, cfg.maxItems; return nil }
	return paging.ResolveLimits(vendor, op, def, []func(*paging.Limits) error{set})
}
