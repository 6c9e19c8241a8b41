package creatorkit

// Limits caps an iterator over pages that cost money (influData discovery
// and content, HypeAuditor search): it stops after MaxPages pages or
// MaxItems items, whichever comes first. A zero field means the vendor
// iterator's documented default cap for paid pages and no cap for free
// ones; a negative field means no cap.
type Limits struct {
	// MaxPages is the most pages fetched.
	MaxPages int
	// MaxItems is the most items yielded.
	MaxItems int
}
