package transport

import (
	"slices"

	"github.com/creatorkit/creatorkit-go/internal/limit"
)

// A vendor client whose API spans several hosts (Ylytic's three, First
// Party's verification and insights hosts, HypeAuditor's two roots) holds
// one Client per distinct host; these are what such a client shares.

// NewPerHost builds the Clients of a vendor client with several hosts:
// one per distinct base URL, each from s with its BaseURL replaced, all
// on one limiter (s.Limiter, else a window limiter of s.Windows): the
// hosts serve the same account. byHost holds a Client per base given (the
// same one for equal bases), all each distinct one once, in the order
// first named.
func NewPerHost(s Settings, bases ...string) (byHost, all []*Client, err error) {
	if s.Limiter == nil {
		s.Limiter = limit.NewWindow(s.Windows...)
	}
	byURL := map[string]*Client{}
	for _, base := range bases {
		t := byURL[base]
		if t == nil {
			hs := s
			hs.BaseURL = base
			if t, err = New(hs); err != nil {
				return nil, nil, err
			}
			byURL[base] = t
			all = append(all, t)
		}
		byHost = append(byHost, t)
	}
	return byHost, all, nil
}

// LatestRateLimit returns the rate-limit state of the latest response
// that carried one, over the Clients of several hosts.
func LatestRateLimit(cs ...*Client) RateLimit {
	var rl RateLimit
	for _, t := range cs {
		if r := t.RateLimit(); r.Known && (!rl.Known || r.Observed.After(rl.Observed)) {
			rl = r
		}
	}
	return rl
}

// TotalUsage sums the usage of the Clients of several hosts (SumUsage),
// each distinct Client once.
func TotalUsage(cs ...*Client) Usage {
	u := cs[0].Usage()
	for i, t := range cs[1:] {
		if !slices.Contains(cs[:i+1], t) {
			u = SumUsage(u, t.Usage())
		}
	}
	return u
}
