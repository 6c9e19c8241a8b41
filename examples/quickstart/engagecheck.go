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
		poll []engagecheck.RunOption
	)
	if useFake("engagecheck", "ENGAGECHECK_API_KEY") {
		srv := engagechecktest.NewServer()
		defer srv.Close()
		c, err = srv.NewClient()
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

	a, err := c.Audits.Run(ctx, "natgeo", poll...)
	if err != nil {
		return err
	}
	fmt.Printf("  @%s: AQS %d (%s), verdict %s, %.0f%% bot comments\n", a.Username, *a.AQS, engagecheck.BandOf(*a.AQS), a.Verdict, a.Report.CommentQuality.BotCommentPercentage)

	for a, err := range c.Audits.RunAll(ctx, []string{"nasa", "@NatGeo", "someprivateaccount"}, poll...) {
		var ae *engagecheck.AuditError
		switch {
		case errors.As(err, &ae) && errors.Is(err, engagecheck.ErrAuditFailed):
			fmt.Printf("  @%s: failed (refunded): %s\n", ae.Username, ae.Message)
		case err != nil:
			return err
		default:
			fmt.Printf("  @%s: AQS %d, verdict %s\n", a.Username, *a.AQS, a.Verdict)
		}
	}
	return nil
}
