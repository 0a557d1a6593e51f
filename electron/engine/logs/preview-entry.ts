import type { CycleSummary } from "../../../shared/ipc/model";
import type { LogInput } from "../cycle/log";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "a", "a and b", "a, b and c". */
const list = (parts: string[]) =>
  parts.length < 2 ? parts.join("") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;

/**
 * A dry run's one log entry. The would-be changes themselves are the stored plan (Preview, `sync --dry-run`); the live
 * log only records that a preview ran and what it found, so it does not fill with rows for changes nobody made.
 */
export function previewEntry(counts: CycleSummary["counts"]): LogInput {
  const { users, groups, memberships } = counts;
  const parts = (
    [
      [users.create + groups.create, "create"],
      [users.update + groups.update, "update"],
      [users.disable + groups.disable, "disable"],
      [users.delete + groups.delete, "delete"],
      [memberships.added + memberships.removed, "membership change"],
    ] as const
  )
    .filter(([n]) => n > 0)
    .map(([n, word]) => plural(n, word));
  const planned = parts.length
    ? `${list(parts)} planned; nothing was sent to the target. Review them in Preview.`
    : "nothing to change; nothing was sent to the target.";
  // Held member changes are not in the plan (nothing would be sent for them); the preview says they are still held.
  const held = groups.skipped
    ? ` Member changes of ${plural(groups.skipped, "group")} stay held: the target refused them earlier (see the last cycle's log).`
    : "";
  const message = `Preview: ${planned}${held}`;
  return {
    objectType: "cycle",
    sourceId: "",
    targetId: null,
    displayName: "Preview (dry run)",
    action: "Other",
    status: "Skipped",
    modified: [],
    steps: [{ name: "Preview", status: "Skipped", detail: message }],
    message,
  };
}
