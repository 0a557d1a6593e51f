import type { Database } from "better-sqlite3";
import { atomically, deleteIntent, getLink, listIntents, putExported, putLink } from "../db";
import type { ScimClient } from "../target";
import { resourceType } from "./match";

/**
 * Creates that were sent but never confirmed (the process died in between) are resolved before anything is
 * re-sent: found in the target → linked; not found → forgotten, and the object is created normally this cycle.
 * Several found are left to matching, which reports DuplicateTargetEntries.
 */
export async function resolveIntents(db: Database, profile: string, scim: ScimClient, now: Date): Promise<number> {
  let linked = 0;
  for (const intent of listIntents(db, profile)) {
    if (getLink(db, profile, intent.type, intent.sourceId)) {
      deleteIntent(db, profile, intent.type, intent.sourceId);
      continue;
    }
    const found = await scim.find(resourceType(intent.type), intent.payload.matchPath, intent.payload.matchValue);
    if (found.length > 1) continue;
    atomically(db, () => {
      if (found.length === 1) {
        putLink(db, profile, {
          type: intent.type,
          sourceId: intent.sourceId,
          targetId: found[0]!.id,
          matchedBy: "intent",
          created: now.toISOString(),
        });
        putExported(db, profile, intent.type, intent.sourceId, intent.payload.values, now);
        linked++;
      }
      deleteIntent(db, profile, intent.type, intent.sourceId);
    });
  }
  return linked;
}
