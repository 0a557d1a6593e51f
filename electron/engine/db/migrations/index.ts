import type { Migration } from "./types";
import { migration001 } from "./001-initial";
import { migration002 } from "./002-profiles-moved-out";
import { migration003 } from "./003-log-search-alerts";
import { migration004 } from "./004-membership-escrow";
import { migration005 } from "./005-quarantine-cleared";
import { migration006 } from "./006-evaluation-inputs";
import { migration007 } from "./007-plans";
import { migration008 } from "./008-scope-decisions";
import { migration009 } from "./009-group-members";
import { migration010 } from "./010-group-members-diffed";
import { migration011 } from "./011-group-members-indexed-only";

/** Every migration, oldest first. Append only: a shipped migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
];

export const LATEST_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
export type { Migration } from "./types";
