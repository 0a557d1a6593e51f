import type { AppStatus, CycleOutcome, CycleSummary } from "../../shared/ipc/model";

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const time = new Intl.DateTimeFormat(undefined, { timeStyle: "medium" });

export const formatDateTime = (iso: string | null | undefined): string => (iso ? dateTime.format(new Date(iso)) : "—");
export const formatTime = (iso: string): string => time.format(new Date(iso));

export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  return seconds < 90 ? `${seconds.toFixed(1)} s` : `${Math.round(seconds / 60)} min`;
}

/** "in 12 min" / "3 min ago", for times near now. */
export function formatRelative(iso: string | null, now = Date.now()): string {
  if (!iso) return "";
  const minutes = Math.round((new Date(iso).getTime() - now) / 60_000);
  if (minutes === 0) return "now";
  const span = Math.abs(minutes) < 120 ? `${Math.abs(minutes)} min` : `${Math.round(Math.abs(minutes) / 60)} h`;
  return minutes > 0 ? `in ${span}` : `${span} ago`;
}

export const statusLabel: Record<AppStatus, string> = {
  idle: "Ready",
  syncing: "Provisioning",
  warning: "Needs attention",
  error: "Not working",
  paused: "Paused",
};

export { outcomeLabel } from "../../shared/ipc/labels";

export const outcomeTone = (outcome: CycleOutcome): "ok" | "warn" | "bad" | "busy" =>
  outcome === "succeeded"
    ? "ok"
    : outcome === "running"
      ? "busy"
      : outcome === "completedWithFailures"
        ? "warn"
        : "bad";

/** "1 property", "2 properties": a count with its noun in the right number. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** One line such as "2 created, 1 updated, 3 memberships added" (only the non-zero counts). */
export function summarizeCounts(cycle: CycleSummary): string {
  const { users, groups, memberships } = cycle.counts;
  const parts: string[] = [];
  const add = (n: number, one: string, many: string, verb: string) =>
    n > 0 && parts.push(`${plural(n, one, many)} ${verb}`);
  add(users.create, "user", "users", "created");
  add(users.update, "user", "users", "updated");
  add(users.disable, "user", "users", "disabled");
  add(users.delete, "user", "users", "deleted");
  add(groups.create, "group", "groups", "created");
  add(groups.update, "group", "groups", "updated");
  add(groups.delete, "group", "groups", "deleted");
  // Staged by the deletion threshold: nothing was done to them.
  add(users.stagedDelete + groups.stagedDelete, "deletion", "deletions", "held back");
  add(memberships.added, "membership", "memberships", "added");
  add(memberships.removed, "membership", "memberships", "removed");
  add(users.failed + groups.failed, "change", "changes", "failed");
  if (!parts.length) return cycle.dryRun ? "Nothing to change" : "No changes";
  return cycle.dryRun ? `Would apply: ${parts.join(", ")}` : parts.join(", ");
}

/** A value of any type as a short readable string (log old → new values, profile fields). */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "(empty)";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

const isEmptyValue = (value: unknown) => value === null || value === undefined || value === "";
const isBooleanLike = (value: unknown) =>
  typeof value === "boolean" || (typeof value === "string" && /^(true|false)$/i.test(value));

/**
 * An attribute change as [before, after] text. Entra and some targets write booleans as "True"/"False", mappings
 * yield "true"/"false", targets answer true/false: the engine compares them as booleans, so a change between such
 * values reads as one ("true → false", not "True → false"). Every other value is shown as it is.
 */
export function formatChange(before: unknown, after: unknown): [string, string] {
  const pair = [before, after];
  const booleans = pair.every((v) => isEmptyValue(v) || isBooleanLike(v)) && pair.some((v) => !isEmptyValue(v));
  return booleans
    ? ([before, after].map((v) => (isEmptyValue(v) ? formatValue(v) : String(v).toLowerCase())) as [string, string])
    : [formatValue(before), formatValue(after)];
}
