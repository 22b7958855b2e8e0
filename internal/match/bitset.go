package match

// bitset is a set of slots, one bit each: the engine's postings. A million
// experts take 125 kB per set, and intersecting sets is a sweep of words.
type bitset []uint64

func (b *bitset) grow(n int) {
	if w := (n + 63) >> 6; w > len(*b) {
		*b = append(*b, make([]uint64, w-len(*b))...)
	}
}

func (b *bitset) set(i uint32) {
	b.grow(int(i) + 1)
	(*b)[i>>6] |= 1 << (i & 63)
}

func (b bitset) clear(i uint32) {
	if int(i>>6) < len(b) {
		b[i>>6] &^= 1 << (i & 63)
	}
}

func (b bitset) has(i uint32) bool {
	return int(i>>6) < len(b) && b[i>>6]&(1<<(i&63)) != 0
}
