package main

import (
	"context"
	"fmt"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/creatoraudit/creatoraudittest"
)

func init() {
	register(2, "CreatorAudit: track accounts, wait for the first scrape, read metrics", runCreatorAudit)
}

func runCreatorAudit(ctx context.Context) error {
	var (
		c    *creatoraudit.Client
		err  error
		poll []creatoraudit.WaitOption
	)
	if useFake("creatoraudit", "CREATORAUDIT_API_KEY") {
		var opts []creatoraudittest.Option
		if virtualTime {
			opts = append(opts, creatoraudittest.WithVirtualTime())
		}
		srv := creatoraudittest.NewServer(opts...)
		defer srv.Close()
		c, err = srv.NewClient()
		defer func() {
			if c != nil {
				settle("CreatorAudit", c.Usage, srv.Snapshot)
			}
		}()
		poll = srv.PollOptions()
	} else {
		c, err = creatoraudit.NewClient()
	}
	if err != nil {
		return err
	}
	who, err := c.Meta.WhoAmI(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("  organization %s, key %q\n", who.OrganizationID, who.APIKeyName)

	a, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: creator})
	if err != nil {
		return err
	}
	fmt.Printf("  tracking %s @%s (last_scrape_time null: %v)\n", a.Platform, a.Username, !a.Scraped())
	a, err = c.Accounts.GetAndWait(ctx, a.ID, poll...)
	if err != nil {
		return err
	}
	s := a.Summary() // the common creator summary, as every vendor package gives it
	record("CreatorAudit", s)
	fmt.Printf("  first scrape done: %d followers, engagement rate %.2f%%, %d views\n", s.GetFollowers(), s.GetEngagementRate(), a.GetViewCount())

	m, err := c.Accounts.Metrics(ctx, creatoraudit.MetricsParams{IDs: []string{a.ID}, Period: creatoraudit.Period30d})
	if err != nil {
		return err
	}
	if x, ok := m.ByID[a.ID]; ok && x.Views != nil && x.EngagementRate != nil {
		fmt.Printf("  30 days: %d views, engagement rate %.2f%%\n", *x.Views, *x.EngagementRate)
	}
	o, err := c.Overview.Get(ctx, creatoraudit.OverviewParams{Period: creatoraudit.Period7d})
	if err != nil {
		return err
	}
	fmt.Printf("  organization, 7 days: %d active accounts, %d views\n", o.Current.ActiveAccounts, o.Current.TotalViews)
	return nil
}
