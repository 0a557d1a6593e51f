import type { SchedulerClock } from "../../../electron/engine/scheduler";

/** A clock that moves only when the test says so; due timers fire in advance(). */
export function fakeClock(start = Date.parse("2026-11-29T08:00:00Z")) {
  let now = start;
  let timers: { at: number; callback: () => void; id: number }[] = [];
  let nextId = 0;
  const clock: SchedulerClock & { advance(ms: number): void; pending(): number } = {
    now: () => now,
    setTimeout: (callback, ms) => {
      timers.push({ at: now + ms, callback, id: ++nextId });
      return nextId;
    },
    clearTimeout: (id) => void (timers = timers.filter((timer) => timer.id !== id)),
    advance(ms) {
      now += ms;
      const due = timers.filter((timer) => timer.at <= now);
      timers = timers.filter((timer) => timer.at > now);
      due.forEach((timer) => timer.callback());
    },
    pending: () => timers.length,
  };
  return clock;
}
