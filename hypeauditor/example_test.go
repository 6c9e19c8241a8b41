package hypeauditor_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
)

// Find a creator's accounts on every platform (free), then wait for the
// Instagram report. The examples run on the in-process fake; against the
// real API use hypeauditor.NewClient(hypeauditor.WithCredentials(id, token)).
// hypeauditortest.WithTimeScale(0.001) runs the fake a thousand times
// faster than HypeAuditor (a 90 s report takes 90 ms), and srv.PollOptions
// scales the waits' own intervals (WithPollInterval) the same way; the
// fake's retryTtl is scaled already.
func Example() {
	srv := hypeauditortest.NewServer(hypeauditortest.WithTimeScale(0.001))
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	conns, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: "nasa", Type: hypeauditor.Instagram})
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range conns.Accounts {
		fmt.Printf("%-9s %-13s %10.0f followers  %s\n", a.Type, a.Username, float64(a.SubscribersCount), a.State)
	}

	r, err := c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{Username: "nasa"}, srv.PollOptions()...)
	if err != nil {
		log.Fatal(err)
	}
	s := r.Summary() // the common creator summary, the same shape from every vendor
	q := s.GetQuality()
	fmt.Printf("@%s: %s %.0f (%s), ER %.2f%%, top audience country %s (%.1f%%)\n",
		s.Username, q.Name, q.Score, q.Verdict, s.GetEngagementRate(), s.AudienceCountries[0].Code, s.AudienceCountries[0].Percent)
	fmt.Printf("%.1f%% real audience\n", float64(*r.User.AudienceType.Real))
	fmt.Println("credits left:", *r.RestTokens)
	// Output:
	// instagram nasa            96809672 followers  READY
	// twitter   nasa            84756058 followers  READY
	// youtube   nasa            12244637 followers  READY
	// instagram nasaartemis      2837372 followers  READY
	// youtube   nasagovvideo      995500 followers  READY_LOW_CONFIDENCE
	// @nasa: AQS 76 (Good), ER 0.73%, top audience country IN (28.1%)
	// 80.4% real audience
	// credits left: 999
}

// A one-shot report call returns NOT_READY (without an error) while the
// report is generated; ask again after RetryAfter, or use the AndWait
// helpers.
func ExampleReportsService_TikTok() {
	srv := hypeauditortest.NewServer(hypeauditortest.WithTimeScale(0.001))
	defer srv.Close()
	c, _ := srv.NewClient()
	ctx := context.Background()

	r, err := c.Reports.TikTok(ctx, hypeauditor.TikTokParams{Channel: "littlebig"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.State, "HTTP", r.Response.StatusCode)
	for r.NotReady() {
		time.Sleep(r.RetryAfter())
		if r, err = c.Reports.TikTok(ctx, hypeauditor.TikTokParams{Channel: "littlebig"}); err != nil {
			log.Fatal(err)
		}
	}
	s := r.Summary()
	fmt.Printf("%s: %d followers, ER %.2f%%\n", s.Username, s.GetFollowers(), s.GetEngagementRate())
	// Output:
	// NOT_READY HTTP 202
	// littlebig: 4600000 followers, ER 7.05%
}

// Accounts HypeAuditor cannot report on come back as an *ItemError naming
// the state, with ErrReportUnavailable as its cause; their credit is
// refunded.
func ExampleItemError() {
	srv := hypeauditortest.NewServer(hypeauditortest.WithTimeScale(0.001))
	defer srv.Close()
	c, _ := srv.NewClient()

	_, err := c.Reports.InstagramAndWait(context.Background(), hypeauditor.InstagramParams{Username: "someprivateaccount"}, srv.PollOptions()...)
	var ie *hypeauditor.ItemError
	if errors.As(err, &ie) && errors.Is(err, hypeauditor.ErrReportUnavailable) {
		fmt.Println(ie.Input, ie.Item, ie.State)
		fmt.Println(err)
	}
	fmt.Println("credits left:", srv.Credits())
	// Output:
	// someprivateaccount instagram/@someprivateaccount PRIVATE
	// hypeauditor: instagram/@someprivateaccount: the account is private: report unavailable (HTTP 403)
	// credits left: 1000
}

// SearchAll fetches pages lazily and stops at a cap; the sandbox is free.
func ExampleDiscoveryService_SearchAll() {
	srv := hypeauditortest.NewServer(hypeauditortest.WithTimeScale(0.001))
	defer srv.Close()
	c, _ := srv.NewClient()

	p := hypeauditor.SearchParams{
		Platform:         hypeauditor.TikTok,
		SubscribersCount: hypeauditor.AtLeast(100_000),
		Sort:             &hypeauditor.Sort{Field: "er", Order: "desc"},
	}
	// WithPageFunc sees each page as it comes: here, the discovery
	// requests left after it. WithMaxPages caps the paid pages.
	onPage := hypeauditor.WithPageFunc(func(sp *hypeauditor.SearchPage) {
		fmt.Printf("page %d of %d, %d discovery requests left\n", sp.CurrentPage, sp.TotalPages, *sp.QueriesLeft)
	})
	n := 0
	for res, err := range c.Discovery.SearchAll(context.Background(), p, hypeauditor.WithMaxPages(2), onPage) {
		if err != nil {
			log.Fatal(err)
		}
		n++
		_ = res.Basic.Username
	}
	fmt.Println(n, "creators")
	// Output:
	// page 1 of 3, 999 discovery requests left
	// page 2 of 3, 998 discovery requests left
	// 40 creators
}

// PlanInfo reads the credits and discovery requests left (free).
func ExampleAccountService_PlanInfo() {
	srv := hypeauditortest.NewServer()
	defer srv.Close()
	c, _ := srv.NewClient()
	p, err := c.Account.PlanInfo(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s plan: %d report credits; %s discovery: %d requests\n", p.Reports.Plan, p.Reports.Credits, p.Discovery.Plan, p.Discovery.Requests)
	// Output:
	// basic plan: 1000 report credits; all discovery: 1000 requests
}

// A roster on several platforms, as an agency's sheet holds it: each
// input a "<platform>/<account>" pair or a profile URL. Every input gets
// one answer, tied to it by Index and Input, blanks, typos and duplicates
// included; a duplicate is requested and paid once.
func ExampleReportsService_GetAndWaitAll() {
	srv := hypeauditortest.NewServer(hypeauditortest.WithTimeScale(0.001))
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	roster := []string{
		"instagram/@nasa",
		"https://www.tiktok.com/@littlebig",
		"youtube/id:UCLA_DiR1FfKNvjuUpBHmylQ",
		"twitch/nasa",
		"instagram/private_acct",
		"",
		"myspace/tom",
		"https://instagram.com/NASA/",
	}
	lines := make([]string, len(roster))
	for a, err := range c.Reports.GetAndWaitAll(ctx, roster, srv.PollOptions()...) {
		var ie *hypeauditor.ItemError
		switch {
		case errors.As(err, &ie):
			lines[a.Index] = fmt.Sprintf("%-36q %s", a.Input, ie.Reason)
		case err != nil:
			log.Fatal(err)
		default:
			s := a.Value.Summary()
			lines[a.Index] = fmt.Sprintf("%-36q %s @%s, %d followers", a.Input, a.Value.Platform, s.Username, s.GetFollowers())
		}
	}
	for _, l := range lines {
		fmt.Println(l)
	}
	fmt.Println("report credits spent:", 1000-srv.Credits())
	// Output:
	// "instagram/@nasa"                    instagram @nasa, 96809672 followers
	// "https://www.tiktok.com/@littlebig"  tiktok @littlebig, 4600000 followers
	// "youtube/id:UCLA_DiR1FfKNvjuUpBHmylQ" youtube @nasa, 12244637 followers
	// "twitch/nasa"                        twitch @nasa, 16537262 followers
	// "instagram/private_acct"             the account is private
	// ""                                   not sent: a blank input names no account: write <platform>/<account> (instagram/@natgeo) or a profile URL
	// "myspace/tom"                        not sent: unknown platform "myspace": one of [instagram youtube twitter tiktok twitch snapchat]
	// "https://instagram.com/NASA/"        instagram @nasa, 96809672 followers
	// report credits spent: 4
}
