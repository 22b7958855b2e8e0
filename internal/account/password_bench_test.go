package account

import (
	"fmt"
	"testing"
)

// BenchmarkHashPassword measures one argon2id hash with the default
// parameters: the cost of every password login.
func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		HashPassword("correct horse battery staple", DefaultArgon2)
	}
}

func BenchmarkHashPasswordParams(b *testing.B) {
	for _, p := range []Argon2Params{
		{Memory: 46 * 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16},
		{Memory: 64 * 1024, Time: 2, Threads: 2, KeyLen: 32, SaltLen: 16},
		{Memory: 48 * 1024, Time: 2, Threads: 2, KeyLen: 32, SaltLen: 16},
		{Memory: 64 * 1024, Time: 1, Threads: 2, KeyLen: 32, SaltLen: 16},
	} {
		b.Run(fmtParams(p), func(b *testing.B) {
			for b.Loop() {
				HashPassword("correct horse battery staple", p)
			}
		})
	}
}

func fmtParams(p Argon2Params) string {
	return fmt.Sprintf("m=%d,t=%d,p=%d", p.Memory, p.Time, p.Threads)
}
