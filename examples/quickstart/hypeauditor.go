package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
)

func init() {
	register(4, "HypeAuditor: reports across networks, connections, discovery sandbox", runHypeAuditor)
}

func runHypeAuditor(ctx context.Context) error {
	var (
		c      *hypeauditor.Client
		err    error
		wait   []hypeauditor.WaitOption
		onFake = useFake("hypeauditor", "HYPEAUDITOR_CLIENT_ID", "HYPEAUDITOR_API_TOKEN")
	)
	if onFake {
		srv := hypeauditortest.NewServer()
		defer srv.Close()
		c, err = srv.NewClient()
		wait = srv.PollOptions()
	} else {
		c, err = hypeauditor.NewClient()
	}
	if err != nil {
		return err
	}
	plan, err := c.Account.PlanInfo(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("  plan %s: %d report credits, %d discovery requests\n", plan.Reports.Plan, plan.Reports.Credits, plan.Discovery.Requests)

	// Free: the creator's accounts on every network.
	conns, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: "nasa", Type: hypeauditor.NetworkInstagram})
	if err != nil {
		return err
	}
	fmt.Printf("  @nasa has %d accounts across networks (%d on YouTube)\n", len(conns.Accounts), len(conns.ByNetwork(hypeauditor.NetworkYouTube)))

	// One report per network, waiting out each retryTtl.
	ig, err := c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{Username: "nasa"}, wait...)
	if err != nil {
		return err
	}
	s := ig.Summary()
	fmt.Printf("  instagram @%s: AQS %.0f (%s), ER %.2f%%, %.1f%% real audience\n", s.Username, *s.Score, s.ScoreMark, *s.ER, float64(*s.AudienceType.Real))
	yt, err := c.Reports.YouTubeAndWait(ctx, hypeauditor.YouTubeParams{Channel: "UCLA_DiR1FfKNvjuUpBHmylQ"}, wait...)
	if err != nil {
		return err
	}
	s = yt.Summary()
	fmt.Printf("  youtube %s: CQS %.0f (%s), ER %.2f%%, %d credits left\n", s.Title, *s.Score, s.ScoreMark, *s.ER, *yt.RestTokens)

	if onFake {
		// A private account is a typed outcome, refunded.
		_, err = c.Reports.TikTokAndWait(ctx, hypeauditor.TikTokParams{Channel: "someprivateaccount"}, wait...)
		var ue *hypeauditor.UnavailableError
		if !errors.As(err, &ue) {
			return fmt.Errorf("expected an unavailable report, got %v", err)
		}
		fmt.Printf("  tiktok @someprivateaccount: no report (%s), credit refunded\n", ue.State)
	}

	// The discovery sandbox is free.
	page, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{SocialNetwork: hypeauditor.NetworkTikTok, SubscribersCount: hypeauditor.AtLeast(100_000)}, hypeauditor.WithSandbox())
	if err != nil {
		return err
	}
	fmt.Printf("  discovery sandbox: %d creators on page 1 of %d (free)\n", len(page.Items()), page.TotalPages)
	return nil
}
