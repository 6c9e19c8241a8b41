package creatoraudittest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
)

type cursor struct {
	Offset int    `json:"o"`
	Bound  string `json:"f"`
}

// binding is what a cursor is bound to: the route, filters and sort.
func binding(route string, q url.Values) string {
	return strconv.FormatUint(hash(bindingKey(route, q)), 36)
}

// bindingKey names a list query by its route, filters and sort: the
// answers kept for it are found under this key.
func bindingKey(route string, q url.Values) string {
	b := url.Values{}
	for k, vs := range q {
		switch k {
		case "limit", "cursor", "include_total":
		default:
			b[k] = vs
		}
	}
	return route + "?" + b.Encode()
}

// limitParam reads limit (default def, 1 to max); it answers 422 itself.
func (s *Server) limitParam(w http.ResponseWriter, r *http.Request, def, maxLimit int) (int, bool) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 1 || n > maxLimit {
		s.invalid(w, r, "limit", fmt.Sprintf("must be an integer from 1 to %d", maxLimit))
		return 0, false
	}
	return n, true
}

// page answers a collection of n items (render builds item i; only the
// page's items are built): {data, pagination, filters}, with a Link header
// naming the first and (when there is one) the next page.
func (s *Server) page(w http.ResponseWriter, r *http.Request, route string, n int, render func(i int) map[string]any, filters map[string]any) {
	limit, ok := s.limitParam(w, r, creatoraudit.DefaultListLimit, creatoraudit.MaxListLimit)
	if !ok {
		return
	}
	q := r.URL.Query()
	bound := binding(route, q)
	offset := 0
	if raw := q.Get("cursor"); raw != "" {
		var c cursor
		b, err := base64.RawURLEncoding.DecodeString(raw)
		if err == nil {
			err = json.Unmarshal(b, &c)
		}
		switch {
		case err != nil || c.Offset < 0:
			s.invalid(w, r, "cursor", "is not a cursor issued by this API")
			return
		case c.Bound != bound:
			s.invalid(w, r, "cursor", "was issued for different filters or sort; start again without a cursor")
			return
		}
		offset = c.Offset
	}
	end := min(offset+limit, n)
	data := []map[string]any{}
	for i := offset; i < end; i++ {
		data = append(data, render(i))
	}
	pg := map[string]any{"next_cursor": nil, "has_next": end < n, "limit": limit}
	if q.Get("include_total") == "true" {
		pg["total_count"] = n
	}
	self := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path}
	first := url.Values{}
	for k, vs := range q {
		if k != "cursor" {
			first[k] = vs
		}
	}
	self.RawQuery = first.Encode()
	links := []string{fmt.Sprintf(`<%s>; rel="first"`, self.String())}
	if end < n {
		b, _ := json.Marshal(cursor{Offset: end, Bound: bound})
		next := base64.RawURLEncoding.EncodeToString(b)
		pg["next_cursor"] = next
		nq := url.Values{}
		for k, vs := range first {
			nq[k] = vs
		}
		nq.Set("cursor", next)
		self.RawQuery = nq.Encode()
		links = append(links, fmt.Sprintf(`<%s>; rel="next"`, self.String()))
	}
	w.Header().Set("Link", strings.Join(links, ", "))
	reply(w, r, http.StatusOK, map[string]any{"data": data, "pagination": pg, "filters": filters})
}

// win is a metrics window.
type win struct {
	period     string
	start, end time.Time
	days       int
}

func (x win) json() map[string]any {
	return map[string]any{"period": x.period, "start_date": x.start.Format(time.DateOnly), "end_date": x.end.Format(time.DateOnly)}
}

// parseWindow reads period, start_date and end_date; def is the period
// used when none is given. fe is the validation failure, if any.
func parseWindow(period, start, end, def string, allowCustom bool, now time.Time) (win, *fieldError) {
	if period == "" && start != "" {
		period = string(creatoraudit.PeriodCustom)
	}
	if period == "" {
		period = def
	}
	today := now.UTC().Truncate(24 * time.Hour)
	var days int
	switch period {
	case "7d":
		days = 7
	case "30d":
		days = 30
	case "90d":
		days = 90
	case "custom":
		if !allowCustom {
			return win{}, &fieldError{Field: "period", Message: "must be one of: 7d, 30d, 90d"}
		}
		s, err1 := time.Parse(time.DateOnly, start)
		e, err2 := time.Parse(time.DateOnly, end)
		if err1 != nil || err2 != nil {
			return win{}, &fieldError{Field: "start_date", Message: "start_date and end_date (YYYY-MM-DD) are required when period is custom"}
		}
		if s.After(e) {
			return win{}, &fieldError{Field: "start_date", Message: "must not be after end_date"}
		}
		d := int(e.Sub(s)/(24*time.Hour)) + 1
		if d > 366 {
			return win{}, &fieldError{Field: "end_date", Message: "a custom range spans at most 366 days"}
		}
		return win{period: period, start: s, end: e, days: d}, nil
	default:
		return win{}, &fieldError{Field: "period", Message: "must be one of: 7d, 30d, 90d, custom"}
	}
	return win{period: period, start: today.AddDate(0, 0, -days+1), end: today, days: days}, nil
}

// queryWindow is parseWindow over the query string; it answers 422 itself.
func (s *Server) queryWindow(w http.ResponseWriter, r *http.Request, def string, allowCustom bool) (win, bool) {
	q := r.URL.Query()
	x, fe := parseWindow(q.Get("period"), q.Get("start_date"), q.Get("end_date"), def, allowCustom, time.Now())
	if fe != nil {
		s.problem(w, r, http.StatusUnprocessableEntity, creatoraudit.CodeValidationError, "Validation failed.", *fe)
		return win{}, false
	}
	return x, true
}

// series is the daily breakdown of an entity's views.
func series(src source, x win) []map[string]any {
	out := make([]map[string]any, 0, x.days)
	for i := 0; i < x.days; i++ {
		day := x.start.AddDate(0, 0, i)
		views := daily(src, i)
		if day.Before(src.born) {
			views = 0 // nothing before the account existed
		}
		m := valuesOf(views, src).json()
		m["date"] = day.Format(time.DateOnly)
		out = append(out, m)
	}
	return out
}

// boolParam reads a true/false filter; it answers 422 itself.
func (s *Server) boolParam(w http.ResponseWriter, r *http.Request, name string) (*bool, bool) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return nil, true
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		s.invalid(w, r, name, "must be true or false")
		return nil, false
	}
	return &b, true
}

// platformParam reads the platform filter; it answers 422 itself.
func (s *Server) platformParam(w http.ResponseWriter, r *http.Request) (creatoraudit.Platform, bool) {
	p := creatoraudit.Platform(r.URL.Query().Get("platform"))
	if p != "" && !p.Valid() {
		s.invalid(w, r, "platform", "must be one of: instagram, tiktok")
		return "", false
	}
	return p, true
}

// order reads order_by/order_direction (and the legacy sort); it answers
// 422 itself.
func (s *Server) order(w http.ResponseWriter, r *http.Request, def string, defDesc bool, allowed ...string) (field string, desc, ok bool) {
	q := r.URL.Query()
	field, desc = def, defDesc
	if sort := q.Get("sort"); sort != "" {
		field, desc = strings.TrimPrefix(sort, "-"), strings.HasPrefix(sort, "-")
	}
	if ob := q.Get("order_by"); ob != "" {
		field = ob
		desc = defDesc
	}
	switch q.Get("order_direction") {
	case "":
	case "asc":
		desc = false
	case "desc":
		desc = true
	default:
		s.invalid(w, r, "order_direction", "must be one of: asc, desc")
		return "", false, false
	}
	for _, a := range allowed {
		if a == field {
			return field, desc, true
		}
	}
	s.invalid(w, r, "order_by", "must be one of: "+strings.Join(allowed, ", "))
	return "", false, false
}

func nullable(v string) any {
	if v == "" {
		return nil
	}
	return v
}
