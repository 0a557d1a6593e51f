// "Retry now" on one object held in escrow (issue 9), through the engine service against the emulators: a refusal
// that only a fix can lift waits 40 minutes; after the fix in the target, Retry now tries it in a cycle at once.
import { describe, expect, it } from "vitest";
import { generateDirectory } from "../../../electron/emulators/graph";
import type { ProvisionDeskService } from "../../../electron/engine/service";
import { EngineError } from "../../../electron/engine/service/errors";
import { ProfileSchema } from "../../../shared/config/profile";
import { SSO } from "../cycle/harness";
import { useServiceWorld } from "./world";

const world = useServiceWorld({ seed: 7, directory: generateDirectory({ seed: 7, users: 40 }) });

async function openService() {
  const secrets = await world.secretsFor("retry");
  const { service } = world.openService({ secrets, scheduled: false });
  const base = world.profile("retry", SSO);
  await service.importProfile(ProfileSchema.parse({ ...base, target: { ...base.target, requestsPerSecond: 1000 } }));
  return service;
}

const run = (service: ProvisionDeskService) =>
  service.provisionNow({ dryRun: false, full: false, allowDeletes: false });

/** A SCIM request as any client (here: the target's own admin) sends it. */
async function scim(method: string, path: string, body?: unknown): Promise<{ id?: string }> {
  const response = await fetch(`${world.scim.tenantUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${world.scim.token}`, "content-type": "application/scim+json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
  return response.status === 204 ? {} : ((await response.json()) as { id?: string });
}

describe("retry now on an escrowed object", () => {
  it("tries the held object in a cycle at once, instead of after its back-off, once the cause is fixed", async () => {
    const service = await openService();
    expect((await run(service)).outcome).toBe("succeeded");

    // Entra renames a provisioned user to a name a stale account in the target already holds: the target refuses
    // the update (409), and again in the next cycle; after the second failure the user waits 40 minutes.
    const provisioned = world.scim.listUsers()[0]!;
    const user = world.graph.admin.getUser(provisioned.userName)!;
    const newName = `renamed.${user.userPrincipalName}`;
    const stale = await scim("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: newName,
      active: false,
    });
    world.graph.admin.updateUser(user.id, { userPrincipalName: newName });
    for (const attempts of [1, 2]) {
      const refused = await run(service);
      expect(refused).toMatchObject({ outcome: "completedWithFailures", counts: { users: { failed: 1 } } });
      expect(service.escrow()).toMatchObject([{ type: "user", sourceId: user.id, attempts }]);
    }
    expect(Date.parse(service.escrow()[0]!.nextAttemptAt) - Date.now()).toBeGreaterThan(30 * 60_000);

    // The admin removes the stale account. An ordinary cycle still waits for the back-off: nothing is sent for it.
    await scim("DELETE", `/Users/${stale.id}`);
    const waiting = await run(service);
    expect(waiting.counts.users).toMatchObject({ update: 0, failed: 0 });
    expect(world.scim.listUsers().find((u) => u.id === provisioned.id)?.userName).toBe(provisioned.userName);
    expect(service.escrow()).toHaveLength(1);

    const retried = await service.retryEscrowed("user", user.id);
    expect(retried).toMatchObject({ kind: "incremental", outcome: "succeeded", dryRun: false });
    expect(retried.counts.users).toMatchObject({ update: 1, failed: 0 });
    expect(world.scim.listUsers().find((u) => u.id === provisioned.id)?.userName).toBe(newName);
    expect(service.escrow()).toEqual([]);

    // Retried already: a second click (a stale list) says so instead of running a cycle for nothing.
    const again = service.retryEscrowed("user", user.id);
    await expect(again).rejects.toBeInstanceOf(EngineError);
    await expect(again).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(service.cycles(10)).toHaveLength(5);
  });
});
