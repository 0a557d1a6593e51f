import { describe, expect, it } from "vitest";
import { createScheduler } from "../../../electron/engine/scheduler";
import { fakeClock } from "./fake-clock";

const minutes = (n: number) => n * 60_000;
const flush = () => new Promise((resolve) => setImmediate(resolve));

/** A cycle the test finishes by hand. */
function manualRun() {
  let runs = 0;
  let finish: () => void = () => undefined;
  const run = () => {
    runs++;
    return new Promise<void>((resolve) => (finish = resolve));
  };
  return { run, finish: () => finish(), runs: () => runs };
}

describe("scheduler", () => {
  it("runs every interval counted from the end of the previous cycle and reports the next run time", async () => {
    const clock = fakeClock();
    const cycle = manualRun();
    const scheduler = createScheduler({ run: cycle.run, delayMs: () => minutes(40), clock });
    scheduler.start();
    expect(scheduler.nextRunAt()?.toISOString()).toBe("2026-11-29T08:40:00.000Z");

    clock.advance(minutes(39));
    expect(cycle.runs()).toBe(0);
    clock.advance(minutes(1));
    expect(cycle.runs()).toBe(1);
    expect(scheduler.running).toBe(true);
    expect(scheduler.nextRunAt()).toBeNull();

    clock.advance(minutes(10)); // the cycle takes 10 minutes
    cycle.finish();
    await flush();
    expect(scheduler.nextRunAt()?.toISOString()).toBe("2026-11-29T09:30:00.000Z");
    clock.advance(minutes(40));
    expect(cycle.runs()).toBe(2);
  });

  it("pause lets the running cycle finish, then runs nothing until resumed", async () => {
    const clock = fakeClock();
    const cycle = manualRun();
    const scheduler = createScheduler({ run: cycle.run, delayMs: () => minutes(5), clock });
    scheduler.start();
    clock.advance(minutes(5));
    expect(cycle.runs()).toBe(1);

    scheduler.pause();
    cycle.finish();
    await flush();
    expect(scheduler.paused).toBe(true);
    expect(scheduler.nextRunAt()).toBeNull();
    clock.advance(minutes(60 * 24));
    expect(cycle.runs()).toBe(1);
    expect(clock.pending()).toBe(0);

    scheduler.resume();
    expect(scheduler.nextRunAt()?.getTime()).toBe(clock.now() + minutes(5));
    clock.advance(minutes(5));
    expect(cycle.runs()).toBe(2);
  });

  it("runs on demand, joins a cycle already running, and restarts the interval after it", async () => {
    const clock = fakeClock();
    const cycle = manualRun();
    const scheduler = createScheduler({ run: cycle.run, delayMs: () => minutes(40), clock });
    scheduler.start();
    clock.advance(minutes(30));
    const first = scheduler.runNow();
    const second = scheduler.runNow();
    expect(second).toBe(first);
    expect(cycle.runs()).toBe(1);
    cycle.finish();
    await first;
    expect(scheduler.nextRunAt()?.getTime()).toBe(clock.now() + minutes(40));
    clock.advance(minutes(10)); // the old 08:40 slot must be gone
    expect(cycle.runs()).toBe(1);
  });

  it("keeps the schedule after a failed cycle, reports the error, and uses the current delay (e.g. a quarantine back-off)", async () => {
    const clock = fakeClock();
    const errors: unknown[] = [];
    let delay = minutes(40);
    const scheduler = createScheduler({
      run: async () => {
        throw new Error("target down");
      },
      delayMs: () => delay,
      onError: (error) => errors.push(error),
      clock,
    });
    scheduler.start();
    delay = minutes(6 * 60);
    clock.advance(minutes(40));
    await flush();
    expect(String(errors[0])).toContain("target down");
    expect(scheduler.nextRunAt()?.getTime()).toBe(clock.now() + minutes(6 * 60));
  });

  it("an on-demand run while paused does not re-arm the schedule, and stop disarms it", async () => {
    const clock = fakeClock();
    let runs = 0;
    const scheduler = createScheduler({ run: async () => void runs++, delayMs: () => minutes(5), paused: true, clock });
    scheduler.start();
    expect(scheduler.nextRunAt()).toBeNull();
    await scheduler.runNow();
    expect(runs).toBe(1);
    expect(scheduler.nextRunAt()).toBeNull();
    scheduler.resume();
    scheduler.stop();
    clock.advance(minutes(10));
    expect(runs).toBe(1);
  });
});
