package creatoraudit_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/creatoraudit/creatoraudittest"
)

// Track an account on both platforms and wait for the first scrape. The
// examples run on the in-process fake; with a real key, use
// creatoraudit.NewClient(creatoraudit.WithAPIKey(...)) and drop the poll
// options.
func ExampleAccountsService_GetAndWait() {
	// The fake at a thousandth of real time: the first scrape, 30 s after
	// tracking, comes after 30 ms.
	srv := creatoraudittest.NewServer(creatoraudittest.WithTimeScale(0.001))
	defer srv.Close()
	c, _ := srv.NewClient()
	ctx := context.Background()

	for _, p := range []creatoraudit.Platform{creatoraudit.Instagram, creatoraudit.TikTok} {
		a, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: p, Username: "@natgeo"})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("tracking %s @%s, scraped: %v\n", a.Platform, a.Username, a.Scraped())
		a, err = c.Accounts.GetAndWait(ctx, a.ID, srv.PollOptions()...)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("  scraped: %v, followers known: %v, saves known: %v\n", a.Scraped(), a.FollowerCount != nil, a.SavedCount != nil)
	}
	// Output:
	// tracking instagram @natgeo, scraped: false
	//   scraped: true, followers known: true, saves known: true
	// tracking tiktok @natgeo, scraped: false
	//   scraped: true, followers known: true, saves known: false
}

// ListAll pages lazily, 200 rows a request.
func ExampleAccountsService_ListAll() {
	srv := creatoraudittest.NewServer()
	defer srv.Close()
	srv.AddAccounts(creatoraudit.TikTok, "bbcearth", "natgeo", "nasa")
	c, _ := srv.NewClient()

	for a, err := range c.Accounts.ListAll(context.Background(), creatoraudit.ListAccountsParams{OrderBy: "username", OrderDirection: creatoraudit.Asc}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(a.Platform, a.Username)
	}
	fmt.Println("requests:", srv.Snapshot().Requests[creatoraudittest.RouteAccountsList])
	// Output:
	// tiktok bbcearth
	// tiktok nasa
	// tiktok natgeo
	// requests: 1
}

// Batch metrics take any number of ids and send 200 a request.
func ExampleAccountsService_Metrics() {
	srv := creatoraudittest.NewServer(creatoraudittest.WithRateLimit(0, 0))
	defer srv.Close()
	names := make([]string, 450)
	for i := range names {
		names[i] = fmt.Sprintf("creator%03d", i)
	}
	ids := srv.AddAccounts(creatoraudit.Instagram, names...)
	c, _ := srv.NewClient()

	m, err := c.Accounts.Metrics(context.Background(), creatoraudit.MetricsParams{IDs: ids, Period: creatoraudit.Period30d})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("accounts with metrics:", len(m.ByID))
	fmt.Println("requests:", len(m.Pages))
	// Output:
	// accounts with metrics: 450
	// requests: 3
}

// Group accounts under a creator; linking is idempotent and an account
// owned by another creator is a conflict.
func ExampleCreatorsService_LinkAccount() {
	srv := creatoraudittest.NewServer()
	defer srv.Close()
	ids := srv.AddAccounts(creatoraudit.Instagram, "natgeo")
	c, _ := srv.NewClient()
	ctx := context.Background()

	ng, _ := c.Creators.Create(ctx, creatoraudit.CreateCreatorParams{Name: "National Geographic"})
	other, _ := c.Creators.Create(ctx, creatoraudit.CreateCreatorParams{Name: "Someone else"})
	l, _ := c.Creators.LinkAccount(ctx, ng.ID, ids[0])
	fmt.Println("first link created:", l.Created)
	l, _ = c.Creators.LinkAccount(ctx, ng.ID, ids[0])
	fmt.Println("second link created:", l.Created)
	_, err := c.Creators.LinkAccount(ctx, other.ID, ids[0])
	fmt.Println("conflict:", errors.Is(err, creatoraudit.ErrConflict), creatoraudit.CodeOf(err))
	// Output:
	// first link created: true
	// second link created: false
	// conflict: true CONFLICT
}

// Errors carry the problem's code, detail and per-field errors; bad input
// is refused before sending.
func ExampleFieldErrors() {
	srv := creatoraudittest.NewServer()
	defer srv.Close()
	c, _ := srv.NewClient()
	ctx := context.Background()

	_, err := c.Accounts.Metrics(ctx, creatoraudit.MetricsParams{IDs: []string{"a"}, Period: creatoraudit.PeriodCustom})
	fmt.Println("refused before sending:", errors.Is(err, creatoraudit.ErrInvalidParams), srv.Snapshot().TotalRequests())

	_, err = c.Creators.Top(ctx, creatoraudit.TopCreatorsParams{Extra: map[string][]string{"limit": {"99"}}})
	fmt.Println(creatoraudit.CodeOf(err))
	for _, fe := range creatoraudit.FieldErrors(err) {
		fmt.Printf("%s: %s\n", fe.Field, fe.Message)
	}
	// Output:
	// refused before sending: true 0
	// VALIDATION_ERROR
	// limit: must be an integer from 1 to 25
}

// IfNoneMatch turns an unchanged GET into a 304 Not Modified.
func ExampleIfNoneMatch() {
	srv := creatoraudittest.NewServer()
	defer srv.Close()
	ids := srv.AddAccounts(creatoraudit.Instagram, "natgeo")
	c, _ := srv.NewClient()
	ctx := context.Background()

	a, _ := c.Accounts.Get(ctx, ids[0])
	again, _ := c.Accounts.Get(ctx, ids[0], creatoraudit.IfNoneMatch(a.Response.GetHeader("ETag")))
	fmt.Println("not modified:", creatoraudit.NotModified(again.Response))
	// Output:
	// not modified: true
}

// Summary gives the common creator summary of a tracked account, the same
// shape every creatorkit-go package returns: followers and the engagement
// rate in percent (CreatorAudit's (likes + comments + shares) / views).
// CreatorAudit has no audience-quality score and no audience breakdown.
func ExampleAccount_Summary() {
	srv := creatoraudittest.NewServer()
	defer srv.Close()
	ids := srv.AddAccounts(creatoraudit.Instagram, "natgeo")
	c, _ := srv.NewClient()

	a, err := c.Accounts.Get(context.Background(), ids[0])
	if err != nil {
		fmt.Println(err)
		return
	}
	s := a.Summary()
	fmt.Println(s.Source, s.Platform, s.Username)
	fmt.Println("followers known:", s.Followers != nil, "ER known:", s.EngagementRate != nil)
	fmt.Println("quality:", s.Quality, "countries:", len(s.AudienceCountries))
	// Output:
	// creatoraudit instagram natgeo
	// followers known: true ER known: true
	// quality: <nil> countries: 0
}

// An account CreatorAudit cannot read (a private or deleted profile) is
// marked unavailable instead of scraped: GetAndWait ends at once with an
// *ItemError whose Err is ErrUnavailable.
func ExampleItemError() {
	srv := creatoraudittest.NewServer(creatoraudittest.WithTimeScale(0.001)) // a virtual minute in 60 ms
	defer srv.Close()
	c, _ := srv.NewClient()
	ctx := context.Background()

	a, _ := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "someprivateaccount"})
	_, err := c.Accounts.GetAndWait(ctx, a.ID, srv.PollOptions()...)
	var ie *creatoraudit.ItemError
	if errors.As(err, &ie) {
		fmt.Println(ie.Item, ie.State, errors.Is(err, creatoraudit.ErrUnavailable))
		fmt.Println("reason given:", ie.Reason != "")
	}
	// Output:
	// instagram/@someprivateaccount unavailable true
	// reason given: true
}

// WithMaxItems caps a walk; CreatorAudit's pages are free, so there is no
// cap by default.
func ExampleWithMaxItems() {
	srv := creatoraudittest.NewServer()
	defer srv.Close()
	srv.AddAccounts(creatoraudit.TikTok, "a", "b", "c", "d", "e")
	c, _ := srv.NewClient()

	n := 0
	for _, err := range c.Accounts.ListAll(context.Background(), creatoraudit.ListAccountsParams{}, creatoraudit.WithMaxItems(2)) {
		if err != nil {
			fmt.Println(err)
			return
		}
		n++
	}
	fmt.Println("yielded:", n)
	// Output:
	// yielded: 2
}

// Cap how many accounts a job may start tracking. Create holds one tracked
// account from the budget before it sends anything; one the budget cannot
// hold fails with ErrBudgetExceeded, and nothing is sent.
func ExampleWithBudget() {
	srv := creatoraudittest.NewServer()
	defer srv.Close()
	budget := creatoraudit.NewBudget(2) // shareable by goroutines and clients
	c, _ := srv.NewClient(creatoraudit.WithBudget(budget))
	ctx := context.Background()

	for _, name := range []string{"natgeo", "natgeo", "nasa", "bbcearth"} {
		_, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: name})
		switch {
		case errors.Is(err, creatoraudit.ErrBudgetExceeded):
			fmt.Println(name, "refused by the budget")
		case errors.Is(err, creatoraudit.ErrConflict):
			fmt.Println(name, "already tracked: costs nothing")
		case err != nil:
			fmt.Println(err)
		default:
			fmt.Println(name, "tracked")
		}
	}
	u := c.Usage()
	fmt.Printf("spent %d %s in %d requests; %d left\n", u.Spent, u.Unit, u.Requests, budget.Remaining())
	// Output:
	// natgeo tracked
	// natgeo already tracked: costs nothing
	// nasa tracked
	// bbcearth refused by the budget
	// spent 2 tracked accounts in 3 requests; 0 left
}
