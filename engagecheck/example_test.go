package engagecheck_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/url"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
)

// Audit one handle end to end. Against the real API, build the client with
// engagecheck.NewClient(engagecheck.WithAPIKey(key)) and drop the fake.
func ExampleAuditsService_CreateAndWait() {
	// A fake EngageCheck (no network) where a virtual minute lasts 60 ms.
	srv := engagechecktest.NewServer(engagechecktest.WithTimeScale(0.001))
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}

	a, err := c.Audits.CreateAndWait(context.Background(), engagecheck.CreateAuditParams{Username: "@NatGeo"}, srv.PollOptions()...)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("@%s: AQS %.0f (%s), verdict %s\n", a.Username, a.GetAQS(), engagecheck.BandOf(a.GetAQS()), a.Verdict)
	fmt.Printf("engagement rate %.2f%%, bot comments %.0f%%, pods %t\n", *a.Report.EngagementRate,
		a.Report.CommentQuality.BotCommentPercentage, a.Report.CommentQuality.PodActivityDetected)
	// Output:
	// @natgeo: AQS 76 (moderate), verdict amber
	// engagement rate 0.42%, bot comments 8%, pods false
}

// Wait for an audit submitted earlier (by id), for instance by another
// process.
func ExampleAuditsService_GetAndWait() {
	srv := engagechecktest.NewServer(engagechecktest.WithTimeScale(0.001))
	defer srv.Close()
	c, _ := srv.NewClient()
	ctx := context.Background()

	created, err := c.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: "someprivateaccount"})
	if err != nil {
		log.Fatal(err)
	}
	a, err := c.Audits.GetAndWait(ctx, created.ID, srv.PollOptions()...)
	var ie *engagecheck.ItemError
	if errors.Is(err, engagecheck.ErrAuditFailed) && errors.As(err, &ie) {
		fmt.Printf("%s @%s is %s: %s\n", ie.Item, a.Username, ie.State, ie.Reason)
	}
	// Output:
	// instagram/id:142 @someprivateaccount is error: Account is private (EngageCheck refunded the credit)
}

// Audit a roster of any size: every input is answered exactly once, tied
// to it (its index and the input as given); a duplicate gets the one
// result, paid once; every input without a report says why.
func ExampleAuditsService_CreateAndWaitAll() {
	srv := engagechecktest.NewServer(engagechecktest.WithTimeScale(0.001))
	defer srv.Close()
	c, _ := srv.NewClient()

	roster := []string{"natgeo", "@NASA", "natgeo", "someprivateaccount", "not a handle"}
	for ans, err := range c.Audits.CreateAndWaitAll(context.Background(), roster, srv.PollOptions()...) {
		var ie *engagecheck.ItemError
		switch {
		case errors.As(err, &ie):
			fmt.Printf("%d %q: %s\n", ans.Index, ans.Input, ie.Reason)
		case err != nil:
			log.Fatal(err)
		default:
			_ = ans.Value.Summary() // the common creator summary
			fmt.Printf("%d %q: @%s is %s\n", ans.Index, ans.Input, ans.Value.Username, ans.Value.Status)
		}
	}
	fmt.Println("credits spent:", 1000-srv.Credits())
	// Output:
	// 4 "not a handle": not submitted: not an Instagram handle: only letters, digits, periods and underscores are allowed
	// 0 "natgeo": @natgeo is complete
	// 2 "natgeo": @natgeo is complete
	// 1 "@NASA": @nasa is complete
	// 3 "someprivateaccount": Account is private (EngageCheck refunded the credit)
	// credits spent: 2
}

// A roster the key's credits cannot cover is refused before anything is
// spent; every handle says so.
func ExampleAuditsService_CreateAndWaitAll_quota() {
	srv := engagechecktest.NewServer(engagechecktest.WithCredits(1), engagechecktest.WithTimeScale(0.001))
	defer srv.Close()
	c, _ := srv.NewClient()

	for _, err := range c.Audits.CreateAndWaitAll(context.Background(), []string{"natgeo", "nasa"}, srv.PollOptions()...) {
		var ie *engagecheck.ItemError
		if errors.Is(err, engagecheck.ErrQuotaExceeded) && errors.As(err, &ie) {
			fmt.Printf("%s: %s\n", ie.Item, ie.Reason)
		}
	}
	// Output:
	// instagram/@natgeo: not submitted: the roster needs 2 credits and the key has 1 (nothing was spent; WithAllowPartial audits as many handles as the balance covers)
	// instagram/@nasa: not submitted: the roster needs 2 credits and the key has 1 (nothing was spent; WithAllowPartial audits as many handles as the balance covers)
}

// A budget caps what a client spends: the roster sends only the batch the
// budget can hold, answers the other handles without sending them, and
// Usage says what was spent.
func ExampleWithBudget() {
	srv := engagechecktest.NewServer(engagechecktest.WithTimeScale(0.001))
	defer srv.Close()
	budget := engagecheck.NewBudget(2) // may be shared by several clients
	c, _ := srv.NewClient(engagecheck.WithBudget(budget))

	completed := 0
	for _, err := range c.Audits.CreateAndWaitAll(context.Background(), []string{"natgeo", "nasa", "esa", "spacex"}, srv.PollOptions()...) {
		var ie *engagecheck.ItemError
		switch {
		case errors.Is(err, engagecheck.ErrBudgetExceeded) && errors.As(err, &ie):
			fmt.Printf("%s: %s\n", ie.Item, ie.Reason)
		case err != nil:
			log.Fatal(err)
		default:
			completed++
		}
	}
	u := c.Usage()
	fmt.Printf("completed: %d; spent %d %s (%d unknown); budget used %d of %d\n", completed, u.Spent, u.Unit, u.SpentUnknown, budget.Used(), budget.Limit())
	// Output:
	// instagram/@esa: not submitted: the budget has no credits left for 2 more handle(s) (2 of 2 used); nothing was sent for them
	// instagram/@spacex: not submitted: the budget has no credits left for 2 more handle(s) (2 of 2 used); nothing was sent for them
	// completed: 2; spent 2 credits (0 unknown); budget used 2 of 2
}

// The common creator summary: the same shape from every creatorkit-go
// package, so EngageCheck's audit merges with other vendors' results.
func ExampleAudit_Summary() {
	srv := engagechecktest.NewServer(engagechecktest.WithTimeScale(0.001))
	defer srv.Close()
	c, _ := srv.NewClient()

	a, err := c.Audits.CreateAndWait(context.Background(), engagecheck.CreateAuditParams{Username: "natgeo"}, srv.PollOptions()...)
	if err != nil {
		log.Fatal(err)
	}
	s := a.Summary()
	fmt.Printf("%s/%s @%s (%s): %d followers, ER %.2f%%, %s %.0f (%s)\n", s.Source, s.Platform, s.Username, s.DisplayName,
		s.GetFollowers(), s.GetEngagementRate(), s.Quality.Name, s.Quality.Score, s.Quality.Verdict)
	fmt.Println("audience countries:", len(s.AudienceCountries))
	// Output:
	// engagecheck/instagram @natgeo (National Geographic): 280000000 followers, ER 0.42%, AQS 76 (amber)
	// audience countries: 0
}

// Errors are typed: check their kind with errors.Is.
func ExampleError() {
	srv := engagechecktest.NewServer(engagechecktest.WithCredits(0))
	defer srv.Close()
	c, _ := srv.NewClient()

	_, err := c.Audits.Create(context.Background(), engagecheck.CreateAuditParams{Username: "natgeo"})
	var e *engagecheck.Error
	if errors.Is(err, engagecheck.ErrQuotaExceeded) && errors.As(err, &e) {
		fmt.Println(e.StatusCode, e.Message)
	}
	// Output:
	// 402 The key has no credits left to cover the request.
}

// Receive audits by webhook.
func ExampleWebhookHandler() {
	http.Handle("/hooks/engagecheck", engagecheck.WebhookHandler(func(ctx context.Context, ev *engagecheck.WebhookEvent) error {
		if !ev.Succeeded() {
			fmt.Printf("@%s failed: %s\n", ev.Username, ev.Reason)
			return nil
		}
		s := ev.Summary()
		fmt.Printf("@%s scored %.0f\n", s.Username, s.Quality.Score)
		return nil // a non-nil error answers 500 so the sender may retry
	}))
}

// Page through recent audits; pages are fetched as the loop reaches them.
func ExampleAuditsService_ListAll() {
	srv := engagechecktest.NewServer(engagechecktest.WithTimeScale(0.001))
	defer srv.Close()
	c, _ := srv.NewClient()
	ctx := context.Background()
	if _, err := c.Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: []string{"natgeo", "nasa", "esa"}}); err != nil {
		log.Fatal(err)
	}
	for s, err := range c.Audits.ListAll(ctx, engagecheck.ListAuditsParams{}, engagecheck.WithMaxItems(2)) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(s.ID, s.Username)
	}
	// Output:
	// 144 esa
	// 143 nasa
}

// Do is the escape hatch: an endpoint or a parameter the SDK has no method
// for, through the same pipeline as the typed calls (the key, pacing on
// the same limiter, retries, redaction, Usage).
func ExampleClient_Do() {
	srv := engagechecktest.NewServer(engagechecktest.WithTimeScale(0.001))
	defer srv.Close()
	c, _ := srv.NewClient()

	var page struct {
		Data []struct {
			Username string `json:"username"`
		} `json:"data"`
		Count int `json:"count"`
	}
	_, err := c.Do(context.Background(), http.MethodGet, "audits", url.Values{"limit": {"5"}}, nil, &page, engagecheck.Route("audits"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("rows:", page.Count, "requests:", c.Usage().Requests)
	// Output:
	// rows: 0 requests: 1
}
