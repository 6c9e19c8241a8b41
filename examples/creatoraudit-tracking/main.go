// Command creatoraudit-tracking tracks a few creators' accounts on
// Instagram and TikTok with CreatorAudit, groups each creator's accounts,
// waits for CreatorAudit's first scrape (Accounts.GetAndWait), prints each
// account's common creator summary (Account.Summary: followers and
// engagement rate), then 30-day metrics and the creator leaderboard.
//
//	go run ./examples/creatoraudit-tracking
//
// Without CREATORAUDIT_API_KEY it runs on the in-process fake
// (creatoraudittest) and says so; with it, it calls the real API and
// really tracks the accounts below.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/creatoraudit/creatoraudittest"
)

// roster is what to track: a creator and its handle on each platform.
var roster = []struct {
	creator string
	handles map[creatoraudit.Platform]string
}{
	{"National Geographic", map[creatoraudit.Platform]string{creatoraudit.Instagram: "natgeo", creatoraudit.TikTok: "natgeo"}},
	{"NASA", map[creatoraudit.Platform]string{creatoraudit.Instagram: "nasa", creatoraudit.TikTok: "nasa"}},
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	var (
		c    *creatoraudit.Client
		err  error
		poll []creatoraudit.WaitOption
	)
	if os.Getenv("CREATORAUDIT_API_KEY") == "" {
		fmt.Println("CREATORAUDIT_API_KEY not set: using the in-process fake (creatoraudittest), no network")
		srv := creatoraudittest.NewServer()
		defer srv.Close()
		c, err = srv.NewClient()
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
	fmt.Printf("organization %s (key %q)\n", who.OrganizationID, who.APIKeyName)

	var ids []string
	label := map[string]string{}
	for _, r := range roster {
		cr, err := c.Creators.Create(ctx, creatoraudit.CreateCreatorParams{Name: r.creator})
		if err != nil {
			return err
		}
		for _, p := range []creatoraudit.Platform{creatoraudit.Instagram, creatoraudit.TikTok} {
			a, err := track(ctx, c, p, r.handles[p])
			if err != nil {
				return err
			}
			// Linking is idempotent; ErrConflict means another creator
			// already owns the account.
			if _, err := c.Creators.LinkAccount(ctx, cr.ID, a.ID); err != nil && !errors.Is(err, creatoraudit.ErrConflict) {
				return err
			}
			ids = append(ids, a.ID)
			label[a.ID] = fmt.Sprintf("%-9s @%s", p, a.Username)
			fmt.Printf("tracking %s for %s (first scrape pending: %v)\n", label[a.ID], r.creator, !a.Scraped())
		}
	}

	// No webhooks: poll each account until its first scrape. An account
	// CreatorAudit cannot read (private, deleted) is an *ItemError of
	// ErrUnavailable; it is reported and left out, not fatal.
	fmt.Println("\nfirst scrape (the common creator summary)")
	var scraped []string
	for _, id := range ids {
		a, err := c.Accounts.GetAndWait(ctx, id, poll...)
		var ie *creatoraudit.ItemError
		switch {
		case errors.As(err, &ie):
			fmt.Printf("  %s  %s: %s\n", label[id], ie.State, ie.Reason)
			continue
		case err != nil:
			return err
		}
		s := a.Summary()
		fmt.Printf("  %s  scraped %s  followers %s  ER %s\n", label[id], a.LastScrapeTime.UTC().Format(time.RFC3339), count(s.Followers), rate(s.EngagementRate))
		scraped = append(scraped, id)
	}
	ids = scraped

	// One batch call for every account (any number of ids; 200 a request).
	m, err := c.Accounts.Metrics(ctx, creatoraudit.MetricsParams{IDs: ids, Period: creatoraudit.Period30d})
	if err != nil {
		return err
	}
	fmt.Println("\n30-day metrics")
	for _, id := range ids {
		x, ok := m.ByID[id]
		if !ok {
			fmt.Printf("  %s  (no metrics yet)\n", label[id])
			continue
		}
		fmt.Printf("  %s  views %s  likes %s  comments %s  saves %s  ER %s\n", label[id], count(x.Views), count(x.Likes), count(x.Comments), count(x.SavedCount), rate(x.EngagementRate))
	}

	top, err := c.Creators.Top(ctx, creatoraudit.TopCreatorsParams{Period: creatoraudit.Period30d, Limit: 10})
	if err != nil {
		return err
	}
	fmt.Println("\nleaderboard (30 days)")
	for _, t := range top.Data {
		fmt.Printf("  #%d %-20s views %s  ER %s\n", t.Rank, t.Name, count(t.Metrics.Views), rate(t.Metrics.EngagementRate))
	}
	rl := c.RateLimit()
	if rl.Known {
		fmt.Printf("\nrate limit: %d of %d left\n", rl.Remaining, rl.Limit)
	}
	return nil
}

// track starts tracking an account, or finds it when it is already
// tracked (409 CONFLICT).
func track(ctx context.Context, c *creatoraudit.Client, p creatoraudit.Platform, handle string) (*creatoraudit.Account, error) {
	a, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: p, Username: handle})
	if !errors.Is(err, creatoraudit.ErrConflict) {
		return a, err
	}
	for a, err := range c.Accounts.ListAll(ctx, creatoraudit.ListAccountsParams{Platform: p, Q: handle}, creatoraudit.WithMaxPages(5)) {
		if err != nil {
			return nil, err
		}
		if strings.EqualFold(a.Username, handle) {
			return &a, nil
		}
	}
	return nil, fmt.Errorf("%s @%s: tracked but not found in the list", p, handle)
}

func count(n *int64) string {
	if n == nil {
		return "n/a"
	}
	return fmt.Sprint(*n)
}

func rate(f *float64) string {
	if f == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.2f%%", *f)
}
