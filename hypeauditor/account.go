package hypeauditor

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// AccountService reads the account's plan (auditor.planInfo).
type AccountService struct{ c *Client }

// PlanInfo is the account's plans, report credits and discovery requests
// left [DOC].
//
// It has Raw (the body as received) and Response (the response's metadata:
// status, request id, headers, DecodeIssues).
type PlanInfo struct {
	Reports   ReportsPlan   `json:"reports"`
	Discovery DiscoveryPlan `json:"discovery"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// ReportsPlan is the report plan and its credits left.
type ReportsPlan struct {
	Plan    string `json:"plan"`
	Credits Int    `json:"credits"`
}

// DiscoveryPlan is the discovery plan and its requests left.
type DiscoveryPlan struct {
	Plan     string `json:"plan"`
	Requests Int    `json:"requests"`
}

// PlanInfo returns the plans and what is left of them. Free; a cheap way
// to check the credentials (403 code 4 is ErrUnauthorized; 402 code 27,
// no API access, is ErrQuotaExceeded).
func (s *AccountService) PlanInfo(ctx context.Context) (*PlanInfo, error) {
	const op = "Account.PlanInfo"
	return doResult[PlanInfo](ctx, s.c, transport.Request{Op: op, Method: http.MethodGet, Path: "auditor.planInfo"})
}
