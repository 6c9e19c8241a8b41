package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/infludata/infludatatest"
)

// roster is the 30 handles to vet, as an agency's spreadsheet has them.
func roster() []string {
	r := []string{"@Cristiano", "leomessi", "adidas", "https://www.instagram.com/example_user/", "someprivate_acct", "not a handle!", "fresh_face_2026"}
	for i := 1; len(r) < 30; i++ {
		r = append(r, fmt.Sprintf("ig_creator_%03d", i))
	}
	return r
}

// vendors are the three clients, on the real APIs when their credentials
// are set and on the built-in fakes otherwise.
type vendors struct {
	ec     *engagecheck.Client
	id     *infludata.Client
	ha     *hypeauditor.Client
	ecWait []engagecheck.WaitOption
	idWait []infludata.WaitOption
	haWait []hypeauditor.WaitOption
	close  func()
}

func openVendors() (*vendors, error) {
	v := &vendors{close: func() {}}
	var closers []func()
	v.close = func() {
		for _, c := range closers {
			c()
		}
	}
	var err error
	if os.Getenv("ENGAGECHECK_API_KEY") == "" {
		srv := engagechecktest.NewServer(engagechecktest.WithSequentialBatches(false))
		closers = append(closers, srv.Close)
		v.ec, v.ecWait = must(srv.NewClient()), srv.PollOptions()
		fmt.Println("(EngageCheck: built-in fake)")
	} else if v.ec, err = engagecheck.NewClient(); err != nil {
		return nil, err
	}
	if os.Getenv("INFLUDATA_API_KEY") == "" {
		srv := infludatatest.NewServer()
		closers = append(closers, srv.Close)
		v.id, v.idWait = must(srv.NewClient()), srv.PollOptions()
		fmt.Println("(influData: built-in fake)")
	} else if v.id, err = infludata.NewClient(); err != nil {
		return nil, err
	}
	if os.Getenv("HYPEAUDITOR_CLIENT_ID") == "" || os.Getenv("HYPEAUDITOR_API_TOKEN") == "" {
		srv := hypeauditortest.NewServer()
		closers = append(closers, srv.Close)
		v.ha, v.haWait = must(srv.NewClient()), srv.PollOptions()
		fmt.Println("(HypeAuditor: built-in fake)")
	} else if v.ha, err = hypeauditor.NewClient(); err != nil {
		return nil, err
	}
	return v, nil
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// reason is why a call gave no figure: a per-item reason, or the error.
func reason(err error) string {
	var ie *creatorkit.ItemError
	if errors.As(err, &ie) {
		return ie.Reason
	}
	return err.Error()
}

func firstSet[T any](ps ...*T) *T {
	for _, p := range ps {
		if p != nil {
			return p
		}
	}
	return nil
}

func count(n *int64) string {
	if n == nil {
		return "-"
	}
	return fmt.Sprint(*n)
}

func pct(f *float64) string {
	if f == nil {
		return "-"
	}
	return fmt.Sprintf("%.2f", *f)
}

func score(q *creatorkit.Quality) string {
	if q == nil {
		return "-"
	}
	return fmt.Sprintf("%.0f %s", q.Score, q.Verdict)
}

func country(s []creatorkit.Share) string {
	if len(s) == 0 {
		return "-"
	}
	return fmt.Sprintf("%s %.0f%%", s[0].Code, s[0].Percent)
}

func join(why []string) string { return strings.Join(why, "; ") }
