import { CIRCUIT_MAX_OPEN_MS, CIRCUIT_OPEN_MS, CIRCUIT_THRESHOLD, type LaneState, nextLaneState } from 'src/alerts/delivery-lane.policy';

describe('delivery lanes', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  const closed = { consecutiveFailures: 0, openUntil: null };

  it('opens after CIRCUIT_THRESHOLD unanswered attempts in a row, doubling up to the maximum', () => {
    let state: LaneState = closed;
    for (let failure = 1; failure < CIRCUIT_THRESHOLD; failure++) {
      state = nextLaneState(state, false, now);
      expect(state).toEqual({ consecutiveFailures: failure, openUntil: null });
    }
    state = nextLaneState(state, false, now);
    expect(state.openUntil!.getTime() - now.getTime()).toBe(CIRCUIT_OPEN_MS);
    state = nextLaneState(state, false, now);
    expect(state.openUntil!.getTime() - now.getTime()).toBe(2 * CIRCUIT_OPEN_MS);
    for (let failure = 0; failure < 40; failure++) state = nextLaneState(state, false, now);
    expect(state.openUntil!.getTime() - now.getTime()).toBe(CIRCUIT_MAX_OPEN_MS);
  });

  it('closes on any HTTP answer', () => {
    const open = { consecutiveFailures: 7, openUntil: new Date(now.getTime() + 1000) };
    expect(nextLaneState(open, true, now)).toEqual(closed);
  });
});
