package hypeauditor

import (
	"errors"

	"github.com/creatorkit/creatorkit-go/internal/paging"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// ListOption tunes an iterator (Discovery.SearchAll and SearchSandboxAll,
// Unlocked.ListAll, Creators.ListAll, Reports.YouTubeMediaAll,
// Lists.ReportsAll): its caps, and for the discovery walks a page
// callback. Like every creatorkit-go package's ListOption it works on an
// unexported config; a bad option, or one the iterator cannot use, is
// yielded as the iterator's first and only error (ErrInvalidParams),
// before anything is sent.
type ListOption func(*listConfig) error

// listConfig is what the ListOptions set: the caps as given (resolved
// over each iterator's defaults by listOptions) and the page callback.
type listConfig struct {
	lim      paging.Limits
	pageFunc func(*SearchPage)
}

// WithMaxPages caps the pages an iterator fetches. Zero keeps the
// iterator's default for paid pages (SearchAll on live discovery:
// DefaultSearchMaxPages; the sandbox, Unlocked.ListAll and
// Creators.ListAll are free: no cap); a negative n means no page cap.
func WithMaxPages(n int) ListOption {
	return func(c *listConfig) error { c.lim.MaxPages = n; return nil }
}

// WithMaxItems caps the items an iterator yields. Zero keeps the
// iterator's default (no item cap for any iterator of this package: the
// paid one, SearchAll, is capped on pages); a negative n means no item
// cap.
func WithMaxItems(n int) ListOption {
	return func(c *listConfig) error { c.lim.MaxItems = n; return nil }
}

// WithPageFunc calls fn with each discovery page Discovery.SearchAll or
// SearchSandboxAll fetches (its QueriesLeft, TotalPages, Response),
// before the page's results are yielded. It runs on the iterating
// goroutine; keep it quick. The other iterators refuse it
// (ErrInvalidParams); a single page's Search returns the page itself.
func WithPageFunc(fn func(*SearchPage)) ListOption {
	return func(c *listConfig) error {
		if fn == nil {
			return errors.New("WithPageFunc: fn is nil")
		}
		c.pageFunc = fn
		return nil
	}
}

// listOptions applies opts and resolves the caps over the iterator's
// defaults (def); a page callback is refused unless pages says the
// iterator has discovery pages to show it.
func listOptions(op string, def paging.Limits, pages bool, opts []ListOption) (listConfig, error) {
	var cfg listConfig
	if err := transport.ApplyOptions(vendor, op, &cfg, opts); err != nil {
		return cfg, err
	}
	if cfg.pageFunc != nil && !pages {
		return cfg, invalidParams(op, "options", "WithPageFunc applies to Discovery.SearchAll and Discovery.SearchSandboxAll only")
	}
	lim, err := paging.ResolveLimits(vendor, op, def, []func(*paging.Limits) error{func(l *paging.Limits) error { *l = cfg.lim; return nil }})
	cfg.lim = lim
	return cfg, err
}
