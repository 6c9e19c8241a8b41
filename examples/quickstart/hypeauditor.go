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
		var opts []hypeauditortest.Option
		if virtualTime {
			opts = append(opts, hypeauditortest.WithVirtualTime())
		}
		srv := hypeauditortest.NewServer(opts...)
		defer srv.Close()
		c, err = srv.NewClient()
		defer func() {
			if c != nil {
				settle("HypeAuditor", c.Usage, srv.Snapshot)
			}
		}()
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
	conns, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: creator, Type: hypeauditor.Instagram})
	if err != nil {
		return err
	}
	fmt.Printf("  @%s has %d accounts across networks (%d on YouTube)\n", creator, len(conns.Accounts), len(conns.ByPlatform(hypeauditor.YouTube)))

	// One report per network, waiting out each retryTtl.
	ig, err := c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{Username: creator}, wait...)
	if err != nil {
		return err
	}
	s := ig.Summary() // the common creator summary, the same shape from every vendor
	record("HypeAuditor", s)
	printHypeAuditorSummary(s)
	yt, err := c.Reports.YouTubeAndWait(ctx, hypeauditor.YouTubeParams{Channel: creator}, wait...)
	if err != nil {
		return err
	}
	printHypeAuditorSummary(yt.Summary())
	if yt.RestTokens != nil {
		fmt.Printf("  %d report credits left\n", *yt.RestTokens)
	}

	if onFake {
		// A private account is a typed outcome, refunded.
		_, err = c.Reports.TikTokAndWait(ctx, hypeauditor.TikTokParams{Channel: "someprivateaccount"}, wait...)
		var ie *hypeauditor.ItemError
		if !errors.As(err, &ie) {
			return fmt.Errorf("expected an unavailable report, got %v", err)
		}
		fmt.Printf("  tiktok @%s: %s (%s), credit refunded\n", ie.Item, ie.Reason, ie.State)
	}

	// The discovery sandbox is free.
	page, err := c.Discovery.SearchSandbox(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok, SubscribersCount: hypeauditor.AtLeast(100_000)})
	if err != nil {
		return err
	}
	fmt.Printf("  discovery sandbox: %d creators on page 1 of %d (free)\n", len(page.Items()), page.TotalPages)
	return nil
}

// printHypeAuditorSummary prints a report's summary; any figure may be
// missing from a real report.
func printHypeAuditorSummary(s hypeauditor.Summary) {
	fmt.Printf("  %s @%s (%s): %d followers, ER %.2f%%", s.Platform, s.Username, s.DisplayName, s.GetFollowers(), s.GetEngagementRate())
	if q := s.Quality; q != nil {
		fmt.Printf(", %s %.0f (%s)", q.Name, q.Score, q.Verdict)
	}
	if len(s.AudienceCountries) > 0 {
		fmt.Printf(", top audience country %s %.1f%%", s.AudienceCountries[0].Code, s.AudienceCountries[0].Percent)
	}
	fmt.Println()
}
