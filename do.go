package creatorkit

// DoOption says what a raw call (every client's Do, the escape hatch for
// an endpoint the SDK has no method for) is, so the pipeline treats it
// like the SDK's own calls: whether it may be sent again after it may
// have reached the vendor, what it may cost, and its path template.
type DoOption func(*DoOptions)

// DoOptions are what the DoOptions of a raw call set.
type DoOptions struct {
	// Resendable: the call is safe to send again after it may have
	// reached the vendor (a read, or a write the vendor deduplicates). By
	// default GET, HEAD, PUT, DELETE and OPTIONS are, POST and PATCH are
	// not; a call that may cost is never resent, whatever this says.
	Resendable *bool
	// Cost is the most the call may cost, in the client's unit (Usage):
	// the budget must hold it before anything is sent, and it counts in
	// Usage as Spent on a success answer, SpentUnknown when the answer is
	// lost. 0 is a free call.
	Cost int64
	// Route is the path with ids replaced by placeholders ("v1/things/{id}"),
	// for observers; when empty, observers name the call by its method.
	Route string
}

// Resendable says whether the call is safe to send again after it may
// have reached the vendor.
func Resendable(ok bool) DoOption { return func(o *DoOptions) { o.Resendable = &ok } }

// Costs says the call may cost n in the client's unit.
func Costs(n int64) DoOption { return func(o *DoOptions) { o.Cost = n } }

// Route gives the call's path template for observers.
func Route(template string) DoOption { return func(o *DoOptions) { o.Route = template } }
