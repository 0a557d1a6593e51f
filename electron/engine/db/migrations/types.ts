import type { Database } from "better-sqlite3";

export interface Migration {
  /** The PRAGMA user_version the database has once this migration ran; consecutive from 1. */
  version: number;
  name: string;
  up(db: Database): void;
}
