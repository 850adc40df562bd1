package answers

// Hits is how many saves found the progress before them in the cache.
func (p *ProgressCache) Hits() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hits
}
