import type { Database } from "better-sqlite3";
import { atomically } from "./atomically";
import { MIGRATIONS, type Migration } from "./migrations";

export class DatabaseTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `The state database was written by a newer ProvisionDesk (schema version ${found}; this version understands up to ${supported}). ` +
        "Update ProvisionDesk, or point it at another data folder.",
    );
    this.name = "DatabaseTooNewError";
  }
}

/** Brings the schema to the newest version in one transaction: either every pending migration applies, or none. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = db.pragma("user_version", { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) throw new DatabaseTooNewError(current, latest);
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return current;
  atomically(db, () => {
    for (const m of pending) {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
  });
  return latest;
}
