import { Clock } from 'src/common/clock';

/** A clock the test moves by hand (no sleeping). Starts at real "now" unless set. */
export class TestClock extends Clock {
  private current: Date | null = null;

  override now(): Date {
    return this.current ? new Date(this.current) : new Date();
  }

  set(at: Date | string): void {
    this.current = new Date(at);
  }

  advance(milliseconds: number): void {
    this.current = new Date(this.now().getTime() + milliseconds);
  }

  advanceMinutes(minutes: number): void {
    this.advance(minutes * 60_000);
  }
}
