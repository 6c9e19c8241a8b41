package engagecheck

import "github.com/creatorkit/creatorkit-go/internal/paging"

// ListOption caps an iterator (Audits.ListAll), as in every creatorkit-go
// package.
type ListOption func(*Limits) error

// WithMaxPages caps the pages an iterator fetches. Zero keeps the
// iterator's default: no cap here, as EngageCheck's list is free; a
// negative n means no cap.
func WithMaxPages(n int) ListOption { return func(l *Limits) error { l.MaxPages = n; return nil } }

// WithMaxItems caps the items an iterator yields. Zero keeps the
// iterator's default: no cap here, as EngageCheck's list is free; a
// negative n means no cap.
func WithMaxItems(n int) ListOption { return func(l *Limits) error { l.MaxItems = n; return nil } }

// listLimits resolves opts for a free iterator: no default cap.
func listLimits(op string, opts []ListOption) (Limits, error) {
	return paging.ResolveLimits(vendor, op, Limits{}, opts)
}
