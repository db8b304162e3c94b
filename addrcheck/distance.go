package addrcheck

// distance is the Damerau–Levenshtein distance between a and b in its
// optimal-string-alignment form: the fewest insertions, deletions,
// substitutions and transpositions of two adjacent bytes that turn a into
// b, no substring edited twice. Domains are compared after folding to
// ASCII, so bytes are characters.
func distance(a, b string) int {
	if a == b {
		return 0
	}
	// Three rows: two back (for transpositions), previous, current.
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
