package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
)

func init() { register(1, "EngageCheck: audience-quality audits", runEngageCheck) }

func runEngageCheck(ctx context.Context) error {
	var (
		c    *engagecheck.Client
		err  error
		poll []engagecheck.WaitOption
	)
	if useFake("engagecheck", "ENGAGECHECK_API_KEY") {
		var opts []engagechecktest.Option
		if virtualTime {
			opts = append(opts, engagechecktest.WithVirtualTime())
		}
		srv := engagechecktest.NewServer(opts...)
		defer srv.Close()
		c, err = srv.NewClient()
		defer func() {
			if c != nil {
				settle("EngageCheck", c.Usage, srv.Snapshot)
			}
		}()
		poll = srv.PollOptions()
	} else {
		c, err = engagecheck.NewClient()
	}
	if err != nil {
		return err
	}
	cr, err := c.Credits.Get(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("  key %s: %d credits, %d requests a minute\n", cr.KeyPrefix, cr.CreditsRemaining, cr.RateLimitPerMin)

	a, err := c.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: creator}, poll...)
	if err != nil {
		return err
	}
	s := a.Summary() // the common creator summary, the same shape from every vendor
	record("EngageCheck", s)
	fmt.Printf("  @%s (%s): %d followers, ER %.2f%%", s.Username, s.DisplayName, s.GetFollowers(), s.GetEngagementRate())
	if q := s.Quality; q != nil {
		fmt.Printf(", %s %.0f (%s)", q.Name, q.Score, q.Verdict)
	}
	fmt.Printf(", %.0f%% bot comments\n", a.Report.CommentQuality.BotCommentPercentage)

	for ans, err := range c.Audits.CreateAndWaitAll(ctx, []string{"nasa", "@NatGeo", "someprivateaccount"}, poll...) {
		a := ans.Value // ans.Index and ans.Input say which input it answers
		var ie *engagecheck.ItemError
		switch {
		case errors.As(err, &ie):
			fmt.Printf("  %s: no report: %s\n", ie.Item, ie.Reason)
		case err != nil:
			return err
		default:
			fmt.Printf("  @%s: AQS %.0f, verdict %s\n", a.Username, a.GetAQS(), a.Verdict)
		}
	}
	return nil
}
