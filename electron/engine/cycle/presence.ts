import type { ObjectWork } from "./plan-objects";

/**
 * What planned works change about which objects exist in the target, kept without the works themselves: a first
 * cycle plans and applies its users a batch at a time, and plans memberships once they are all applied.
 */
export interface Presence {
  /** Per planned object: whether it will exist in the target once the object actions ran. */
  planned: Map<string, boolean>;
  /** Objects re-created because their link went stale: their memberships are sent again. */
  recreated: Set<string>;
  /** Target id → source id of the objects matched (linked) this cycle. */
  matched: Map<string, string>;
  /** Objects made to exist, to stop existing, or to exist under another target id. */
  moved: string[];
}

export const emptyPresence = (): Presence => ({
  planned: new Map(),
  recreated: new Set(),
  matched: new Map(),
  moved: [],
});

/** A work that makes an object exist in the target, stop existing, or exist under another target id. */
export const movesObject = (w: ObjectWork) =>
  !!w.staleLink || !!w.link || w.action?.action === "Create" || w.action?.action === "Delete";

/** Adds what these works change to `presence`. */
export function notePresence(presence: Presence, works: Iterable<ObjectWork>): Presence {
  for (const w of works) {
    if (w.staleLink) {
      presence.planned.set(w.sourceId, false);
      presence.recreated.add(w.sourceId);
    }
    if (w.action?.action === "Delete") presence.planned.set(w.sourceId, false);
    else if (w.action?.action === "Create" || w.link) presence.planned.set(w.sourceId, true);
    if (w.link) presence.matched.set(w.link.targetId, w.sourceId);
    if (movesObject(w)) presence.moved.push(w.sourceId);
  }
  return presence;
}
