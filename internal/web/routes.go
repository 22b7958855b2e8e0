package web

// routes is the table of every web page and operational endpoint. Reading it
// tells what the web application exposes and who may use each route.
func (s *Server) routes() {
	r := s.router
	r.Handle("GET /static/", Public, staticHandler())
	r.HandleFunc("GET /healthz", Public, s.healthz)
	r.HandleFunc("GET /readyz", Public, s.readyz)
	r.Handle("GET /metrics", Public, s.metricsHandler())

	r.HandleFunc("GET /{$}", Public, s.home)
	r.HandleFunc("GET /", Public, s.notFound)
}
