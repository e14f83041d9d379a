import { SilenceState } from 'src/alerts/silence.enums';
import { recurrenceError, rruleTextError, silenceWindowAt } from 'src/alerts/silence-schedule.policy';

const at = (iso: string) => new Date(iso);

describe('silence schedule', () => {
  const single = { startsAt: at('2026-03-01T10:00:00Z'), endsAt: at('2026-03-01T12:00:00Z'), rrule: null, durationMinutes: null };

  it('is pending before startsAt, active until endsAt (exclusive), then expired', () => {
    expect(silenceWindowAt(single, at('2026-03-01T09:59:59Z'))).toEqual({
      state: SilenceState.Pending,
      windowEndsAt: null,
      nextWindowStartsAt: single.startsAt,
    });
    expect(silenceWindowAt(single, single.startsAt)).toMatchObject({ state: SilenceState.Active, windowEndsAt: single.endsAt });
    expect(silenceWindowAt(single, at('2026-03-01T11:59:59Z')).state).toBe(SilenceState.Active);
    expect(silenceWindowAt(single, single.endsAt).state).toBe(SilenceState.Expired);
  });

  // Saturdays 02:00–04:00 UTC through March 2026; 2026-03-07 is a Saturday.
  const weekly = {
    startsAt: at('2026-03-01T00:00:00Z'),
    endsAt: at('2026-03-31T00:00:00Z'),
    rrule: 'FREQ=WEEKLY;BYDAY=SA;BYHOUR=2;BYMINUTE=0;BYSECOND=0',
    durationMinutes: 120,
  };

  it('opens a window at each occurrence for durationMinutes and is pending in between', () => {
    expect(silenceWindowAt(weekly, at('2026-03-04T12:00:00Z'))).toEqual({
      state: SilenceState.Pending,
      windowEndsAt: null,
      nextWindowStartsAt: at('2026-03-07T02:00:00Z'),
    });
    expect(silenceWindowAt(weekly, at('2026-03-07T02:00:00Z'))).toMatchObject({
      state: SilenceState.Active,
      windowEndsAt: at('2026-03-07T04:00:00Z'),
    });
    expect(silenceWindowAt(weekly, at('2026-03-07T04:00:00Z'))).toMatchObject({
      state: SilenceState.Pending,
      nextWindowStartsAt: at('2026-03-14T02:00:00Z'),
    });
    // the last Saturday before endsAt is the 28th; after its window nothing opens again
    expect(silenceWindowAt(weekly, at('2026-03-28T05:00:00Z')).state).toBe(SilenceState.Expired);
  });

  it('clips a window at endsAt', () => {
    const clipped = { ...weekly, endsAt: at('2026-03-07T03:00:00Z') };
    expect(silenceWindowAt(clipped, at('2026-03-07T02:30:00Z')).windowEndsAt).toEqual(at('2026-03-07T03:00:00Z'));
  });

  it('accepts RFC 5545 rules it can evaluate cheaply and names what is wrong with the others', () => {
    expect(rruleTextError('FREQ=WEEKLY;BYDAY=SA,SU;BYHOUR=2')).toBeNull();
    expect(rruleTextError('RRULE:FREQ=MONTHLY;BYDAY=1SU;INTERVAL=2;UNTIL=20271231T000000Z')).toBeNull();
    expect(rruleTextError('FREQ=MINUTELY')).toMatch(/FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY/);
    expect(rruleTextError('BYHOUR=2')).toBe('FREQ is required');
    expect(rruleTextError('FREQ=DAILY;BYHOUR=24')).toMatch(/BYHOUR values must be integers from 0 to 23/);
    expect(rruleTextError('FREQ=DAILY;INTERVAL=0')).toMatch(/INTERVAL/);
    expect(rruleTextError('FREQ=DAILY;COUNT=x')).toMatch(/COUNT/);
    expect(rruleTextError('FREQ=WEEKLY;BYDAY=XX')).toMatch(/BYDAY/);
    expect(rruleTextError('FREQ=DAILY;DTSTART=20260101T000000Z')).toMatch(/DTSTART is the silence's startsAt/);
    expect(rruleTextError('FREQ=DAILY;FREQ=WEEKLY')).toBe('FREQ appears twice');
    expect(rruleTextError('garbage')).toMatch(/not a KEY=VALUE/);
  });

  it('refuses a rule that never opens a window before endsAt, or opens too many', () => {
    expect(recurrenceError({ ...weekly, rrule: 'FREQ=YEARLY;BYMONTH=6' })).toBe('opens no window between startsAt and endsAt');
    expect(recurrenceError(weekly)).toBeNull();
    const decade = { startsAt: at('2026-01-01T00:00:00Z'), endsAt: at('2036-01-01T00:00:00Z') };
    expect(recurrenceError({ ...decade, rrule: 'FREQ=DAILY;BYHOUR=0,6,12,18;BYMINUTE=0,30' })).toMatch(/more than 5000 windows/);
  });
});
