// Package apicheck holds the tests that keep the module's public surface
// readable: no exported name reaches into internal/ (go doc must show
// every field a user handles), and no package exports a mutable variable
// other than a sentinel error.
package apicheck
