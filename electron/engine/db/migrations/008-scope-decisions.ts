import type { Migration } from "./types";

/**
 * Each mirrored object's last scope decision, so that an incremental cycle reads only what changed: `in_scope` counts
 * for the canary, `wanted` (in scope and not soft-deleted) and `pending` (wanted but not linked to a target object)
 * say which unchanged objects still have to be created. Triggers keep `pending` right whenever a link is recorded or
 * forgotten, by a cycle or by anything else. `link_changes` lists the links recorded, moved or forgotten that no
 * committed cycle planned memberships for (a re-create after InvalidAnchor, a cycle that died after creating, provision
 * on demand, crash recovery): a cycle plans only the groups its changes touch, and these are changes too. Rows
 * mirrored before this migration have no decision yet: the evaluation inputs are cleared, so the next cycle evaluates
 * every object once and records them.
 */
export const migration008: Migration = {
  version: 8,
  name: "scope decisions",
  up(db) {
    db.exec(`
      ALTER TABLE source_objects ADD COLUMN in_scope INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE source_objects ADD COLUMN wanted INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE source_objects ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX source_objects_pending ON source_objects (profile, type, id) WHERE pending = 1;
      CREATE INDEX source_objects_in_scope ON source_objects (profile) WHERE in_scope = 1;

      CREATE TRIGGER links_insert_not_pending AFTER INSERT ON links BEGIN
        UPDATE source_objects SET pending = 0
        WHERE profile = NEW.profile AND type = NEW.type AND id = NEW.source_id AND pending = 1;
      END;
      CREATE TRIGGER links_delete_pending AFTER DELETE ON links BEGIN
        UPDATE source_objects SET pending = 1
        WHERE profile = OLD.profile AND type = OLD.type AND id = OLD.source_id AND wanted = 1;
      END;

      CREATE TABLE link_changes (
        profile TEXT NOT NULL,
        type TEXT NOT NULL,
        source_id TEXT NOT NULL,
        PRIMARY KEY (profile, type, source_id)
      ) WITHOUT ROWID;
      -- NOT EXISTS rather than OR IGNORE: the conflict handling of the statement that fires a trigger overrides the trigger's.
      CREATE TRIGGER links_insert_changed AFTER INSERT ON links BEGIN
        INSERT INTO link_changes (profile, type, source_id) SELECT NEW.profile, NEW.type, NEW.source_id
        WHERE NOT EXISTS (SELECT 1 FROM link_changes
          WHERE profile = NEW.profile AND type = NEW.type AND source_id = NEW.source_id);
      END;
      CREATE TRIGGER links_update_changed AFTER UPDATE ON links BEGIN
        INSERT INTO link_changes (profile, type, source_id) SELECT NEW.profile, NEW.type, NEW.source_id
        WHERE NOT EXISTS (SELECT 1 FROM link_changes
          WHERE profile = NEW.profile AND type = NEW.type AND source_id = NEW.source_id);
      END;
      CREATE TRIGGER links_delete_changed AFTER DELETE ON links BEGIN
        INSERT INTO link_changes (profile, type, source_id) SELECT OLD.profile, OLD.type, OLD.source_id
        WHERE NOT EXISTS (SELECT 1 FROM link_changes
          WHERE profile = OLD.profile AND type = OLD.type AND source_id = OLD.source_id);
      END;

      -- Links per profile and type, kept by triggers: the dashboard after every cycle read them with a COUNT over
      -- every link. Named to sort after "links": a profile rename moves tables in name order, links first.
      CREATE TABLE links_count (
        profile TEXT NOT NULL,
        type TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (profile, type)
      ) WITHOUT ROWID;
      INSERT INTO links_count (profile, type, n) SELECT profile, type, COUNT(*) FROM links GROUP BY profile, type;
      CREATE TRIGGER links_insert_count AFTER INSERT ON links BEGIN
        INSERT INTO links_count (profile, type, n) SELECT NEW.profile, NEW.type, 0
        WHERE NOT EXISTS (SELECT 1 FROM links_count WHERE profile = NEW.profile AND type = NEW.type);
        UPDATE links_count SET n = n + 1 WHERE profile = NEW.profile AND type = NEW.type;
      END;
      CREATE TRIGGER links_delete_count AFTER DELETE ON links BEGIN
        UPDATE links_count SET n = n - 1 WHERE profile = OLD.profile AND type = OLD.type;
      END;

      -- the in-scope count of the committed mirror, so that a cycle never counts the whole mirror for the canary
      ALTER TABLE evaluation_inputs ADD COLUMN in_scope INTEGER;
      DELETE FROM evaluation_inputs;
    `);
  },
};
