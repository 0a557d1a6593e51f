// What saving, renaming and deleting a profile do to the stored data (profile store, state database, keychain);
// the service wraps these with what it must update in memory (the profile in use, the scheduler, the window).
import type { Database } from "better-sqlite3";
import { profileNameProblem } from "../../../shared/config/profile";
import type { LogEntry, Problem, ProfileSaveResult } from "../../../shared/ipc/model";
import { deleteProfileState, renameProfileState } from "../db";
import type { ProfileStore } from "../db/profile-store";
import { SECRET_NAMES, type SecretName, type SecretStore } from "../secrets/secret-store";
import { EngineError } from "./errors";
import { profileChanges } from "./profile-diff";
import { checkProfile, hasErrors } from "./profile-io";

export interface ProfileOpsContext {
  store: ProfileStore;
  db: Database;
  secrets: SecretStore;
  dataDir: string;
  warn?: (message: string) => void;
}

/** `--profile`, PROVISIONDESK_PROFILE and names from the window all pass the one profile-name rule. */
export function requireValidName(name: string, what = "The profile name"): void {
  const problem = profileNameProblem(name);
  if (problem) throw new EngineError("config", `${what} ${JSON.stringify(name)} cannot be used: ${problem}.`);
}

export function requireStored(ctx: ProfileOpsContext, name: string): void {
  requireValidName(name);
  if (ctx.store.revision(name) === null)
    throw new EngineError("NOT_FOUND", `No profile named ${JSON.stringify(name)} is stored in ${ctx.dataDir}.`);
}

/**
 * The one save: checked as a whole (schema and rules), refused on any error, and stored only if the stored revision
 * is still the one the edit started from ("overwrite": whatever is stored). Nothing is written unless "saved".
 * The first profile stored becomes the one in use.
 */
export function storeProfile(
  store: ProfileStore,
  input: unknown,
  baseRevision: number | null | "overwrite",
): ProfileSaveResult & { name?: string } {
  const checked = checkProfile(input);
  if (!checked.profile || hasErrors(checked.problems)) return { status: "invalid", problems: checked.problems };
  const next = checked.profile;
  const put = store.put(next.name, JSON.stringify(next), baseRevision === "overwrite" ? "any" : baseRevision);
  if (put.status === "conflict") {
    const stored = put.current ? (JSON.parse(put.current.json) as unknown) : null;
    return { status: "conflict", revision: put.current?.revision ?? null, changes: profileChanges(stored, next) };
  }
  if (store.active() === null) store.setActive(next.name);
  return { status: "saved", revision: put.revision, problems: checked.problems, name: next.name };
}

/** Renames a stored profile; its secrets, links and history move with it. */
export async function renameStoredProfile(ctx: ProfileOpsContext, from: string, to: string): Promise<void> {
  requireStored(ctx, from);
  requireValidName(to, "The new profile name");
  if (ctx.store.revision(to) !== null)
    throw new EngineError("config", `A profile named ${JSON.stringify(to)} already exists. Pick another name.`);
  // Secrets first: if the keychain refuses, nothing has been renamed yet.
  const moved: SecretName[] = [];
  for (const name of SECRET_NAMES) {
    const value = await ctx.secrets.get(from, name);
    if (value !== null) {
      await ctx.secrets.set(to, name, value);
      moved.push(name);
    }
  }
  if (!ctx.store.rename(from, to)) {
    await Promise.allSettled(moved.map((name) => ctx.secrets.delete(to, name)));
    throw new EngineError("config", `The profile "${from}" was renamed or deleted elsewhere at the same moment.`);
  }
  renameProfileState(ctx.db, from, to);
  await Promise.allSettled(moved.map((name) => ctx.secrets.delete(from, name)));
}

/** Deletes a stored profile with its secrets, links and history. */
export async function deleteStoredProfile(ctx: ProfileOpsContext, name: string): Promise<void> {
  requireStored(ctx, name);
  if (!ctx.store.delete(name)) requireStored(ctx, name); // deleted elsewhere in between: reported as missing
  deleteProfileState(ctx.db, name);
  const removed = await Promise.allSettled(SECRET_NAMES.map((secret) => ctx.secrets.delete(name, secret)));
  if (removed.some((r) => r.status === "rejected"))
    ctx.warn?.(`The secrets of the deleted profile "${name}" could not all be removed from the keychain.`);
}

export const formatErrors = (problems: readonly Problem[]) =>
  problems
    .filter((p) => p.severity === "error")
    .map((p) => `  ${p.path || "(profile)"}: ${p.message}`)
    .join("\n");

export const stateDamagedNotice = (file: string) =>
  `The state database was damaged and was set aside as ${file}. Your profiles are kept apart and are unharmed. ` +
  "The next cycle is a full one that finds the users and groups already in the target by matching, so nothing is created twice.";

/** The cycle log entry (like the other cycle entries) saying why this cycle was a full one. */
export function stateDamagedEntry(summary: { id: number; startedAt: string }, message: string): Omit<LogEntry, "id"> {
  return {
    cycleId: summary.id,
    at: summary.startedAt,
    objectType: "cycle",
    sourceId: "",
    targetId: null,
    displayName: `Cycle ${summary.id}`,
    action: "Other",
    status: "Warning",
    modified: [],
    steps: [{ name: "State database", status: "Warning", detail: message }],
    errorCode: "StateDatabaseDamaged",
    message,
    recommendation:
      "Nothing to do: this cycle rebuilt the state by matching. Keep the set-aside file if support asks for it.",
    requestIds: [],
  };
}
