package httpkit

import "net/http"

// NoStore is what Cache-Control says of a response no cache may keep.
const NoStore = "private, no-store"

// CachePolicy makes every response to a signed-in visitor (a session, even
// one owing its second factor, or an API token), every download
// (Content-Disposition) and every response that sets a cookie answer
// Cache-Control: private, no-store, whatever the handler set: a shared
// computer's browser cache or a proxy must not keep a page with personal
// data, a CV or a deliverable. Anonymous pages and static assets keep their
// own rules. It runs after authentication, which put the visitor in the
// request.
func CachePolicy(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&cacheWriter{ResponseWriter: w, signedIn: VisitorOf(r).User != nil}, r)
	})
}

type cacheWriter struct {
	http.ResponseWriter
	signedIn bool
	decided  bool
}

func (c *cacheWriter) decide() {
	if c.decided {
		return
	}
	c.decided = true
	h := c.ResponseWriter.Header()
	if c.signedIn || h.Get("Content-Disposition") != "" || len(h.Values("Set-Cookie")) > 0 {
		h.Set("Cache-Control", NoStore)
	}
}

func (c *cacheWriter) WriteHeader(code int) {
	c.decide()
	c.ResponseWriter.WriteHeader(code)
}

func (c *cacheWriter) Write(b []byte) (int, error) {
	c.decide()
	return c.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer.
func (c *cacheWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }
