import Database from "better-sqlite3";
import type { StoredGroup, StoreSink } from "./store";
import type { ScimUser } from "./types";

const SCHEMA_VERSION = 1;

/** Ordered migrations keyed to PRAGMA user_version. */
const MIGRATIONS: string[] = [
  `CREATE TABLE users (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
   CREATE TABLE groups (id TEXT PRIMARY KEY, doc TEXT NOT NULL);`,
];

export interface SqlitePersistence {
  sink: StoreSink;
  /** Everything saved, in creation order (rowid survives upserts). */
  load(): { users: ScimUser[]; groups: StoredGroup[] };
  close(): void;
}

/** Write-through SQLite copy of the store so the demo target survives restarts. */
export function openSqlitePersistence(file: string): SqlitePersistence {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new Error(
      `SCIM emulator database ${file} was written by a newer version (schema ${version}); use another dbFile`,
    );
  }
  db.transaction(() => {
    for (const sql of MIGRATIONS.slice(version)) db.exec(sql);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();

  const upsert = (table: "users" | "groups") =>
    db.prepare(`INSERT INTO ${table} (id, doc) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc`);
  const saveUser = upsert("users");
  const saveGroup = upsert("groups");
  const deleteUser = db.prepare("DELETE FROM users WHERE id = ?");
  const deleteGroup = db.prepare("DELETE FROM groups WHERE id = ?");
  const all = (table: "users" | "groups") =>
    (db.prepare(`SELECT doc FROM ${table} ORDER BY rowid`).all() as { doc: string }[]).map(
      (r) => JSON.parse(r.doc) as unknown,
    );

  return {
    sink: {
      saveUser: (u) => void saveUser.run(u.id, JSON.stringify(u)),
      deleteUser: (id) => void deleteUser.run(id),
      saveGroup: (g) => void saveGroup.run(g.id, JSON.stringify(g)),
      deleteGroup: (id) => void deleteGroup.run(id),
      clear: () => void db.exec("DELETE FROM users; DELETE FROM groups;"),
    },
    load: () => ({ users: all("users") as ScimUser[], groups: all("groups") as StoredGroup[] }),
    close: () => db.close(),
  };
}
