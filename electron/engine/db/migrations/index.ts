import type { Migration } from "./types";
import { migration001 } from "./001-initial";
import { migration004 } from "./004-membership-escrow";

/** Every migration, oldest first. Append only: a shipped migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration004];

export const LATEST_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
export type { Migration } from "./types";
