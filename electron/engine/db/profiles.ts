import type { Database } from "better-sqlite3";
import { ProfileSchema, type Profile } from "../../../shared/config/profile";

export function saveProfile(db: Database, profile: Profile, now: Date = new Date()): void {
  db.prepare(
    `INSERT INTO profiles (name, json, updated) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET json = excluded.json, updated = excluded.updated`,
  ).run(profile.name, JSON.stringify(profile), now.toISOString());
}

/** The stored profile, validated again: a hand-edited or older row is reported instead of used half-valid. */
export function getProfile(db: Database, name: string): Profile | undefined {
  const row = db.prepare("SELECT json FROM profiles WHERE name = ?").get(name) as { json: string } | undefined;
  return row ? ProfileSchema.parse(JSON.parse(row.json)) : undefined;
}

export function listProfiles(db: Database): { name: string; updated: string }[] {
  return db.prepare("SELECT name, updated FROM profiles ORDER BY name").all() as { name: string; updated: string }[];
}

export function deleteProfile(db: Database, name: string): boolean {
  return db.prepare("DELETE FROM profiles WHERE name = ?").run(name).changes === 1;
}
