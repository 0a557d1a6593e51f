import type { Migration } from "./types";

/**
 * A group's members live in the members index only (migration 009, now with each member's type), not also as JSON in
 * the group's mirror row: a cycle that adds one member to a group wrote and read its whole member list, twice, so a
 * cycle's cost grew with the size of the groups it touched rather than with the change. The index is filled from the
 * rows' JSON before the column goes; saveMirror keeps it from then on (the insert trigger of migration 009 goes too).
 */
export const migration011: Migration = {
  version: 11,
  name: "group members indexed only",
  up(db) {
    db.exec(`
      DROP TRIGGER source_groups_insert;
      DROP TRIGGER source_groups_delete;
      CREATE TABLE source_objects_members_typed (
        profile TEXT NOT NULL,
        group_id TEXT NOT NULL,
        member_id TEXT NOT NULL,
        member_type TEXT NOT NULL,
        PRIMARY KEY (profile, group_id, member_id)
      ) WITHOUT ROWID;
      INSERT OR IGNORE INTO source_objects_members_typed (profile, group_id, member_id, member_type)
        SELECT o.profile, o.id, json_extract(m.value, '$.id'), COALESCE(json_extract(m.value, '$.type'), 'user')
        FROM source_objects o, json_each(COALESCE(o.members, '[]')) m WHERE o.type = 'group';
      DROP TABLE source_objects_members;
      ALTER TABLE source_objects_members_typed RENAME TO source_objects_members;
      CREATE INDEX source_objects_members_by_member ON source_objects_members (profile, member_id);
      CREATE TRIGGER source_groups_delete AFTER DELETE ON source_objects WHEN OLD.type = 'group' BEGIN
        DELETE FROM source_objects_members WHERE profile = OLD.profile AND group_id = OLD.id;
      END;
      ALTER TABLE source_objects DROP COLUMN members;
    `);
  },
};
