// Command hypeauditor-report finds a creator's accounts on every network
// through HypeAuditor's reportConnections (free), requests their reports
// as one roster (Reports.GetAndWaitAll: every network at once, each
// account asked again only after its retryTtl, the plan's credits checked
// first), and prints each report's common creator summary (Summary:
// followers, the quality score, AQS on Instagram and TikTok or CQS on
// YouTube, the engagement rate, the top audience countries as ISO codes,
// the gender split) plus HypeAuditor's own audience type split.
//
//	go run ./examples/hypeauditor-report -username nasa -network instagram
//
// -accounts takes a roster of your own instead, as an agency's sheet holds
// it: "<platform>/<account>" pairs or profile URLs, comma-separated.
//
//	go run ./examples/hypeauditor-report -accounts 'instagram/@nasa,https://www.tiktok.com/@littlebig,youtube/@NASA'
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
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
)

func main() {
	username := flag.String("username", "nasa", "the creator's username on -network")
	network := flag.String("network", "instagram", "the network of -username: instagram, youtube, tiktok, twitter, twitch, snapchat")
	accounts := flag.String("accounts", "", "a roster instead of -username's accounts: <platform>/<account> or profile URLs, comma-separated")
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
	var roster []string
	if *accounts != "" {
		roster = strings.Split(*accounts, ",")
	}
	if err := run(ctx, c, *username, net, roster, wait); err != nil {
		cancel()
		log.Fatal(err)
	}
}

func run(ctx context.Context, c *hypeauditor.Client, username string, network hypeauditor.Platform, roster []string, wait []hypeauditor.WaitOption) error {
	plan, err := c.Account.PlanInfo(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("plan %s: %d report credits left\n", plan.Reports.Plan, plan.Reports.Credits)

	if roster == nil {
		conns, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: username, Type: network})
		if err != nil {
			return err
		}
		fmt.Printf("%s on %s has %d accounts:\n", username, network, len(conns.Accounts))
		for _, a := range conns.Accounts {
			if !a.State.Ready() && a.State != hypeauditor.StateNotReady {
				fmt.Printf("  %-9s %-14s skipped: %s (no credit spent)\n", a.Type, a.Username, a.State)
				continue
			}
			roster = append(roster, a.Ref().String()) // "instagram/id:528817151"
		}
	}

	// One roster for every network: one answer per input, tied to it by
	// its index; the client's limiter keeps the run under HypeAuditor's
	// 100 requests a minute.
	lines := make([]string, len(roster))
	for a, err := range c.Reports.GetAndWaitAll(ctx, roster, wait...) {
		lines[a.Index] = describe(a.Input, a.Value, err)
	}
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

// audience is what only HypeAuditor's report holds: the audience type
// split (Instagram, TikTok).
func audience(r *hypeauditor.AnyReport) *hypeauditor.AudienceType {
	switch {
	case r.Instagram != nil && r.Instagram.User != nil:
		return r.Instagram.User.AudienceType
	case r.TikTok != nil && r.TikTok.Report != nil && r.TikTok.Report.Features.AudienceByType != nil:
		return r.TikTok.Report.Features.AudienceByType.Data
	}
	return nil
}

func describe(input string, r *hypeauditor.AnyReport, err error) string {
	if strings.TrimSpace(input) == "" {
		input = fmt.Sprintf("%q", input)
	}
	head := fmt.Sprintf("  %-40s", input)
	var ie *hypeauditor.ItemError
	var te *hypeauditor.TimeoutError
	switch {
	case errors.As(err, &ie) && errors.As(err, &te):
		return fmt.Sprintf("%s not ready in time (%s): %s", head, te.Last, ie.Reason)
	case errors.As(err, &ie) && errors.Is(err, hypeauditor.ErrReportUnavailable):
		return fmt.Sprintf("%s %s (credit refunded)", head, ie.Reason)
	case errors.As(err, &ie):
		return fmt.Sprintf("%s %s", head, ie.Reason)
	case err != nil:
		return fmt.Sprintf("%s error: %v", head, err)
	}
	head += fmt.Sprintf(" %-9s", r.Platform)
	s := r.Summary()
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
	if t := audience(r); t != nil {
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
	if missing := r.MissingBlocks(); len(missing) > 0 {
		parts = append(parts, "low confidence: no "+strings.Join(missing, ", "))
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
