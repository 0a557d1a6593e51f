// Benchmark (not a test): `npx tsx test/emulators/graph/bench.ts [users]`.
// Generation time, and full reads of a big tenant through the emulator over HTTPS.

import { generateDirectory, startGraphEmulator } from "../../../electron/emulators/graph";
import { deltaRound, httpFor } from "./helpers";

const users = Number(process.argv[2] ?? 100_000);
const time = async <T>(label: string, fn: () => Promise<T> | T): Promise<T> => {
  const t = performance.now();
  const result = await fn();
  process.stdout.write(`${label}: ${Math.round(performance.now() - t)} ms\n`);
  return result;
};

const directory = await time(`generateDirectory(${users} users)`, () => generateDirectory({ seed: 1, users }));
process.stdout.write(
  `  ${directory.groups.length} groups, ${directory.groups.reduce((n, g) => n + g.members.length, 0)} memberships, ${directory.assignments.length} assignments\n`,
);
const emu = await time("startGraphEmulator", () => startGraphEmulator({ directory }));
const http = httpFor(emu);
const pages = await time("GET /users $top=999 (all pages)", () =>
  http.pages("/v1.0/users?$select=id,userPrincipalName,accountEnabled&$top=999"),
);
process.stdout.write(`  ${pages.length} pages\n`);
const userRound = await time("users/delta full round", () =>
  deltaRound(http, "/v1.0/users/delta?$select=displayName,userPrincipalName,accountEnabled"),
);
process.stdout.write(`  ${userRound.pages.length} pages, ${userRound.values.length} objects\n`);
const groupRound = await time("groups/delta full round with members", () =>
  deltaRound(http, "/v1.0/groups/delta?$select=displayName,members"),
);
process.stdout.write(`  ${groupRound.pages.length} pages, ${groupRound.values.length} entries\n`);
for (const u of emu.admin.listUsers().slice(0, 100)) emu.admin.updateUser(u.id, { jobTitle: "Changed" });
await time("users/delta incremental after 100 changes to an untracked property", () =>
  deltaRound(http, userRound.deltaLink),
);
await http.close();
await emu.close();
