import { afterEach, describe, expect, it } from "vitest";
import { listLogEntries } from "../../../electron/engine/db";
import { defaultRules } from "../../../electron/engine/rules";
import { actualState, expectedState, startBetterAuthWorld, type BetterAuthWorld } from "./world";

/** Better Auth's other limits, met as the target's refusals: the server's words, and advice that fits them. */
describe.each(["entra", "rfc7644"] as const)("Better Auth's refusals, %s request style", (dialect) => {
  let w: BetterAuthWorld | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });
  const failures = (cycleId: number) =>
    listLogEntries(w!.db, w!.profile.name, { cycleId, limit: 500 }).filter((e) => e.status === "Failure");

  it("a userName that is not an email needs an email: that user is refused with advice to map one, the rest go in", async () => {
    w = await startBetterAuthWorld({ dialect, seed: 23 });
    const admin = w.graphEmu.admin;
    // A guest's UPN (#EXT#) is not an email address, and this guest has no mail.
    const guest = admin.addUser({
      displayName: "Kim Lee (Fabrikam)",
      userPrincipalName: "kim.lee_fabrikam.com#EXT#@contoso.onmicrosoft.com",
      mailNickname: "kim.lee_fabrikam.com#EXT#",
      mail: null,
      userType: "Guest",
    });
    admin.assign(guest.id);
    const { summary } = await w.run();
    expect(summary.outcome).toBe("completedWithFailures");
    expect(summary.counts.users.failed).toBe(1);
    const [entry] = failures(summary.id);
    expect(entry).toMatchObject({ objectType: "user", sourceId: guest.id, errorCode: "InvalidValue" });
    expect(entry!.message).toContain(
      'It said: "[body.emails] emails must contain an email when userName is not an email address"',
    );
    expect(entry!.recommendation).toMatch(/^The app needs an email address: map emails\[type eq "work"\]\.value/);
    expect(entry!.recommendation).not.toMatch(/request style/);
    const expected = expectedState(w.graphEmu);
    expect((await actualState(w.target)).users).toEqual(
      expected.users.filter((u) => u.userName !== guest.userPrincipalName),
    );

    // Only a change in Entra or the target lifts this refusal: the next no-change cycle does not send it again.
    const mark = w.target.requests.length;
    expect((await w.run()).summary.outcome).toBe("succeeded");
    expect(w.writes(mark)).toEqual([]);
    // The admin's fix in Entra is tried at once, without waiting for the back-off.
    admin.updateUser(guest.id, { mail: "kim.lee@fabrikam.com" });
    const fixed = await w.run();
    expect(fixed.summary.outcome).toBe("succeeded");
    expect(fixed.summary.counts.users.create).toBe(1);
    expect((await actualState(w.target)).users).toEqual(expectedState(w.graphEmu).users);
  });

  it("a mapping to a custom extension schema is refused with advice to remove it, not to change the request style", async () => {
    const rules = defaultRules("generic");
    rules.users.mappings.push({
      type: "Constant",
      value: "CC-1001",
      target: "urn:ietf:params:scim:schemas:extension:contoso:2.0:User:costCenter",
      apply: "Always",
    });
    w = await startBetterAuthWorld({ dialect, seed: 23, rules });
    const { summary } = await w.run();
    const inScope = expectedState(w.graphEmu).users.length;
    expect(summary.counts.users).toMatchObject({ create: 0, failed: inScope });
    const entries = failures(summary.id).filter((e) => e.objectType === "user");
    expect(entries).toHaveLength(inScope);
    expect(entries[0]!.message).toContain(
      "Unsupported SCIM User schema urn:ietf:params:scim:schemas:extension:contoso:2.0:User",
    );
    expect(entries[0]!.recommendation).toMatch(/does not support an extension schema the mappings write to/);
    expect((await actualState(w.target)).users).toEqual([]);
  });

  it("no null is ever sent: a cleared attribute is removed, an absent one left out", async () => {
    w = await startBetterAuthWorld({ dialect, seed: 23 });
    const admin = w.graphEmu.admin;
    const noSurname = admin.addUser({
      displayName: "Madonna",
      givenName: "Madonna",
      surname: null,
      userPrincipalName: "madonna@contoso.com",
      mailNickname: "madonna",
      mail: "madonna@contoso.com",
    });
    admin.assign(noSurname.id);
    expect((await w.run()).summary.outcome).toBe("succeeded");
    const cleared = expectedState(w.graphEmu).users.find((u) => u.familyName && u.userName !== "madonna@contoso.com")!;
    admin.updateUser(admin.getUser(cleared.userName)!.id, { surname: null });
    const { summary } = await w.run();
    expect(summary.outcome).toBe("succeeded");
    expect(summary.counts.users.update).toBe(1);
    expect((await actualState(w.target)).users).toEqual(expectedState(w.graphEmu).users);
  });
});
