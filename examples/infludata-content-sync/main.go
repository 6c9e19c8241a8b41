// Command infludata-content-sync keeps a local copy of the content pieces
// that match a query up to date. The first run pulls everything with cursor
// paging (next_cursor sent back as X-Cursor); each later run pulls what was
// uploaded since the watermark it saved in a local state file (its second
// included, so nothing indexed late is missed) and pays for those items
// plus the few read again in the watermark's second.
// Every item costs a token, so a pull stops at an item cap (-max), and the
// watermark is only saved after a pull that reached the end.
//
//	INFLUDATA_API_KEY=... go run ./examples/infludata-content-sync -tags fashion,style -state fashion.json
//	INFLUDATA_API_KEY=... go run ./examples/infludata-content-sync -tags fashion,style -state fashion.json   # later: only new content
//
// Without INFLUDATA_API_KEY it runs against the built-in fake
// (infludatatest) and shows both steps in one run: a full pull, new posts
// arriving, then an incremental sync from the saved watermark (the state
// file goes to a temporary directory unless -state is given).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/infludata/infludatatest"
)

func main() {
	tags := flag.String("tags", "fashion,style", "comma-separated hashtags")
	platforms := flag.String("platforms", "instagram,tiktok", "comma-separated: instagram, tiktok, youtube")
	statePath := flag.String("state", "", "file that keeps the watermark between runs")
	maxItems := flag.Int("max", 500, "item cap per run (1 token per item)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	params := infludata.ContentParams{Tags: split[string](*tags), Limit: 100}
	for _, name := range split[string](*platforms) {
		pl, err := infludata.ParsePlatform(name) // any case: "TikTok", "tiktok"
		if err != nil {
			log.Fatal(err)
		}
		params.Platforms = append(params.Platforms, pl)
	}

	if os.Getenv("INFLUDATA_API_KEY") != "" {
		c, err := infludata.NewClient(infludata.WithUserAgent("infludata-content-sync-example"))
		if err != nil {
			log.Fatal(err)
		}
		if *statePath == "" {
			*statePath = "infludata-content-sync.json"
		}
		if err := syncOnce(ctx, c, params, *statePath, *maxItems); err != nil {
			log.Fatal(err)
		}
		return
	}

	fmt.Fprintln(os.Stderr, "INFLUDATA_API_KEY is not set: running against the built-in fake influData (no network, no tokens).")
	srv := infludatatest.NewServer()
	defer srv.Close()
	c, err := srv.NewClient(infludata.WithUserAgent("infludata-content-sync-example"))
	if err != nil {
		log.Fatal(err)
	}
	if *statePath == "" {
		dir, err := os.MkdirTemp("", "infludata-content-sync-")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
		*statePath = filepath.Join(dir, "state.json")
	}
	fmt.Println("run 1:")
	if err := syncOnce(ctx, c, params, *statePath, *maxItems); err != nil {
		log.Fatal(err)
	}
	srv.Publish(infludata.Instagram, "fashioninfluencer", 3)
	fmt.Println("(3 new posts by @fashioninfluencer)")
	fmt.Println("run 2:")
	if err := syncOnce(ctx, c, params, *statePath, *maxItems); err != nil {
		log.Fatal(err)
	}
}

// syncOnce pulls what is new since the saved watermark (everything on the
// first run) and saves the new watermark when the pull was complete.
func syncOnce(ctx context.Context, c *infludata.Client, params infludata.ContentParams, statePath string, maxItems int) error {
	since, err := loadWatermark(statePath)
	if err != nil {
		return err
	}
	params.Since = since
	if since == nil {
		fmt.Println("  no watermark: full pull")
	} else {
		fmt.Printf("  incremental sync from %s\n", since.CreatedAtMax)
	}
	pull := c.Content.Pull(params, infludata.WithMaxItems(maxItems))
	n := 0
	for it, err := range pull.All(ctx) {
		if err != nil {
			return err
		}
		n++
		if n <= 3 || since != nil {
			fmt.Printf("  %s  %-8s %-6s @%-20s reach %-9d ER %.2f%%\n", it.Uploaded, it.Platform, it.ContentType, it.Username, it.Reach, it.EngagementPercent())
		}
		// Store the item here (database, files, ...). Its image and video
		// URLs are signed for 24 hours: download what you keep now.
	}
	if n > 3 && since == nil {
		fmt.Printf("  ... and %d more\n", n-3)
	}
	st := pull.Stats()
	fmt.Printf("  %d items in %d page(s), %d tokens\n", n, st.Pages, st.Tokens)
	if !pull.Complete() {
		fmt.Printf("  stopped at the cap of %d items: the watermark is not saved, so the next run starts from the same point\n", maxItems)
		return nil
	}
	wm := pull.Watermark()
	if wm == nil {
		fmt.Println("  nothing matched; no watermark yet")
		return nil
	}
	if err := saveWatermark(statePath, wm); err != nil {
		return err
	}
	fmt.Printf("  watermark saved: %s (%s)\n", wm.CreatedAtMax, wm.LastID)
	return nil
}

func loadWatermark(path string) (*infludata.Watermark, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var wm infludata.Watermark
	if err := json.Unmarshal(b, &wm); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &wm, nil
}

// saveWatermark writes the state file atomically.
func saveWatermark(path string, wm *infludata.Watermark) error {
	b, err := json.MarshalIndent(wm, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func split[T ~string](s string) []T {
	var out []T
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, T(v))
		}
	}
	return out
}
