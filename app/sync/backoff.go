package sync

import (
	"math/rand/v2"
	"time"
)

// backoff is exponential with full jitter: the n-th wait is uniform in [base·2ⁿ/2, base·2ⁿ],
// capped at max; reset after a success.
type backoff struct {
	rnd       *rand.Rand
	base, max time.Duration
	n         int
}

func newBackoff(r *rand.Rand, base, max time.Duration) *backoff {
	return &backoff{rnd: r, base: base, max: max}
}

func (b *backoff) next() time.Duration {
	d := b.after(b.n)
	b.n++
	return d
}

func (b *backoff) after(n int) time.Duration {
	d := b.base
	for i := 0; i < n && d < b.max; i++ {
		d *= 2
	}
	if d > b.max {
		d = b.max
	}
	half := d / 2
	return half + time.Duration(b.rnd.Int64N(int64(half)+1))
}

func (b *backoff) reset() { b.n = 0 }
