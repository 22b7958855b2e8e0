// Package progress shows how far long command-line work has got (imports,
// exports, demo data): a line rewritten in place on a terminal, nothing when
// the output is a file or a pipe, so scripts get clean output.
package progress

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"

	"vivier/internal/fr"
)

// Bar reports progress of one task on a terminal.
type Bar struct {
	mu     sync.Mutex
	w      io.Writer
	label  string
	total  int
	done   int
	shown  time.Time
	active bool
}

// New starts a progress line "label : done/total (pct)" on w when w is a
// terminal. total may be 0 when unknown.
func New(w io.Writer, label string, total int) *Bar {
	f, ok := w.(*os.File)
	return &Bar{w: w, label: label, total: total, active: ok && term.IsTerminal(int(f.Fd()))}
}

// Add records n more items done, redrawing at most ten times a second.
func (b *Bar) Add(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done += n
	if b.active && time.Since(b.shown) > 100*time.Millisecond {
		b.draw()
	}
}

// Finish draws the final state and ends the line.
func (b *Bar) Finish() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.active {
		b.draw()
		fmt.Fprintln(b.w)
	}
}

func (b *Bar) draw() {
	b.shown = time.Now()
	if b.total > 0 {
		fmt.Fprintf(b.w, "\r%s : %s/%s (%d %%)", b.label, fr.Int(int64(b.done)), fr.Int(int64(b.total)), b.done*100/b.total)
		return
	}
	fmt.Fprintf(b.w, "\r%s : %s", b.label, fr.Int(int64(b.done)))
}
