/**
 * A clock the end-to-end tests move, for a real server process: `node --import ./test/support/clock.ts …` with
 * `TEST_CLOCK_FILE` naming a file that holds an offset in milliseconds. `Date.now()` and `new Date()` return the
 * real time plus the offset (re-read at most every 100 ms), so the server's job loop, tokens and routes all see
 * the moved time. Test-only: nothing in src/ knows about it.
 */
import { readFileSync } from 'node:fs';

const file = process.env.TEST_CLOCK_FILE;
if (file) {
  const RealDate = Date;
  const realNow = RealDate.now.bind(RealDate);
  let offset = 0;
  let checked = -Infinity;
  const now = (): number => {
    const t = realNow();
    if (t - checked > 100) {
      checked = t;
      try {
        offset = Number(readFileSync(file, 'utf8').trim()) || 0;
      } catch {
        offset = 0;
      }
    }
    return t + offset;
  };
  class ShiftedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(now());
      else super(...(args as [string]));
    }
    static override now(): number {
      return now();
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
}
