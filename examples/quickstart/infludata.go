package main

import (
	"context"
	"fmt"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/infludata/infludatatest"
)

func init() {
	register(3, "influData: profiles, audience reports, discovery and content, cost-aware", runInfluData)
}

func runInfluData(ctx context.Context) error {
	var (
		c    *infludata.Client
		err  error
		poll []infludata.WaitOption
	)
	if useFake("infludata", "INFLUDATA_API_KEY") {
		var opts []infludatatest.Option
		if virtualTime {
			opts = append(opts, infludatatest.WithVirtualTime())
		}
		srv := infludatatest.NewServer(opts...)
		defer srv.Close()
		c, err = srv.NewClient()
		defer func() {
			if c != nil {
				settle("influData", c.Usage, srv.Snapshot)
			}
		}()
		poll = srv.PollOptions()
	} else {
		c, err = infludata.NewClient() // INFLUDATA_PLAN=trial for a trial key
	}
	if err != nil {
		return err
	}

	// Free: the balance and the data status.
	info, err := c.Account.Get(ctx, infludata.ClientInfoParams{ClientID: ""})
	if err != nil {
		return err
	}
	fmt.Printf("  account %s: %d tokens left\n", info.ClientID, info.ReportsLeft)
	st, err := c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: infludata.Instagram, Username: creator})
	if err != nil {
		return err
	}
	fmt.Printf("  @%s: %s (free check)\n", creator, st.Describe())

	// GetAndWait always asks for the audience report: 20 tokens, spent once the report
	// exists (checkDataStatus is polled, not getUserData).
	p, err := c.Profiles.GetAndWait(ctx, infludata.GetProfileParams{Platform: infludata.Instagram, Username: creator}, poll...)
	if err != nil {
		return err
	}
	sum := p.Summary()
	record("influData", sum)
	top := "-"
	if len(sum.AudienceCountries) > 0 {
		top = fmt.Sprintf("%s %.1f%%", sum.AudienceCountries[0].Code, sum.AudienceCountries[0].Percent)
	}
	fmt.Printf("  @%s: %d followers, ER %.2f%%, top audience country %s\n", sum.Username, sum.GetFollowers(), sum.GetEngagementRate(), top)

	// 1 token: one discovery page of 20.
	page, err := c.Discovery.Search(ctx, infludata.SearchParams{Platform: infludata.Instagram, Country: "Germany", FollowerMin: 10000,
		Categories: []infludata.Category{infludata.CategoryFitness}})
	if err != nil {
		return err
	}
	fmt.Printf("  discovery: %d German fitness creators match; first page:", page.Count)
	for i, u := range page.Users {
		if i == 3 {
			break
		}
		fmt.Printf(" %s", u)
	}
	fmt.Println()

	// 1 token per item: an explicit cap.
	n := 0
	for it, err := range c.Content.ContentAll(ctx, infludata.ContentParams{Tags: []string{"fashion"}, Limit: 5}, infludata.WithMaxItems(5)) {
		if err != nil {
			return err
		}
		if n == 0 {
			fmt.Printf("  newest #fashion piece: @%s %s, engagement %.2f%%\n", it.Username, it.ContentType, it.EngagementPercent())
		}
		n++
	}
	u := c.Usage()
	paid := int64(0)
	for _, op := range u.Operations {
		if op.Unit != "" {
			paid += op.Calls
		}
	}
	fmt.Printf("  spent %d tokens in %d paid calls (profile 20, discovery 1, content %d)\n", u.Spent, paid, n)
	return nil
}
