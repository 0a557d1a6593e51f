import type { Migration } from "./types";

/**
 * What the last committed cycle evaluated with: a hash of the rules and scope settings, and the app's assignments.
 * An incremental cycle evaluates only what changed since; a different hash means every object is evaluated again.
 */
export const migration006: Migration = {
  version: 6,
  name: "evaluation inputs",
  up(db) {
    db.exec(`
      CREATE TABLE evaluation_inputs (
        profile TEXT PRIMARY KEY,
        rules_hash TEXT NOT NULL,
        -- JSON {userIds, groupIds} of the app's assignments, or null when scope does not depend on them
        assignments TEXT
      ) WITHOUT ROWID;
    `);
  },
};
