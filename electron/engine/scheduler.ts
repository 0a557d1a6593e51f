/** Time as the scheduler sees it; tests pass a fake one. */
export interface SchedulerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: SchedulerClock = {
  now: () => Date.now(),
  // unref: a pending scheduled cycle alone must not keep a process alive.
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface SchedulerOptions {
  /** Runs one cycle. Errors are the caller's to record; the schedule goes on either way. */
  run: () => Promise<void>;
  /** Milliseconds from the end of a cycle to the next one: the admin's interval, or a longer back-off (quarantine). */
  delayMs: () => number;
  paused?: boolean;
  clock?: SchedulerClock;
  /** Called whenever the next run time or the paused/running state changes (the dashboard redraws). */
  onChange?: () => void;
  onError?: (error: unknown) => void;
}

export interface Scheduler {
  /** Arms the timer: the first cycle runs one delay from now. */
  start(): void;
  /** Disarms for good (app shutdown); a running cycle still finishes. */
  stop(): void;
  /** A running cycle finishes; then nothing runs until resume(). */
  pause(): void;
  /** Re-arms one delay from now. */
  resume(): void;
  /** Runs a cycle now (joining one already running), then counts the next delay from its end. */
  runNow(): Promise<void>;
  /** Counts the next delay from now, e.g. after a cycle started elsewhere (Provision Now). */
  reschedule(): void;
  readonly paused: boolean;
  readonly running: boolean;
  /** When the next scheduled cycle starts; null when paused, stopped or running. */
  nextRunAt(): Date | null;
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  const clock = options.clock ?? systemClock;
  let paused = options.paused ?? false;
  let started = false;
  let timer: unknown = null;
  let dueAt: number | null = null;
  let current: Promise<void> | null = null;

  const changed = () => options.onChange?.();
  const disarm = () => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
    dueAt = null;
  };
  const arm = () => {
    disarm();
    if (!started || paused || current) return;
    const delay = Math.max(0, options.delayMs());
    dueAt = clock.now() + delay;
    timer = clock.setTimeout(() => void runNow(), delay);
  };

  function runNow(): Promise<void> {
    if (current) return current;
    disarm();
    current = (async () => {
      try {
        await options.run();
      } catch (error) {
        options.onError?.(error);
      } finally {
        current = null;
        arm();
        changed();
      }
    })();
    changed();
    return current;
  }

  return {
    start() {
      started = true;
      arm();
      changed();
    },
    stop() {
      started = false;
      disarm();
      changed();
    },
    pause() {
      paused = true;
      disarm();
      changed();
    },
    resume() {
      paused = false;
      arm();
      changed();
    },
    runNow,
    reschedule() {
      arm();
      changed();
    },
    get paused() {
      return paused;
    },
    get running() {
      return current !== null;
    },
    nextRunAt: () => (dueAt === null ? null : new Date(dueAt)),
  };
}
