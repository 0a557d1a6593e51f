import { useEffect, useRef, useState } from "react";
import { create } from "zustand";
import type { PlanChange, PlanItem, PlanItemKind, PlanView } from "../../../shared/ipc/plan-model";
import type { AppError } from "../../../shared/ipc/result";
import { ErrorNotice } from "../components/ErrorNotice";
import { Card, Empty, SectionHeader } from "../components/ui";
import { formatChange, plural, summarizeCounts } from "../format";
import { useApp } from "../store";
import { saveFile } from "../util/save-file";

const kindLabel: Record<PlanItemKind, string> = {
  create: "Create",
  update: "Update",
  disable: "Disable",
  delete: "Delete",
  heldDelete: "Held deletions (threshold)",
  memberAdd: "Membership adds",
  memberRemove: "Membership removes",
};
const kinds = Object.keys(kindLabel) as PlanItemKind[];

const api = () => useApp.getState().api!;

/** A cycle whose stored plan the section opens (the Dashboard's held deletions of a cycle stopped at a gate). */
const useRequestedPlan = create<{ cycleId: number | null }>()(() => ({ cycleId: null }));

/** Opens Preview on the plan a cycle stored, e.g. the deletions the threshold held back, to allow them once. */
export function openCyclePlan(cycleId: number): void {
  useRequestedPlan.setState({ cycleId });
  useApp.getState().show("preview");
}

const fold = (text: string) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

function ItemRow({ item, approved, toggle }: { item: PlanItem; approved: boolean; toggle(): void }) {
  return (
    <li
      className="plan-item"
      data-testid="plan-item"
      data-kind={item.kind}
      data-object={item.objectType}
      data-approved={approved}
    >
      <label>
        <input type="checkbox" checked={approved} onChange={toggle} /> <strong>{item.displayName}</strong>
        {item.group && <span className="muted"> in {item.group.displayName}</span>}
      </label>
      <span className="muted"> {item.reason}</span>
      {item.changes.length > 0 && (
        <ul className="value-list">
          {item.changes.map((change) => {
            const [before, after] = formatChange(change.old, change.new);
            return (
              <li key={change.attribute}>
                <code>{change.attribute}</code>: {item.kind !== "create" && <>{before} → </>}
                {after}
              </li>
            );
          })}
        </ul>
      )}
    </li>
  );
}

/** A dry run as a plan to review: approve all or some items, then apply exactly those. */
export function Preview() {
  const [plan, setPlan] = useState<PlanView | null>(null);
  const [approved, setApproved] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState<"preview" | "apply" | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [changes, setChanges] = useState<PlanChange[] | null>(null);
  const [applied, setApplied] = useState<string | null>(null);
  const [kind, setKind] = useState<"" | PlanItemKind>("");
  const [search, setSearch] = useState("");
  const changedDialog = useRef<HTMLDialogElement>(null);
  const requested = useRequestedPlan((state) => state.cycleId);

  const load = (next: PlanView) => {
    setPlan(next);
    // Held deletions wait for "Allow these once"; everything else starts approved.
    setApproved(new Set(next.items.filter((i) => i.kind !== "heldDelete").map((i) => i.id)));
  };
  // A cycle stopped at the deletion threshold stored its plan: its held deletions can be reviewed and allowed here.
  const stopped = useApp((state) => state.dashboard.data?.lastCycle);
  const heldCycle = stopped?.outcome === "stoppedByDeletionThreshold" && !stopped.dryRun ? stopped.id : null;
  const openHeld = async (cycleId: number) => {
    setError(null);
    setApplied(null);
    const result = await api().invoke("plan.get", { cycleId });
    if (result.ok) load(result.value);
    else setError(result.error);
  };
  useEffect(() => {
    if (requested === null) return;
    useRequestedPlan.setState({ cycleId: null });
    void api()
      .invoke("plan.get", { cycleId: requested })
      .then((result) => {
        setApplied(null);
        if (result.ok) load(result.value);
        setError(result.ok ? null : result.error);
      });
  }, [requested]);
  const preview = async () => {
    setBusy("preview");
    setError(null);
    setApplied(null);
    const result = await api().invoke("plan.preview", {});
    setBusy(null);
    if (result.ok) load(result.value);
    else setError(result.error);
  };
  const apply = async () => {
    if (!plan) return;
    setBusy("apply");
    setError(null);
    const ids = [...approved];
    const result = await api().invoke("plan.apply", {
      planId: plan.id,
      approved: ids,
      rejected: plan.items.filter((i) => !approved.has(i.id)).map((i) => i.id),
    });
    setBusy(null);
    if (!result.ok) return setError(result.error);
    if (result.value.status === "changed") {
      setChanges(result.value.changes);
      load(result.value.plan);
      changedDialog.current?.showModal();
      return;
    }
    setApplied(summarizeCounts(result.value.summary));
    setPlan(null);
    void useApp.getState().refresh("dashboard");
  };
  const exportCsv = async () => {
    if (!plan) return;
    const result = await api().invoke("plan.exportCsv", { planId: plan.id });
    if (result.ok) saveFile(result.value.filename, result.value.content);
    else setError(result.error);
  };
  const toggle = (id: string) =>
    setApproved((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const setMany = (ids: string[], on: boolean) =>
    setApproved((current) => {
      const next = new Set(current);
      for (const id of ids)
        if (on) next.add(id);
        else next.delete(id);
      return next;
    });
  const needle = fold(search.trim());
  const shown = (plan?.items ?? []).filter(
    (i) =>
      (!kind || i.kind === kind) &&
      (!needle || fold(`${i.displayName} ${i.sourceId} ${i.group?.displayName ?? ""}`).includes(needle)),
  );

  return (
    <>
      <SectionHeader
        title="Preview changes"
        description="A dry run as a plan: review what would change, approve all or some of it, then apply exactly that."
        actions={
          <button
            type="button"
            className="primary"
            onClick={() => void preview()}
            disabled={busy !== null}
            data-testid="plan-preview"
          >
            {busy === "preview" ? "Previewing…" : plan ? "Preview again" : "Preview changes"}
          </button>
        }
      />
      {error && <ErrorNotice error={error} title="The plan could not be made or applied" />}
      {applied && (
        <p role="status" className="notice" data-testid="plan-applied">
          Applied: {applied}
        </p>
      )}
      {!plan && heldCycle !== null && (
        <div className="notice notice-warn" role="status" data-testid="plan-held-notice">
          <p>
            Cycle {heldCycle} stopped at the deletion threshold: it would have disabled or deleted more than the
            threshold allows, so it did none of it. Review what it held back and allow it once, or fix the scope.
          </p>
          <button type="button" onClick={() => void openHeld(heldCycle)} data-testid="plan-held-open">
            Review the held deletions
          </button>
        </div>
      )}
      {plan && (
        <Card title={`Plan of cycle ${plan.cycleId}`} testId="plan">
          <div className="toolbar" role="search" aria-label="Filter the plan">
            <label>
              Action
              <select value={kind} onChange={(event) => setKind(event.target.value as "" | PlanItemKind)}>
                <option value="">All</option>
                {kinds.map((k) => (
                  <option key={k} value={k}>
                    {kindLabel[k]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Search
              <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} />
            </label>
            <span className="live">
              {approved.size} of {plural(plan.items.length, "item")} approved
            </span>
          </div>
          <div className="button-row">
            <button
              type="button"
              onClick={() =>
                setMany(
                  shown.map((i) => i.id),
                  true,
                )
              }
            >
              Approve shown
            </button>
            <button
              type="button"
              onClick={() =>
                setMany(
                  shown.map((i) => i.id),
                  false,
                )
              }
            >
              Reject shown
            </button>
            <button type="button" onClick={() => void exportCsv()}>
              Export CSV
            </button>
            <button
              type="button"
              className="primary"
              disabled={busy !== null || approved.size === 0}
              onClick={() => void apply()}
              data-testid="plan-apply"
            >
              {busy === "apply" ? "Applying…" : `Apply ${plural(approved.size, "approved item")}`}
            </button>
          </div>
          {!plan.items.length && <Empty>Nothing to change: the target already matches Entra ID.</Empty>}
          {kinds.map((k) => {
            const items = shown.filter((i) => i.kind === k);
            if (!items.length) return null;
            return (
              <section key={k} aria-label={kindLabel[k]} className="plan-group">
                <h3>
                  {kindLabel[k]} ({items.length})
                </h3>
                {k === "heldDelete" && (
                  <p>
                    The deletion threshold held these back.{" "}
                    <button
                      type="button"
                      onClick={() =>
                        setMany(
                          items.map((i) => i.id),
                          true,
                        )
                      }
                    >
                      Allow these once
                    </button>
                  </p>
                )}
                <ul className="plan-items">
                  {items.map((item) => (
                    <ItemRow
                      key={item.id}
                      item={item}
                      approved={approved.has(item.id)}
                      toggle={() => toggle(item.id)}
                    />
                  ))}
                </ul>
              </section>
            );
          })}
        </Card>
      )}
      <dialog ref={changedDialog} className="confirm" aria-labelledby="plan-changed-title">
        <form method="dialog">
          <h2 id="plan-changed-title">Entra ID changed since the preview</h2>
          <p>Nothing was applied. These approved items are planned differently now; review the plan and apply again.</p>
          <ul>
            {changes?.map((change) => (
              <li key={change.itemId}>
                {change.displayName}: {change.change === "gone" ? "no longer needed" : "changed"}
              </li>
            ))}
          </ul>
          <div className="button-row">
            <button type="submit" autoFocus>
              Review the plan
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
