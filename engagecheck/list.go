package engagecheck

import (
	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/internal/paging"
)

// ListOption caps an iterator (Audits.ListAll), as in every creatorkit-go
// package. Build it with WithMaxPages and WithMaxItems.
type ListOption func(*listConfig) error

// listConfig is what the list options set: the caps.
type listConfig struct{ limits creatorkit.Limits }

// WithMaxPages caps the pages an iterator fetches. Zero keeps the
// iterator's default: no cap here, as EngageCheck's list is free; a
// negative n means no cap.
func WithMaxPages(n int) ListOption {
	return func(c *listConfig) error { c.limits.MaxPages = n; return nil }
}

// WithMaxItems caps the items an iterator yields (a row it could not read
// counts: see Audits.ListAll). Zero keeps the iterator's default: no cap
// here, as EngageCheck's list is free; a negative n means no cap.
func WithMaxItems(n int) ListOption {
	return func(c *listConfig) error { c.limits.MaxItems = n; return nil }
}

// listLimits resolves opts for a free iterator: no default cap.
func listLimits(op string, opts []ListOption) (creatorkit.Limits, error) {
	var cfg listConfig
	lifted := make([]func(*creatorkit.Limits) error, 0, len(opts))
	for _, o := range opts {
		if o == nil {
			continue
		}
		lifted = append(lifted, func(l *creatorkit.Limits) error {
			cfg.limits = *l
			if err := o(&cfg); err != nil {
				return err
			}
			*l = cfg.limits
			return nil
		})
	}
	return paging.ResolveLimits(vendor, op, creatorkit.Limits{}, lifted)
}
