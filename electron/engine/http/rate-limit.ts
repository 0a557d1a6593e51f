/**
 * Spaces request starts evenly at most `perSecond` apart. No burst allowance on purpose: SCIM targets publish limits
 * such as "25 requests/s per tenant" and a burst on top of the steady rate would overrun them.
 */
export function createPacer(perSecond: number | undefined): () => Promise<void> {
  if (!perSecond || !Number.isFinite(perSecond)) return async () => {};
  const interval = 1000 / perSecond;
  let next = 0;
  return async () => {
    const now = performance.now();
    const slot = Math.max(now, next);
    next = slot + interval;
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  };
}
