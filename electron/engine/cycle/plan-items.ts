import type { PlanChange, PlanFilters, PlanItem, PlanItemKind } from "../../../shared/ipc/plan-model";
import type { WorkPlan } from "./plan";
import type { Plan, PlannedActionKind } from "./types";

const KIND: Record<PlannedActionKind, PlanItemKind> = {
  Create: "create",
  Update: "update",
  Disable: "disable",
  Delete: "delete",
  StagedDelete: "heldDelete",
};

export const objectItemId = (type: "user" | "group", sourceId: string) => `${type}:${sourceId}`;
export const memberItemId = (groupId: string, userId: string) => `member:${groupId}:${userId}`;

/** A plan as reviewable items with stable ids: object actions first, then membership adds and removes per group. */
export function planItems(plan: Plan, userNames: Map<string, string> = new Map()): PlanItem[] {
  const items: PlanItem[] = plan.actions.map((a) => ({
    id: objectItemId(a.objectType, a.sourceId),
    kind: KIND[a.action],
    objectType: a.objectType,
    sourceId: a.sourceId,
    displayName: a.displayName,
    targetId: a.targetId,
    changes: a.changes,
    reason: a.reason,
    group: null,
  }));
  for (const m of plan.memberships) {
    const group = { sourceId: m.groupSourceId, displayName: m.displayName };
    for (const [kind, ids] of [
      ["memberAdd", m.add],
      ["memberRemove", m.remove],
    ] as const)
      for (const userId of ids)
        items.push({
          id: memberItemId(m.groupSourceId, userId),
          kind,
          objectType: "user",
          sourceId: userId,
          displayName: userNames.get(userId) ?? userId,
          targetId: null,
          changes: [],
          reason: kind === "memberAdd" ? `member of ${m.displayName} in Entra` : `no longer in ${m.displayName}`,
          group,
        });
  }
  return items;
}

/** A held deletion is the disable or delete it holds back: approving it once is the same change. */
const sameKind = (k: PlanItemKind) => (k === "disable" || k === "delete" || k === "heldDelete" ? "deprovision" : k);
const fingerprint = (i: PlanItem) =>
  JSON.stringify([sameKind(i.kind), i.changes.map((c) => [c.attribute, c.old, c.new]), i.group?.sourceId ?? null]);

/** The approved items that Entra's changes since the preview would make different (or no longer needed). */
export function changedItems(approved: PlanItem[], now: PlanItem[]): PlanChange[] {
  const byId = new Map(now.map((i) => [i.id, i]));
  return approved.flatMap((before): PlanChange[] => {
    const current = byId.get(before.id);
    if (!current) return [{ itemId: before.id, displayName: before.displayName, change: "gone", before, now: null }];
    if (fingerprint(current) === fingerprint(before)) return [];
    return [{ itemId: before.id, displayName: before.displayName, change: "changed", before, now: current }];
  });
}

/** Keeps only the approved objects and membership changes of a cycle's work; everything else is left for later. */
export function restrictWork(work: WorkPlan, approved: Set<string>): WorkPlan {
  const keep = (w: WorkPlan["users"][number]) => !!w.action && approved.has(objectItemId(w.type, w.sourceId));
  const memberships = work.memberships
    .map((m) => ({
      ...m,
      add: m.add.filter((u) => approved.has(memberItemId(m.groupSourceId, u))),
      remove: m.remove.filter((u) => approved.has(memberItemId(m.groupSourceId, u))),
      held: [],
    }))
    .filter((m) => m.add.length + m.remove.length > 0);
  return { ...work, users: work.users.filter(keep), groups: work.groups.filter(keep), memberships, failures: [] };
}

const fold = (s: string) =>
  s
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();

export function filterItems(items: PlanItem[], filters: PlanFilters = {}): PlanItem[] {
  const search = filters.search ? fold(filters.search.trim()) : "";
  return items.filter(
    (i) =>
      (!filters.kinds || filters.kinds.includes(i.kind)) &&
      (!filters.objectType || i.objectType === filters.objectType) &&
      (!search ||
        [i.displayName, i.sourceId, i.targetId ?? "", i.group?.displayName ?? "", i.group?.sourceId ?? ""].some((s) =>
          fold(s).includes(search),
        )),
  );
}

const csvCell = (value: unknown) => {
  const s = value == null ? "" : typeof value === "string" ? value : JSON.stringify(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One row per attribute change (an item without attribute changes is one row), for a spreadsheet review. */
export function itemsCsv(items: PlanItem[]): string {
  const header = ["item id", "action", "object type", "display name", "source id", "target id", "group", "attribute"];
  const rows: unknown[][] = [[...header, "before", "after", "reason"]];
  for (const i of items) {
    const base = [i.id, i.kind, i.objectType, i.displayName, i.sourceId, i.targetId, i.group?.displayName ?? ""];
    const changes = i.changes.length > 0 ? i.changes : [null];
    for (const c of changes) rows.push([...base, c?.attribute ?? "", c?.old, c?.new, i.reason]);
  }
  return rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
