// With scope by assignment (or picked groups) the selection is worked out from every group; a cycle in which nothing
// changed and nothing waits reads none (needsEveryGroup), which is most cycles.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  escrowFailure,
  getEvaluationInputs,
  putLink,
  saveDecisions,
  saveMirror,
  deleteLink,
  getLink,
} from "../../../electron/engine/db";
import { needsEveryGroup } from "../../../electron/engine/cycle/to-evaluate";
import type { Assignments } from "../../../electron/engine/source";
import { startWorld, type World } from "./harness";

describe("needsEveryGroup", () => {
  let w: World;
  let last: Assignments;
  const needs = (changed = 0, assignments: Assignments | null = last) =>
    needsEveryGroup(w.db, w.profile.name, { changed, assignments });

  beforeAll(async () => {
    w = await startWorld({ users: 40, seed: 4 });
    expect(w.profile.source.scope).toBe("assigned");
    expect((await w.run()).summary.outcome).toBe("succeeded");
    const inputs = getEvaluationInputs(w.db, w.profile.name)!.assignments!;
    last = {
      servicePrincipalId: "sp",
      userIds: new Set(inputs.userIds),
      groupIds: new Set(inputs.groupIds),
      names: new Map(),
    };
  });
  afterAll(() => w.close());

  it("is not needed when nothing changed and nothing waits", () => {
    expect(needs()).toBe(false);
  });

  it("is needed for any change read from Entra, or other assignments", () => {
    expect(needs(1)).toBe(true);
    expect(needs(0, { ...last, userIds: new Set([...last.userIds, "someone-new"]) })).toBe(true);
    expect(needs(0, { ...last, groupIds: new Set() })).toBe(true);
    expect(needs(0, null)).toBe(true);
  });

  it("is needed while objects wait: pending, escrowed, or with a link changed outside a cycle", () => {
    const db = w.db;
    const P = w.profile.name;
    saveMirror(db, P, "user", [{ type: "user", id: "waiting", attributes: {}, removed: null }], false);
    saveDecisions(db, P, "user", [["waiting", { inScope: true, softDeleted: false }]]);
    expect(needs()).toBe(true);
    saveDecisions(db, P, "user", [["waiting", { inScope: false, softDeleted: true }]]);
    expect(needs()).toBe(false);

    escrowFailure(db, P, "user", "waiting", "refused", new Date());
    expect(needs()).toBe(true);
    db.prepare("DELETE FROM escrow WHERE profile = ?").run(P);
    expect(needs()).toBe(false);

    const linked = db
      .prepare("SELECT source_id FROM links WHERE profile = ? AND type = 'user' LIMIT 1")
      .pluck()
      .get(P) as string;
    const link = getLink(db, P, "user", linked)!;
    deleteLink(db, P, "user", linked);
    putLink(db, P, link);
    expect(needs()).toBe(true);
  });
});
