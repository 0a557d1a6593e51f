import type { Migration } from "./types";

/**
 * Profiles move to their own store (profiles.sqlite) so that a damaged cache never takes the configuration with it.
 * openDatabase hands the rows over before this runs.
 */
export const migration002: Migration = {
  version: 2,
  name: "profiles moved out of the state database",
  up(db) {
    db.exec("DROP TABLE profiles");
  },
};
