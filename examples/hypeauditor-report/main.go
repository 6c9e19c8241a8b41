// Command hypeauditor-report finds a creator's accounts on every network
// through HypeAuditor's reportConnections (free), requests a report for
// each, waits for them (asking again only after each retryTtl), and prints
// each report's common creator summary (Summary: followers, the quality
// score, AQS on Instagram and TikTok or CQS on YouTube, the engagement rate,
// the top audience countries as ISO codes, the gender split) plus
// HypeAuditor's own audience type split.
//
//	go run ./examples/hypeauditor-report -username nasa -network instagram
//
// With HYPEAUDITOR_CLIENT_ID and HYPEAUDITOR_API_TOKEN set it calls the
// real API: each report not unlocked yet spends one credit (refunded if
// HypeAuditor cannot produce it). Without them it runs on the built-in
// fake (hypeauditortest) and says so.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
)

func main() {
	username := flag.String("username", "nasa", "the creator's username on -network")
	network := flag.String("network", "instagram", "the network of -username: instagram, youtube, tiktok, twitter, twitch, snapchat")
	budget := flag.Duration("timeout", 15*time.Minute, "how long to wait for all reports")
	flag.Parse()
	net, err := hypeauditor.ParsePlatform(*network)
	if err != nil {
		log.Fatal(err)
	}

	var (
		c    *hypeauditor.Client
		wait []hypeauditor.WaitOption
	)
	if os.Getenv("HYPEAUDITOR_CLIENT_ID") == "" || os.Getenv("HYPEAUDITOR_API_TOKEN") == "" {
		fmt.Println("HYPEAUDITOR_CLIENT_ID / HYPEAUDITOR_API_TOKEN not set: using the built-in fake hypeauditortest (no network; its credits are make-believe)")
		srv := hypeauditortest.NewServer()
		defer srv.Close()
		c, err = srv.NewClient()
		wait = srv.PollOptions()
		*budget = 25 * time.Second
	} else {
		c, err = hypeauditor.NewClient()
	}
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *budget)
	defer cancel()
	if err := run(ctx, c, *username, net, wait); err != nil {
		cancel()
		log.Fatal(err)
	}
}

func run(ctx context.Context, c *hypeauditor.Client, username string, network hypeauditor.Platform, wait []hypeauditor.WaitOption) error {
	plan, err := c.Account.PlanInfo(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("plan %s: %d report credits left\n", plan.Reports.Plan, plan.Reports.Credits)

	conns, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: username, Type: network})
	if err != nil {
		return err
	}
	fmt.Printf("%s on %s has %d accounts:\n", username, network, len(conns.Accounts))

	// One goroutine per account; the client's limiter keeps the whole run
	// under HypeAuditor's 100 requests a minute.
	lines := make([]string, len(conns.Accounts))
	var wg sync.WaitGroup
	for i, a := range conns.Accounts {
		if !a.State.Ready() && a.State != hypeauditor.StateNotReady {
			lines[i] = fmt.Sprintf("  %-9s %-14s skipped: %s (no credit spent)", a.Type, a.Username, a.State)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			lines[i] = describe(a, report(ctx, c, a, wait))
		}()
	}
	wg.Wait()
	for _, l := range lines {
		fmt.Println(l)
	}

	plan, err = c.Account.PlanInfo(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("done: %d report credits left\n", plan.Reports.Credits)
	return nil
}

// outcome is one account's report: the common summary, and what only
// HypeAuditor's report holds (the audience type split, the blocks a
// low-confidence report lacks).
type outcome struct {
	summary  hypeauditor.Summary
	audience *hypeauditor.AudienceType
	missing  []string
	err      error
}

// report requests one account's report by the id reportConnections gave
// (the username for the networks whose reports take a channel name) and
// waits for it.
func report(ctx context.Context, c *hypeauditor.Client, a hypeauditor.Connection, wait []hypeauditor.WaitOption) outcome {
	ch := hypeauditor.ChannelParams{Channel: a.Username}
	switch a.Type {
	case hypeauditor.Instagram:
		r, err := c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{UserID: string(a.SocialID)}, wait...)
		if err != nil {
			return outcome{err: err}
		}
		o := outcome{summary: r.Summary(), missing: r.MissingBlocks()}
		if r.User != nil {
			o.audience = r.User.AudienceType
		}
		return o
	case hypeauditor.TikTok:
		r, err := c.Reports.TikTokAndWait(ctx, hypeauditor.TikTokParams{UserID: string(a.SocialID)}, wait...)
		if err != nil {
			return outcome{err: err}
		}
		o := outcome{summary: r.Summary(), missing: r.MissingBlocks()}
		if r.Report != nil && r.Report.Features.AudienceByType != nil {
			o.audience = r.Report.Features.AudienceByType.Data
		}
		return o
	case hypeauditor.YouTube:
		r, err := c.Reports.YouTubeAndWait(ctx, hypeauditor.YouTubeParams{Channel: string(a.SocialID)}, wait...)
		if err != nil {
			return outcome{err: err}
		}
		return outcome{summary: r.Summary(), missing: r.MissingBlocks()}
	case hypeauditor.Twitter:
		r, err := c.Reports.TwitterAndWait(ctx, ch, wait...)
		return networkOutcome(r, err)
	case hypeauditor.Twitch:
		r, err := c.Reports.TwitchAndWait(ctx, ch, wait...)
		return networkOutcome(r, err)
	case hypeauditor.Snapchat:
		r, err := c.Reports.SnapchatAndWait(ctx, ch, wait...)
		return networkOutcome(r, err)
	}
	return outcome{err: fmt.Errorf("unknown network %q", a.Type)}
}

func networkOutcome(r *hypeauditor.NetworkReport, err error) outcome {
	if err != nil {
		return outcome{err: err}
	}
	return outcome{summary: r.Summary()}
}

func describe(a hypeauditor.Connection, o outcome) string {
	head := fmt.Sprintf("  %-9s %-14s", a.Type, a.Username)
	var ie *hypeauditor.ItemError
	var te *hypeauditor.TimeoutError
	switch {
	case errors.As(o.err, &ie):
		return fmt.Sprintf("%s %s (credit refunded)", head, ie.Reason)
	case errors.As(o.err, &te):
		return fmt.Sprintf("%s not ready in time: %s", head, te.Last)
	case o.err != nil:
		return fmt.Sprintf("%s error: %v", head, o.err)
	}
	s := o.summary
	parts := []string{}
	if s.Followers != nil {
		parts = append(parts, fmt.Sprintf("%d followers", *s.Followers))
	}
	if q := s.Quality; q != nil {
		parts = append(parts, fmt.Sprintf("%s %.0f (%s)", q.Name, q.Score, q.Verdict))
	}
	if s.EngagementRate != nil {
		parts = append(parts, fmt.Sprintf("ER %.2f%%", *s.EngagementRate))
	}
	if t := o.audience; t != nil {
		susp := t.Susp
		if susp == nil {
			susp = t.Bots
		}
		parts = append(parts, fmt.Sprintf("audience %s real / %s suspicious / %s influencers / %s mass", pct(t.Real), pct(susp), pct(t.Infs), pct(t.Mass)))
	}
	if len(s.AudienceCountries) > 0 {
		parts = append(parts, "top countries "+shares(s.AudienceCountries, 3))
	}
	if len(s.AudienceGenders) > 0 {
		parts = append(parts, shares(s.AudienceGenders, 2))
	}
	if len(o.missing) > 0 {
		parts = append(parts, "low confidence: no "+strings.Join(o.missing, ", "))
	}
	if len(parts) == 0 {
		parts = append(parts, "ready (no figures in this network's report)")
	}
	return head + " " + strings.Join(parts, "; ")
}

// shares formats the first n shares as "GB 6.2%, ...".
func shares(s []hypeauditor.Share, n int) string {
	var out []string
	for _, x := range s[:min(n, len(s))] {
		out = append(out, fmt.Sprintf("%s %.1f%%", x.Code, x.Percent))
	}
	return strings.Join(out, ", ")
}

func pct(v *hypeauditor.Float) string {
	if v == nil {
		return "?"
	}
	return fmt.Sprintf("%.1f%%", float64(*v))
}
