// Fault matrix, target side: the SCIM emulator's fault switches against a real engine. Each case asserts the final
// target state (expectNoDataLost), the log entries and what the admin reads; `npm run test:faults` prints the table.
import { describe, expect } from "vitest";
import { getLink, loadEscrow } from "../../electron/engine/db";
import { SPLASHTOP_USER_SCHEMA, type ScimFaults } from "../../electron/emulators/scim";
import { expectedScope, expectedTarget } from "../engine/cycle/harness";
import { failures, faultCase, provisioned, type FaultWorld } from "./matrix";

const inTarget = (w: FaultWorld, upn: string) => w.scimSrv.listUsers().filter((u) => u.userName === upn);

/** Another writer (an admin, another tool) talking to the target directly. */
async function direct(w: FaultWorld, method: string, path: string, body?: unknown): Promise<number> {
  const res = await fetch(`${w.scimSrv.tenantUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${w.scimSrv.token}`, "content-type": "application/scim+json" },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  await res.text();
  return res.status;
}

/** Users already in the target before the first cycle (provisioned earlier by another tool), with stale names. */
async function preexisting(w: FaultWorld, count: number): Promise<void> {
  for (const u of expectedTarget(w.graphEmu).users.slice(0, count)) {
    const body = {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", SPLASHTOP_USER_SCHEMA],
      userName: u.userName,
      displayName: "Stale Name",
    };
    expect(await direct(w, "POST", "/Users", body)).toBe(201);
  }
}

/** The first cycle, against a target that already has 3 of the users, with the listing broken by `faults`. */
async function firstCycleWithBrokenListing(w: FaultWorld, faults: Partial<ScimFaults>) {
  await preexisting(w, 3);
  w.scimSrv.clearRequests();
  w.scimSrv.setFaults({ match: "^GET /Users$", ...faults });
  const { summary, log } = await w.cycle();
  expect(summary).toMatchObject({ outcome: "succeeded", error: null });
  expect(failures(log)).toEqual([]);
  // The unusable listing was set aside: every user was matched by a filtered GET instead, and none duplicated.
  const inScope = expectedTarget(w.graphEmu).users.length;
  const lookups = w.scimSrv.requests.filter((r) => r.method === "GET" && r.query.filter?.startsWith("userName eq"));
  expect(lookups).toHaveLength(inScope);
  expect(summary.counts.users).toMatchObject({ create: inScope - 3, update: 3, failed: 0 });
}

/** A provisioned world plus a new user who joins an assigned group: the next cycle adds one member. */
async function newMember(w: FaultWorld): Promise<string> {
  await provisioned(w);
  const [user] = w.addUsers("New Member");
  w.graphEmu.admin.addMember([...expectedScope(w.graphEmu).groupIds][0]!, user!.id);
  return user!.userPrincipalName;
}

/** userNames of every member of every target group. */
function memberNames(w: FaultWorld): string[] {
  const names = new Map(w.scimSrv.listUsers().map((u) => [u.id, u.userName]));
  return w.scimSrv.listGroups().flatMap((g) => g.members.map((m) => names.get(m.value) ?? m.value));
}

/** A new user whose create fails once; the cycle logs it and the next one must finish the job without a duplicate. */
async function createFailsOnce(w: FaultWorld, faults: Partial<ScimFaults>, expectMessage: RegExp, code: string) {
  await provisioned(w);
  const [user] = w.addUsers("Fault Victim");
  w.scimSrv.setFaults({ match: "^POST /Users$", ...faults });
  const failed = await w.cycle();
  expect(failed.summary.outcome).toBe("completedWithFailures");
  const [entry, ...others] = failures(failed.log);
  expect(others).toEqual([]);
  expect(entry).toMatchObject({ sourceId: user!.id, action: "Create", errorCode: code });
  expect(entry!.message).toMatch(expectMessage);
  expect(loadEscrow(w.db, w.profile.name).get(`user:${user!.id}`)?.attempts).toBe(1);
  const next = await w.cycle();
  expect(next.summary.outcome).toBe("succeeded");
  expect(inTarget(w, user!.userPrincipalName)).toHaveLength(1);
  return { user: user!, entry: entry!, next };
}

describe("fault matrix: target (SCIM)", () => {
  faultCase("target", "429 with Retry-After", async (w) => {
    w.scimSrv.setFaults({ match: "^POST /Users$", throttleNext: 2, retryAfterSeconds: 1 });
    const { summary, log } = await w.cycle();
    expect(summary).toMatchObject({ outcome: "succeeded", error: null });
    expect(failures(log)).toEqual([]);
    expect(w.retries.map((r) => [r.reason, r.delayMs])).toEqual([
      [429, 1000],
      [429, 1000],
    ]);
    return "waited the 1 s asked for, then succeeded";
  });

  faultCase("target", "429 without Retry-After", async (w) => {
    w.scimSrv.setFaults({ match: "^POST /Users$", throttleNext: 3, retryAfterSeconds: null });
    const { summary, log } = await w.cycle();
    expect(summary).toMatchObject({ outcome: "succeeded", error: null });
    expect(failures(log)).toEqual([]);
    expect(w.retries.map((r) => r.reason)).toEqual([429, 429, 429]);
    expect(w.retries.every((r) => r.delayMs <= 50)).toBe(true); // backoff, not a guessed long wait
    return "backed off exponentially, then succeeded";
  });

  faultCase("target", "429 storm beyond the retry budget", async (w) => {
    // The first attempt and all 8 retries refused: that create gives up, the others go through.
    const { entry } = await createFailsOnce(
      w,
      { throttleNext: 9, retryAfterSeconds: 0 },
      /kept asking to slow down \(429\) after several retries\. Lower the request rate/,
      "TooManyRequests",
    );
    expect(entry.recommendation).toBeTruthy();
    expect(w.retries.filter((r) => r.reason === 429)).toHaveLength(8);
    return "that user failed (logged, escrowed); created next cycle";
  });

  faultCase("target", "500 on create", async (w) => {
    const { entry } = await createFailsOnce(
      w,
      { errorNext: 1, errorStatus: 500 },
      /failed with an internal error \(500\) while trying to create a user.*retried next cycle/,
      "ServerError",
    );
    expect(entry.recommendation).toBeTruthy();
    return "that user failed (logged, escrowed); created next cycle";
  });

  faultCase("target", "502 after the create was applied", async (w) => {
    const { user, next } = await createFailsOnce(
      w,
      { errorNext: 1, errorStatus: 502, errorAfterApply: true },
      /internal error \(502\)/,
      "ServerError",
    );
    expect(next.log.filter((e) => e.status !== "Success")).toEqual([]);
    expect(getLink(w.db, w.profile.name, "user", user.id)?.matchedBy).toBe("intent");
    return "kept the create's intent; found and linked next cycle, not re-created";
  });

  faultCase("target", "503 on update", async (w) => {
    await provisioned(w);
    const edited = w.editUsers(3);
    w.scimSrv.setFaults({ match: "^PATCH /Users/", errorNext: 2, errorStatus: 503 });
    const { summary, log } = await w.cycle();
    expect(summary).toMatchObject({ outcome: "succeeded", error: null });
    expect(summary.counts.users.update).toBe(edited.length);
    expect(failures(log)).toEqual([]);
    expect(w.retries.map((r) => r.reason)).toEqual([503, 503]);
    return "retried, then succeeded";
  });

  faultCase("target", "503 on the target listing", async (w) => {
    w.scimSrv.setFaults({ match: "^GET /Users$", errorNext: 4, errorStatus: 503 });
    const { summary } = await w.cycle();
    expect(summary).toMatchObject({ outcome: "succeeded", error: null, kind: "initial" });
    expect(w.retries.map((r) => r.reason)).toEqual([503, 503, 503, 503]);
    return "retried, then succeeded";
  });

  faultCase("target", "504 on create", async (w) => {
    const { user } = await createFailsOnce(
      w,
      { errorNext: 1, errorStatus: 504 },
      /internal error \(504\)/,
      "ServerError",
    );
    // A gateway timeout on a POST is not re-sent blindly: the next cycle looked first, found nothing, and created.
    expect(w.retries).toEqual([]);
    expect(getLink(w.db, w.profile.name, "user", user.id)?.matchedBy).toBe("created");
    return "not re-sent blindly; looked up next cycle, then created";
  });

  faultCase(
    "target",
    "timeout on a read",
    async (w) => {
      w.scimSrv.setFaults({ match: "^GET /Users$", hangNext: 1 });
      const { summary } = await w.cycle();
      expect(summary).toMatchObject({ outcome: "succeeded", error: null });
      expect(w.retries.map((r) => r.reason)).toEqual(["TIMEOUT"]);
      return "timed out after 1 s, retried, succeeded";
    },
    { targetTimeoutMs: 1000 },
  );

  faultCase(
    "target",
    "timeout on a create",
    async (w) => {
      const { entry } = await createFailsOnce(
        w,
        { hangNext: 1 },
        /did not answer within 1 s.*may have been applied/,
        "Timeout",
      );
      expect(entry.recommendation).toBeTruthy();
      return "that user failed; looked up next cycle, then created";
    },
    { targetTimeoutMs: 1000 },
  );

  faultCase("target", "connection reset before the write", async (w) => {
    await createFailsOnce(w, { dropNext: 1 }, /connection to .* failed.*may have been applied/, "NetworkError");
    return "that user failed; looked up next cycle, then created";
  });

  faultCase("target", "connection reset after the write was applied", async (w) => {
    const { user } = await createFailsOnce(w, { dropAfterApplyNext: 1 }, /may have been applied/, "NetworkError");
    expect(getLink(w.db, w.profile.name, "user", user.id)?.matchedBy).toBe("intent");
    return "kept the intent; found and linked next cycle, not re-created";
  });

  faultCase("target", "connection reset after an update was applied", async (w) => {
    await provisioned(w);
    w.editUsers(2);
    w.scimSrv.setFaults({ match: "^PATCH /Users/", dropAfterApplyNext: 1 });
    const { summary, log } = await w.cycle();
    expect(summary).toMatchObject({ outcome: "succeeded", error: null });
    expect(failures(log)).toEqual([]);
    expect(w.retries.map((r) => r.reason)).toHaveLength(1);
    return "PATCH is idempotent: re-sent, succeeded";
  });

  faultCase("target", "500 on a group membership update", async (w) => {
    const upn = await newMember(w);
    w.scimSrv.setFaults({ match: "^PATCH /Groups/", errorNext: 1, errorStatus: 500 });
    const failed = await w.cycle();
    expect(failed.summary.outcome).toBe("completedWithFailures");
    const [entry, ...others] = failures(failed.log);
    expect(others).toEqual([]);
    expect(entry).toMatchObject({ objectType: "group", errorCode: "ServerError" });
    expect(entry!.message).toMatch(/internal error \(500\) while trying to update a group/);
    expect(memberNames(w)).not.toContain(upn);
    const next = await w.cycle();
    expect(next.summary.counts.memberships.added).toBe(1);
    return "that group failed (logged); member added next cycle";
  });

  faultCase("target", "connection reset after a membership update was applied", async (w) => {
    const upn = await newMember(w);
    w.scimSrv.setFaults({ match: "^PATCH /Groups/", dropAfterApplyNext: 1 });
    const { summary } = await w.cycle();
    expect(summary.counts.memberships.added).toBe(1);
    expect(w.retries).toHaveLength(1);
    expect(memberNames(w).filter((n) => n === upn)).toHaveLength(1);
    return "PATCH re-sent; the member is in the group once";
  });

  faultCase("target", "slow answers (300 ms each)", async (w) => {
    w.scimSrv.setFaults({ latencyMs: 300 });
    const { summary, log } = await w.cycle();
    expect(summary).toMatchObject({ outcome: "succeeded", error: null });
    expect(failures(log)).toEqual([]);
    expect(w.retries).toEqual([]);
    expect(w.scimSrv.requests.every((r) => r.durationMs >= 299)).toBe(true);
    return "succeeded, nothing retried";
  });

  faultCase("target", "malformed JSON in the listing", async (w) => {
    await firstCycleWithBrokenListing(w, { malformedNext: 1 });
    return "listing set aside; matched user by user, linked 3 existing";
  });

  faultCase("target", "malformed JSON answer to a create", async (w) => {
    const { entry } = await createFailsOnce(w, { malformedNext: 1 }, /did not return its id/, "InvalidResponse");
    expect(entry.action).toBe("Create");
    return "that user failed; found by lookup and linked next cycle";
  });

  faultCase("target", "wrong content type (an HTML sign-in page)", async (w) => {
    await provisioned(w);
    const added = w.addUsers("Html Victim", "Html Other");
    w.scimSrv.setFaults({ match: "^(GET|POST) /Users$", htmlNext: 100 });
    const failed = await w.cycle();
    expect(failed.summary.outcome).toBe("completedWithFailures");
    expect(
      failures(failed.log)
        .map((e) => e.sourceId)
        .sort(),
    ).toEqual(added.map((u) => u.id).sort());
    for (const e of failures(failed.log))
      expect(e.message).toMatch(/without a SCIM ListResponse\. Check that the Tenant URL is the SCIM base URL/);
    expect(w.scimSrv.listUsers().filter((u) => u.userName.startsWith("html."))).toEqual([]);
    w.scimSrv.setFaults({ htmlNext: 0 });
    expect((await w.cycle()).summary.outcome).toBe("succeeded");
    return "those users failed, nothing written; created once the page was gone";
  });

  faultCase("target", "ListResponse without ids", async (w) => {
    await firstCycleWithBrokenListing(w, { omitIdsNext: 1 });
    return "listing refused; matched user by user, linked 3 existing";
  });

  faultCase("target", "duplicate matches (a filter the server ignores)", async (w) => {
    await provisioned(w);
    const before = w.scimSrv.listUsers();
    const [user] = w.addUsers("Twin Match");
    w.scimSrv.setFaults({ match: "^GET /Users$", ignoreFilterNext: 1 });
    const failed = await w.cycle();
    expect(failed.summary.outcome).toBe("completedWithFailures");
    const [entry, ...others] = failures(failed.log);
    expect(others).toEqual([]);
    expect(entry).toMatchObject({ sourceId: user!.id, errorCode: "DuplicateTargetEntries" });
    expect(entry!.message).toMatch(/\d+ objects in the target have userName "twin\.match@contoso\.com"/);
    // Nothing was linked to a wrong user, and nobody else was touched.
    expect(getLink(w.db, w.profile.name, "user", user!.id)).toBeUndefined();
    expect(w.scimSrv.listUsers().filter((u) => before.some((b) => b.id === u.id))).toEqual(before);
    expect((await w.cycle()).summary.outcome).toBe("succeeded");
    return "refused to guess (logged); created next cycle";
  });

  faultCase("target", "409 on create (created elsewhere meanwhile)", async (w) => {
    await provisioned(w);
    const [user] = w.addUsers("Race Winner");
    // The engine's POST waits 1 s at the target; right after its lookup found nothing, another writer creates the
    // same user (through "/Users/", which the fault does not slow down).
    w.scimSrv.setFaults({ match: "^POST /Users$", latencyMs: 1000 });
    const cycle = w.cycle();
    await expect
      .poll(() => w.scimSrv.requests.some((r) => r.query.filter?.includes(user!.userPrincipalName)), { interval: 5 })
      .toBe(true);
    const status = await direct(w, "POST", "/Users/", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", SPLASHTOP_USER_SCHEMA],
      userName: user!.userPrincipalName,
      displayName: "Created Elsewhere",
      [SPLASHTOP_USER_SCHEMA]: { ssoName: "Someone else's SSO" },
    });
    expect(status).toBe(201);
    const { summary, log } = await cycle;
    expect(summary).toMatchObject({ outcome: "succeeded", error: null });
    expect(log.find((e) => e.sourceId === user!.id)).toMatchObject({
      action: "Update",
      status: "Success",
      errorCode: "Conflict",
      message: "Already in the target: linked and updated.",
    });
    expect(w.scimSrv.requests.filter((r) => r.status === 409)).toHaveLength(1);
    return "linked the existing user and updated it";
  });

  faultCase("target", "404 on a linked object", async (w) => {
    await provisioned(w);
    const [upn] = w.editUsers(1);
    const [gone] = inTarget(w, upn!);
    expect(await direct(w, "DELETE", `/Users/${gone!.id}`)).toBe(204);
    const { summary, log } = await w.cycle();
    expect(summary).toMatchObject({ outcome: "succeeded", error: null });
    expect(w.scimSrv.requests.filter((r) => r.status === 404)).toHaveLength(1);
    const entries = log.filter((e) => e.targetId !== gone!.id && e.displayName.includes("Changed0"));
    expect(entries).toMatchObject([{ action: "Create", status: "Success" }]);
    expect(inTarget(w, upn!)[0]!.id).not.toBe(gone!.id);
    return "dropped the dead link and created the user again";
  });
});
