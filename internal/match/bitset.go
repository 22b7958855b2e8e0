package match

import "math/bits"

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

func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// word returns the w-th word, 0 beyond the end: sets grow lazily.
func (b bitset) word(w int) uint64 {
	if w < len(b) {
		return b[w]
	}
	return 0
}
