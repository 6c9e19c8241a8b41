package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/firstparty/firstpartytest"
)

func init() {
	register(5, "First Party (Ylytic): creator consent and first-party insights", runFirstParty)
}

func runFirstParty(ctx context.Context) error {
	if !useFake("firstparty", "FIRSTPARTY_TOKEN") {
		// The consent flow needs a creator in a browser, and the API has no
		// call that works without one: build the client and point to the
		// web example.
		c, err := firstparty.NewClient()
		if err != nil {
			return err
		}
		fmt.Printf("  client ready: %s\n", c)
		fmt.Println("  a creator must connect in a browser: run `cd examples/firstparty-connect && go run .` and open /connect")
		return nil
	}
	// The creator who connects is the one the other steps look at.
	opts := []firstpartytest.Option{firstpartytest.WithOutcome(func(firstparty.Platform, string) firstpartytest.Outcome {
		return firstpartytest.Outcome{Handle: creator}
	})}
	if virtualTime {
		opts = append(opts, firstpartytest.WithVirtualTime())
	}
	srv := firstpartytest.NewServer(opts...)
	defer srv.Close()
	c, err := srv.NewClient()
	defer func() {
		if c != nil {
			settle("First Party", c.Usage, srv.Snapshot)
		}
	}()
	if err != nil {
		return err
	}
	flow, err := firstparty.NewConnectFlow(c, firstparty.ConnectConfig{RedirectURL: "https://app.example.com/callback"})
	if err != nil {
		return err
	}
	v, err := flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram, Data: "creator-onboarding"})
	if err != nil {
		return err
	}
	fmt.Printf("  verification URL issued (state %s…)\n", v.State[:8])

	// The creator connects on Ylytic's page and comes back with a token.
	back, err := srv.Connect(v.RedirectURL)
	if err != nil {
		return err
	}
	u, err := url.Parse(back)
	if err != nil {
		return err
	}
	// A callback carrying a state this app never issued is refused.
	if _, err := flow.Complete(ctx, firstparty.CallbackParams{State: firstparty.NewState(), Token: u.Query().Get("token")}); !errors.Is(err, firstparty.ErrInvalidState) {
		return fmt.Errorf("a forged callback was not refused: %v", err)
	}
	fmt.Println("  forged callback refused")
	res, err := flow.Complete(ctx, firstparty.CallbackParams{State: u.Query().Get("state"), Token: u.Query().Get("token")})
	if err != nil {
		return err
	}
	fmt.Printf("  verified @%s (creator %s)\n", res.Creator.UserInfo.IGUsername, res.Creator.CreatorID)

	in, err := c.Insights.GetAndWait(ctx, firstparty.GetInsightsParams{CreatorID: res.Creator.CreatorID}, srv.PollOptions()...)
	if err != nil {
		return err
	}
	s := in.Summary() // the same shape from every vendor package
	record("First Party", s)
	fmt.Printf("  @%s: %s tier, %d followers, %.2f%% engagement", s.Username, in.ProfileOverview.InfluencerTier, *s.Followers, *s.EngagementRate)
	if s.Quality != nil {
		fmt.Printf(", %s %.0f/100", s.Quality.Name, s.Quality.Score)
	}
	fmt.Println()
	if top := in.Posts.Top(1); len(top) == 1 {
		fmt.Printf("  top post %s: ER %.2f%%, %.0f views\n", top[0].URL(), top[0].ER, top[0].Views)
	}
	return nil
}
