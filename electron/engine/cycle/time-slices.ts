/** Longest a long computation holds the event loop between two turns, in ms. */
const SLICE_MS = 4;

/**
 * Hands the event loop back every few milliseconds: `await slices.pause()` between units of work. Planning never waits
 * for I/O; without a turn now and then a large tenant's planning would hold the loop for seconds (no progress, no
 * cancel, pooled sockets gone stale), and the requests of the writes applied meanwhile would wait for their answers to
 * be read. Several workers sharing one instance all wait once the slice is over, so the turn comes; the first to
 * resume starts the next slice.
 */
export function timeSlices(ms = SLICE_MS): { pause(): Promise<void> } {
  let end = performance.now() + ms;
  return {
    async pause() {
      if (performance.now() < end) return;
      await new Promise((resolve) => setImmediate(resolve));
      if (performance.now() >= end) end = performance.now() + ms;
    },
  };
}
