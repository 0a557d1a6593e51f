import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProvisionGroupResultView } from "../../shared/ipc/provision-model";
import { tempDir } from "./run-cli";
import { runMain, startCliWorld, type CliWorld } from "./world";

let world: CliWorld;
let data: string;
const cli = (...argv: string[]) => runMain(world.env, data, ...argv);

beforeAll(async () => {
  world = await startCliWorld({ seed: 12, profileName: "pod", ssoMethodName: "SSO", dirPrefix: "pd-pod-" });
  data = tempDir();
  expect((await cli("config", "import", world.profileFile)).code).toBe(0);
});
afterAll(() => world?.close());

describe("provision-desk provision --group", () => {
  it("provisions a group with 5 of its members, says which and why, and prints each member's steps", async () => {
    const admin = world.graph.admin;
    const users = ["Hal", "Ivy", "Jon", "Kay", "Lea", "Max"].map((name) =>
      admin.addUser({ displayName: `Cli ${name}`, mailNickname: `cli.${name.toLowerCase()}` }),
    );
    const group = admin.createGroup({ displayName: "CLI Crew", members: users.map((u) => u.id) });
    admin.assign(group.id);

    const human = await cli("provision", "--group", "CLI Crew");
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^Success\s+Test connection: /m);
    expect(human.stdout).toMatch(
      /^Success\s+Import group: CLI Crew \(.*\): 6 user members\.\n[^]*^The group has 6 user members; provision on demand takes at most 5/m,
    );
    expect(human.stdout).toContain("(Cli Hal, Cli Ivy, Cli Jon, Cli Kay, Cli Lea)");
    expect(human.stdout).toMatch(/^Success\s+Match group: /m);
    expect(human.stdout).toMatch(/^Success\s+Perform action: .*Members: 5 added/m);
    expect(human.stdout).toContain("Members provisioned with the group (5 of 6):");
    expect(human.stdout).toMatch(
      /^ {2}Cli Hal \(cli\.hal@.*\): Added to the target group\.\n {4}Success\s+Import user: /m,
    );
    const target = world.scim.listGroups().find((g) => g.displayName === "CLI Crew")!;
    const hal = world.scim.listUsers().find((u) => u.userName === users[0]!.userPrincipalName)!;
    expect(target.members.map((m) => m.value)).toContain(hal.id);
    expect(target.members).toHaveLength(5);

    // --member picks; --json is the whole result.
    const picked = await cli("provision", "--group", group.id, "--member", users[5]!.userPrincipalName, "--json");
    expect(picked.code, picked.stderr).toBe(0);
    const result = JSON.parse(picked.stdout) as ProvisionGroupResultView;
    expect(result.members.map((m) => [m.displayName, m.membership])).toEqual([["Cli Max", "added"]]);
    expect(world.scim.listGroups().find((g) => g.displayName === "CLI Crew")!.members).toHaveLength(6);
  });

  it("exits 2 for an unknown group or user, and for a wrong combination of options", async () => {
    const group = await cli("provision", "--group", "Nobody's Group");
    expect(group.code).toBe(2);
    expect(group.stdout).toMatch(/^Failure\s+Import group: Entra ID has no group "Nobody's Group"/m);
    const user = await cli("provision", "--user", "nobody@contoso.com");
    expect(user.code).toBe(2);
    expect(user.stdout).toMatch(/^Failure\s+Import user: Entra ID has no user "nobody@contoso.com"/m);

    const both = await cli("provision", "--user", "a@b.c", "--group", "G");
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("Give either --user UPN|ID or --group NAME|ID.");
    const six = await cli(
      "provision",
      "--group",
      "G",
      ...["1", "2", "3", "4", "5", "6"].flatMap((m) => ["--member", m]),
    );
    expect(six.code).toBe(2);
    expect(six.stderr).toContain("at most 5 --member");
  });
});
