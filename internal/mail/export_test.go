package mail

import "context"

// ClaimOnly claims a batch for s and does nothing more, as a sender that
// crashed right after its claim.
func ClaimOnly(ctx context.Context, s *Sender) (int, error) {
	batch, err := s.claim(ctx)
	return len(batch), err
}
