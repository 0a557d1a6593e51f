import type { Migration } from "./types";

/**
 * The mirror's group memberships indexed by member, so that a user who comes into or goes out of the target makes a
 * cycle plan the memberships of that user's groups only, not of every group. Triggers on the mirror keep it right
 * whatever writes the mirror. Named to sort after "source_objects": a profile rename moves tables in name order, and
 * the mirror's own delete trigger must run before this table's rows are moved.
 */
export const migration009: Migration = {
  version: 9,
  name: "group members by member",
  up(db) {
    db.exec(`
      CREATE TABLE source_objects_members (
        profile TEXT NOT NULL,
        group_id TEXT NOT NULL,
        member_id TEXT NOT NULL,
        PRIMARY KEY (profile, group_id, member_id)
      ) WITHOUT ROWID;
      CREATE INDEX source_objects_members_by_member ON source_objects_members (profile, member_id);
      INSERT INTO source_objects_members (profile, group_id, member_id)
        SELECT DISTINCT o.profile, o.id, json_extract(m.value, '$.id')
        FROM source_objects o, json_each(COALESCE(o.members, '[]')) m WHERE o.type = 'group';

      CREATE TRIGGER source_groups_insert AFTER INSERT ON source_objects WHEN NEW.type = 'group' BEGIN
        INSERT INTO source_objects_members (profile, group_id, member_id)
          SELECT DISTINCT NEW.profile, NEW.id, json_extract(value, '$.id') FROM json_each(COALESCE(NEW.members, '[]'));
      END;
      -- Only the members that changed are written: a cycle saves every group whose membership changed by one.
      CREATE TRIGGER source_groups_update AFTER UPDATE OF members ON source_objects WHEN NEW.type = 'group' BEGIN
        DELETE FROM source_objects_members WHERE profile = OLD.profile AND group_id = OLD.id
          AND member_id NOT IN (SELECT json_extract(value, '$.id') FROM json_each(COALESCE(NEW.members, '[]')));
        INSERT INTO source_objects_members (profile, group_id, member_id)
          SELECT DISTINCT NEW.profile, NEW.id, json_extract(value, '$.id') FROM json_each(COALESCE(NEW.members, '[]'))
          WHERE NOT EXISTS (SELECT 1 FROM source_objects_members m
            WHERE m.profile = NEW.profile AND m.group_id = NEW.id AND m.member_id = json_extract(value, '$.id'));
      END;
      CREATE TRIGGER source_groups_delete AFTER DELETE ON source_objects WHEN OLD.type = 'group' BEGIN
        DELETE FROM source_objects_members WHERE profile = OLD.profile AND group_id = OLD.id;
      END;
    `);
  },
};
