package infludata_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/infludata/infludatatest"
)

// A profile with its audience report, paid for once: the helper polls the
// free checkDataStatus while influData enriches the creator and analyses
// its audience, then makes one getUserData call with the report (20
// tokens; the waits always ask for it).
func ExampleProfilesService_GetAndWait() {
	// A fake influData (use infludata.NewClient() for the real one);
	// WithTimeScale(0.001) makes its virtual minute last 60 ms, so the
	// enrichment and the analysis take a fraction of a second.
	srv := infludatatest.NewServer(infludatatest.WithTimeScale(0.001))
	defer srv.Close()
	c, _ := srv.NewClient()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// srv.PollOptions() scales the poll interval (WithPollInterval) to the
	// fake's time; against influData keep the defaults (1 to 30 minutes).
	p, err := c.Profiles.GetAndWait(ctx, infludata.GetProfileParams{Platform: infludata.Instagram, Username: "new_creator_2026"},
		srv.PollOptions()...)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Printf("%s: audience report %v\n", p, p.HasAudienceReport())
	fmt.Printf("getUserData calls: %d, tokens: %d\n", srv.Snapshot().Requests[infludatatest.RouteUserData], srv.Snapshot().TotalCredits())
	// Output:
	// instagram/@new_creator_2026 (ready): audience report true
	// getUserData calls: 1, tokens: 20
}

// A roster: one answer per element, tied to it (Index, Input), in the
// order the reports are ready; each creator paid for once, also when two
// elements name it ("adidas", "@Adidas"); a creator influData neither
// holds nor is enriching ends at once with ErrNotFound in an ItemError,
// never an endless wait.
func ExampleProfilesService_GetAndWaitAll() {
	srv := infludatatest.NewServer()
	defer srv.Close()
	c, _ := srv.NewClient()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	var ps []infludata.GetProfileParams
	for _, h := range []string{"adidas", "cristiano", "@Adidas", "someone_notfound"} {
		ps = append(ps, infludata.GetProfileParams{Platform: infludata.Instagram, Username: h})
	}
	// srv.PollOptions() scales the poll interval to the fake's time.
	for a, err := range c.Profiles.GetAndWaitAll(ctx, ps, srv.PollOptions()...) {
		var ie *infludata.ItemError
		switch {
		case errors.As(err, &ie):
			fmt.Printf("%d %s: %s (%v)\n", a.Index, a.Input, ie.State, errors.Is(err, infludata.ErrNotFound))
		case err != nil:
			fmt.Println("error:", err)
		default:
			fmt.Printf("%d %s: %s, audience report %v\n", a.Index, a.Input, a.Value.Username, a.Value.HasAudienceReport())
		}
	}
	fmt.Println("tokens:", srv.Snapshot().TotalCredits())
	// Unordered output:
	// 3 someone_notfound: not in database (true)
	// 0 adidas: adidas, audience report true
	// 2 @Adidas: adidas, audience report true
	// 1 cristiano: cristiano, audience report true
	// tokens: 40
}

// The common creator summary: the same shape from every creatorkit-go
// package, so results of several vendors merge into one table.
func ExampleProfile_Summary() {
	srv := infludatatest.NewServer()
	defer srv.Close()
	c, _ := srv.NewClient()
	p, err := c.Profiles.Get(context.Background(), infludata.GetProfileParams{Platform: infludata.Instagram, Username: "cristiano", IncludeAudienceReport: true})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	s := p.Summary()
	fmt.Println(s.Source, s.Platform, s.Username, s.GetFollowers(), s.GetEngagementRate())
	fmt.Printf("%s %.1f\n", s.GetQuality().Name, s.GetQuality().Score)
	fmt.Println("top country:", s.AudienceCountries[0].Code, s.AudienceCountries[0].Percent)
	fmt.Println("genders:", s.AudienceGenders)
	// Output:
	// infludata instagram cristiano 649133656 1.1
	// profile score 77.4
	// top country: IN 25.3
	// genders: [{male 73} {female 27}]
}

// Discovery with filters and a page cap: each page of 20 costs a token,
// and SearchAll fetches a page only when the loop reaches it.
func ExampleDiscoveryService_SearchAll() {
	srv := infludatatest.NewServer()
	defer srv.Close()
	c, _ := srv.NewClient()

	p := infludata.SearchParams{
		Platform: infludata.TikTok,
		Country:  "Germany",
		Sorting:  infludata.Sort{Field: infludata.SortFollowers, Direction: infludata.Desc},
	}
	n := 0
	// WithMaxPages(2): at most 2 pages, 2 tokens (the default cap is
	// DefaultSearchPages).
	for cr, err := range c.Discovery.SearchAll(context.Background(), p, infludata.WithMaxPages(2)) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		if n < 3 {
			fmt.Println(cr)
		}
		n++
	}
	fmt.Printf("%d creators for %d token(s)\n", n, c.Usage().Spent)
	// Output:
	// @tt_creator_012 (7159629 followers)
	// @tt_creator_084 (811168 followers)
	// @tt_creator_040 (636892 followers)
	// 28 creators for 2 token(s)
}

// A content pull, then an incremental sync from its watermark.
func ExampleContentService_Pull() {
	srv := infludatatest.NewServer()
	defer srv.Close()
	c, _ := srv.NewClient()
	ctx := context.Background()

	params := infludata.ContentParams{Tags: []string{"fashion"}, Limit: 50}
	// WithMaxItems caps what the pull may buy (every item costs a token;
	// the default cap is DefaultContentItems, 500).
	pull := c.Content.Pull(params, infludata.WithMaxItems(1000))
	n := 0
	for _, err := range pull.All(ctx) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		n++
	}
	wm := pull.Watermark() // keep it only when the pull was complete
	fmt.Printf("full pull: %d items, %+v, complete %v, watermark %s\n", n, pull.Stats(), pull.Complete(), wm.CreatedAtMax)

	srv.Publish(infludata.Instagram, "fashioninfluencer", 2) // new posts arrive

	// The next sync asks from the watermark and drops what was yielded in
	// its second: it pays for the 2 new items and the watermark's, read
	// again (Reread).
	params.Since = wm
	inc := c.Content.Pull(params)
	for it, err := range inc.All(ctx) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Println("new:", it.Uploaded, it.Username, it.ContentType != "")
	}
	fmt.Printf("incremental: %+v, next watermark %s\n", inc.Stats(), inc.Watermark().CreatedAtMax)
	// Output:
	// full pull: 77 items, {Pages:2 Items:77 Tokens:77 Reread:0}, complete true, watermark 2026-05-15T10:30:00Z
	// new: 2026-05-15T10:32:00Z fashioninfluencer true
	// new: 2026-05-15T10:31:00Z fashioninfluencer true
	// incremental: {Pages:1 Items:3 Tokens:3 Reread:1}, next watermark 2026-05-15T10:32:00Z
}

// Any number of creators, split into calls of 100 and merged.
func ExampleEnrichmentService_Add() {
	srv := infludatatest.NewServer()
	defer srv.Close()
	c, _ := srv.NewClient()
	var handles []string
	for i := 0; i < 250; i++ {
		handles = append(handles, fmt.Sprintf("prospect_%03d", i))
	}
	res, err := c.Enrichment.Add(context.Background(), infludata.EnrichParams{Platform: infludata.Instagram, Usernames: handles})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Printf("%d calls, %d queued, %d new\n", res.Calls, len(res.Processed), res.Summary.NewlyAdded)
	// Output:
	// 3 calls, 250 queued, 250 new
}

// The self-serve trial: request a code, verify it, use the key.
func ExampleNewSignup() {
	srv := infludatatest.NewServer()
	defer srv.Close()
	ctx := context.Background()

	signup, _ := infludata.NewSignup(srv.SignupOptions()...) // the fake's URL; no key needed
	if _, err := signup.Create(ctx, infludata.CreateTrialKeyParams{Email: "you@company.com", Company: "Your Company"}); err != nil {
		fmt.Println("error:", err)
		return
	}
	code, _ := srv.VerificationCode("you@company.com") // from the email
	key, err := signup.Verify(ctx, infludata.VerifyTrialKeyParams{Email: "you@company.com", Code: code})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	c, _ := infludata.NewClient(key.Options()...)
	info, _ := c.Account.Get(ctx, infludata.ClientInfoParams{ClientID: key.ClientID})
	fmt.Printf("plan %s, %d requests left\n", c.Plan(), info.ReportsLeft)

	_, err = signup.Create(ctx, infludata.CreateTrialKeyParams{Email: "you+again@company.com"})
	var te *infludata.TrialError
	if errors.As(err, &te) {
		fmt.Println("again:", te.Outcome)
	}
	// Output:
	// plan trial, 250 requests left
	// again: already_issued
}

// A spent budget is ErrQuotaExceeded, with the reset date when influData
// sends one; it is never retried.
func ExampleErrQuotaExceeded() {
	srv := infludatatest.NewServer(infludatatest.WithTokens(10)) // a key with 10 tokens left
	defer srv.Close()
	c, _ := srv.NewClient()
	_, err := c.Profiles.Get(context.Background(), infludata.GetProfileParams{Platform: infludata.Instagram, Username: "adidas", IncludeAudienceReport: true})
	var e *infludata.Error
	if errors.Is(err, infludata.ErrQuotaExceeded) && errors.As(err, &e) {
		fmt.Println("quota spent; resets on the 1st:", e.ResetAt.Day() == 1, "attempts:", e.Attempts)
	}
	// Output:
	// quota spent; resets on the 1st: true attempts: 1
}
