package ylytic

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// ShopifyService connects a Shopify store to Ylytic: the first step of
// Shopify sales tracking (then ShortLinks.Create with ShopifyStoreName and
// UTMSource, and Campaigns.UpdateShortLinks).
type ShopifyService struct{ c *Client }

// ConnectShopParams are the inputs of Shopify.Connect.
//
// AccessToken is a secret: String, GoString and LogValue print it
// redacted, and the client redacts it (as sent, percent-encoded, base64)
// from every error, result and log line of the call, as it does its own
// token.
type ConnectShopParams struct {
	// Shop is the store's domain ("storename.myshopify.com"). Required:
	// letters, digits, hyphens and periods (no scheme, no path).
	Shop string `json:"shop"`
	// AccessToken is the store's Admin API access token (from the store's
	// custom app). Required; at most 4,096 bytes, no control or invisible
	// characters, no surrounding spaces.
	AccessToken string `json:"access_token"`
}

// String describes the params without the access token.
func (p ConnectShopParams) String() string {
	tok := "empty"
	if p.AccessToken != "" {
		tok = "[REDACTED]"
	}
	return fmt.Sprintf("{Shop:%s AccessToken:%s}", p.Shop, tok)
}

// GoString is String, so %#v cannot print the access token either.
func (p ConnectShopParams) GoString() string { return "ylytic.ConnectShopParams" + p.String() }

// LogValue makes slog print the params without the access token.
func (p ConnectShopParams) LogValue() slog.Value { return slog.StringValue(p.String()) }

// checkShop accepts a store domain: 1 to 255 letters, digits, hyphens and
// periods.
func checkShop(op, field, v string) error {
	if strings.Contains(v, "://") {
		return invalidParams(op, field, "%q is a URL; give the store's domain (storename.myshopify.com)", check.Clip(v, 80))
	}
	return checkCharset(op, field, v, "-.", 255)
}

// Connect connects a Shopify store (POST /ylytic/admin/api/v1/shopify_shop
// on the dashboard host). It answers {"status":"success"}; any other
// status comes back with an ErrRefused error next to the Ack.
//
// Connect is retried like a read after a 5xx or a lost connection:
// connecting the same store with the same token again is taken to change
// nothing (ASSUMPTION: Ylytic keys stores by shop; it documents no
// duplicate).
func (s *ShopifyService) Connect(ctx context.Context, p ConnectShopParams) (*Ack, error) {
	const op = "Shopify.Connect"
	p.Shop = strings.ToLower(strings.TrimSpace(p.Shop))
	if err := checkShop(op, "shop", p.Shop); err != nil {
		return nil, err
	}
	if check.Token(p.AccessToken) != "" {
		// The check's own message quotes the value: never echo a secret.
		return nil, invalidParams(op, "access_token", "the access token is blank, longer than 4096 bytes, or holds control or invisible characters or surrounding spaces (its value is not shown)")
	}
	return s.c.ack(ctx, s.c.dash, transport.Request{Op: op, Method: "POST", Path: pathShopifyShop, Route: pathShopifyShop, Body: p,
		Retry: transport.RetryIdempotent, Secrets: []string{p.AccessToken}})
}
