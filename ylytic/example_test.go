package ylytic_test

import (
	"context"
	"fmt"
	"time"

	"github.com/creatorkit/creatorkit-go/ylytic"
	"github.com/creatorkit/creatorkit-go/ylytic/ylytictest"
)

// Refresh a creator's data and wait for it, against the fake (its
// two-minute refresh takes a few milliseconds at the time scale set here).
func Example() {
	ctx := context.Background()
	srv := ylytictest.NewServer(ylytictest.WithTimeScale(0.0005))
	defer srv.Close()
	c, err := srv.NewClient() // ylytic.NewClient() with $YLYTIC_TOKEN against Ylytic
	if err != nil {
		panic(err)
	}

	r, err := c.Refresh.CreateAndWait(ctx, ylytic.RefreshParams{Type: ylytic.RefreshInstagram, Handle: "@Kavya.Cooks"}, srv.PollOptions()...)
	if err != nil {
		panic(err) // an *ItemError says which creator and why
	}
	fmt.Println(r.Request.Handle, r.Status.Message, r.Status.Code)
	// Output: kavya.cooks completed 200
}

// Add creators to the dashboard by profile URL and read their status.
func ExampleCreatorsService_Status() {
	ctx := context.Background()
	srv := ylytictest.NewServer(ylytictest.WithCreatorDelay(0))
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		panic(err)
	}
	handles := []string{ylytic.ProfileURL(ylytic.Instagram, "kavya.cooks"), ylytic.ProfileURL(ylytic.YouTube, "trekwithanand")}
	if _, err := c.Creators.Add(ctx, ylytic.AddCreatorsParams{Handles: handles}); err != nil {
		panic(err)
	}
	st, err := c.Creators.Status(ctx, ylytic.CreatorsStatusParams{Handles: handles})
	if err != nil {
		panic(err)
	}
	for _, s := range st.Data {
		fmt.Println(s.Platform, s.Handle, s.Status)
	}
	// Output:
	// instagram kavya.cooks completed
	// youtube @trekwithanand completed
}

// A tracked short link for Shopify sales tracking, tied to a campaign's
// post, and its clicks.
func ExampleShortLinksService_Insights() {
	ctx := context.Background()
	srv := ylytictest.NewServer()
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		panic(err)
	}
	if _, err := c.Shopify.Connect(ctx, ylytic.ConnectShopParams{Shop: "spicebox.myshopify.com", AccessToken: "shpat_..."}); err != nil {
		panic(err)
	}
	l, err := c.ShortLinks.Create(ctx, ylytic.CreateShortLinkParams{
		TargetURL: "https://spicebox.example.com/kit", Name: "kavya-june", ShopifyStoreName: "spicebox.myshopify.com", UTMSource: "kavya",
	})
	if err != nil {
		panic(err)
	}
	post := ylytic.PostShortLinks{PostURL: "https://www.instagram.com/reels/DGx7Qp2tA1b/", ShortLinks: []string{l.ShortLink}}
	if _, err := c.Campaigns.UpdateShortLinks(ctx, "65c0aa11bb22cc33dd44ee55", ylytic.UpdateShortLinksParams{Add: []ylytic.PostShortLinks{post}}); err != nil {
		panic(err)
	}
	for _, visitor := range []string{"10.0.0.1", "10.0.0.2", "10.0.0.1"} {
		if _, err := srv.Click(l.ShortLink, visitor); err != nil { // fans follow the link
			panic(err)
		}
	}
	in, err := c.ShortLinks.Insights(ctx, l.ID())
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s: %d clicks by %d people\n", in.Name, in.Analytics.Clicks, in.Analytics.Users)
	// Output: kavya-june: 3 clicks by 2 people
}

// Put a creator under realtime tracking: posts daily at 02:30 UTC, stories
// at 18:00, for 30 days.
func ExampleTrackingService_Create() {
	ctx := context.Background()
	srv := ylytictest.NewServer()
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		panic(err)
	}
	tr, err := c.Tracking.Create(ctx, ylytic.TrackingParams{
		Platform: ylytic.Instagram, Handle: "kavya.cooks",
		CronExpression: "30 2 * * *", StoriesCronExpression: "0 18 * * *",
		TrackingExpiryAt: time.Now().Add(30 * 24 * time.Hour),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(tr.Handle, tr.Tracking, tr.CronExpression, tr.NextTrackingAt.Format("15:04"))
	// Output: kavya.cooks true 30 2 * * * 02:30
}
