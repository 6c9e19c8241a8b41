package engagecheck

import "github.com/creatorkit/creatorkit-go/internal/transport"

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

// listLimits applies opts to a zero Limits for a free iterator: zero and
// negative fields both mean no cap (0 for the pager).
func listLimits(op string, opts []ListOption) (Limits, error) {
	var lim Limits
	if err := transport.ApplyOptions(vendor, op, &lim, opts); err != nil {
		return Limits{}, err
	}
	return Limits{MaxPages: max(lim.MaxPages, 0), MaxItems: max(lim.MaxItems, 0)}, nil
}
