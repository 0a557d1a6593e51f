// Kill test at scale: the real CLI (`provision-desk sync`) runs a first cycle of N users, then an incremental cycle
// after edits in Entra, against the Graph and SCIM emulators running in this process; it is SIGKILLed at seeded
// points (after the target answered a chosen number of writes, or a chosen time after start) and restarted each time.
// After every kill: no duplicate in the target and `PRAGMA integrity_check` ok on the state database. At the end of
// each cycle: the target is exactly what Entra says, and one more cycle writes nothing.
//
//   npm run test:kill -- --users 10000 --kills 20 [--seed 1] [--edits 1000]
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual, parseArgs } from "node:util";
import Database from "better-sqlite3";
import { emulatorProfile } from "../../electron/demo/emulator-profile";
import {
  DEFAULT_CLIENT_SECRET,
  generateDirectory,
  startGraphEmulator,
  type GraphEmulator,
} from "../../electron/emulators/graph";
import { startScimServer, type ScimServer } from "../../electron/emulators/scim";
import { linkCounts, loadLinks } from "../../electron/engine/db";
import { DATABASE_FILE } from "../../electron/engine/service/service";
import { applyEdits } from "../bench/edits";
import { actualTarget, expectedTarget, SSO } from "../engine/cycle/harness";

const CLI = join(import.meta.dirname, "../../electron/cli/provision-desk.js");
const PROFILE = "kill";

const { values: args } = parseArgs({
  options: {
    users: { type: "string", default: "10000" },
    kills: { type: "string", default: "20" },
    seed: { type: "string", default: "1" },
    edits: { type: "string" },
  },
});
const USERS = Number(args.users);
const KILLS = Number(args.kills);
const SEED = Number(args.seed);
const EDITS = Number(args.edits ?? Math.max(20, Math.round(USERS / 10)));

/** Deterministic pseudo-random numbers (LCG), so a failing run can be replayed with the same --seed. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32;
  };
}

interface KillPoint {
  /** Kill once the target has answered this many writes (POST/PATCH/PUT/DELETE) from this run… */
  afterWrites?: number;
  /** …or this long after the process started (reading Entra, matching, planning). */
  afterMs?: number;
}

interface RunResult {
  killed: boolean;
  writes: number;
  ms: number;
  /** When the target answered this run's first write. */
  firstWriteMs?: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

class KillTest {
  kills = 0;
  restarts = 0;
  checks = 0;
  duplicates = 0;
  constructor(
    readonly graph: GraphEmulator,
    readonly scim: ScimServer,
    readonly dataDir: string,
    readonly env: NodeJS.ProcessEnv,
    readonly random: () => number,
  ) {}

  private writesSince(from: number): number {
    let n = 0;
    const requests = this.scim.requests;
    for (let i = from; i < requests.length; i++) if (requests[i]!.method !== "GET") n++;
    return n;
  }

  /** One `provision-desk sync`, killed with SIGKILL at the point given (or left to finish). */
  run(point: KillPoint = {}): Promise<RunResult> {
    const started = performance.now();
    const from = this.scim.requests.length;
    const child: ChildProcess = spawn(process.execPath, [CLI, "--data-dir", this.dataDir, "sync", "--json"], {
      env: this.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    let killed = false;
    const kill = () => {
      if (killed || child.exitCode !== null) return;
      killed = child.kill("SIGKILL");
    };
    // Writes are counted as the target answers them (the recorder logs a request when it ends): the kill lands after
    // the Nth answer left the target, usually before the engine has stored it, with further writes in flight.
    let seen = from;
    let writes = 0;
    let firstWriteMs: number | undefined;
    const watch = setInterval(() => {
      const requests = this.scim.requests;
      for (; seen < requests.length; seen++) if (requests[seen]!.method !== "GET") writes++;
      if (writes > 0) firstWriteMs ??= performance.now() - started;
      if (point.afterWrites !== undefined && writes >= point.afterWrites) kill();
    }, 1);
    const timer = point.afterMs === undefined ? undefined : setTimeout(kill, point.afterMs);
    return new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => {
        clearInterval(watch);
        clearTimeout(timer);
        if (killed) this.kills++;
        resolve({
          killed,
          writes: this.writesSince(from),
          ms: performance.now() - started,
          ...(firstWriteMs !== undefined ? { firstWriteMs } : {}),
          code,
          stdout,
          stderr,
        });
      });
    });
  }

  /** After every stop: each user and group at most once in the target, a sound state database, no dangling link. */
  checkAfterStop(label: string): void {
    this.checks++;
    const users = this.scim.listUsers();
    const groups = this.scim.listGroups();
    const dup = (values: (string | undefined)[]) => values.length - new Set(values).size;
    const duplicates =
      dup(users.map((u) => u.userName.toLowerCase())) +
      dup(users.map((u) => u.externalId)) +
      dup(groups.map((g) => g.externalId)) +
      dup(groups.map((g) => g.displayName.toLowerCase()));
    this.duplicates += duplicates;
    if (duplicates > 0) throw new Error(`${label}: ${duplicates} duplicate objects in the target`);
    const db = new Database(join(this.dataDir, DATABASE_FILE));
    try {
      const rows = db.pragma("integrity_check") as { integrity_check: string }[];
      if (rows.length !== 1 || rows[0]!.integrity_check !== "ok")
        throw new Error(`${label}: integrity_check says ${JSON.stringify(rows)}`);
      // Nothing is deleted in this test, so every link the engine stored must point at an object the target has.
      const ids = new Set([...users.map((u) => u.id), ...groups.map((g) => g.id)]);
      for (const type of ["user", "group"] as const) {
        const dangling = [...loadLinks(db, PROFILE, type).values()].filter((l) => !ids.has(l.targetId)).length;
        if (dangling > 0) throw new Error(`${label}: ${dangling} ${type} links point at nothing in the target`);
      }
    } finally {
      db.close();
    }
    const damaged = readdirSync(this.dataDir).filter((f) => f.includes(".damaged-"));
    if (damaged.length > 0) throw new Error(`${label}: the state database was moved aside (${damaged.join(", ")})`);
  }

  /** Runs to the end without a kill; the target must then be exactly what Entra says, and one more run writes nothing. */
  async finish(label: string): Promise<{ ms: number; writes: number }> {
    const done = await this.run();
    this.restarts++;
    const summary = parseSummary(done);
    if (done.code !== 0 || summary?.outcome !== "succeeded")
      throw new Error(`${label}: the last run did not succeed (exit ${done.code}): ${done.stdout}${done.stderr}`);
    this.checkAfterStop(label);
    const expected = expectedTarget(this.graph, "all");
    const actual = actualTarget(this.scim);
    if (!isDeepStrictEqual(actual, expected)) {
      const missing = expected.users.filter((u) => !actual.users.some((a) => isDeepStrictEqual(a, u))).length;
      throw new Error(`${label}: the target differs from Entra (${missing} users differ or are missing)`);
    }
    const db = new Database(join(this.dataDir, DATABASE_FILE), { readonly: true });
    const links = linkCounts(db, PROFILE);
    db.close();
    if (links.users !== expected.users.length || links.groups !== expected.groups.length)
      throw new Error(`${label}: ${links.users} users and ${links.groups} groups linked, not every one once`);
    const again = await this.run();
    if (again.code !== 0 || again.writes !== 0)
      throw new Error(`${label}: a further cycle was not a no-op (exit ${again.code}, ${again.writes} writes)`);
    return { ms: done.ms, writes: done.writes };
  }
}

function parseSummary(run: RunResult): { outcome?: string; kind?: string } | undefined {
  try {
    return JSON.parse(run.stdout) as { outcome?: string; kind?: string };
  } catch {
    return undefined;
  }
}

/**
 * Kills one cycle `count` times, choosing each point from what is left: a number of writes drawn so the kills spread
 * over the writes the cycle still has to make, or (every fifth kill, when `early`) a time before the first write of
 * the previous run, i.e. while the engine starts, reads Entra, lists the target and plans.
 */
async function killCycle(test: KillTest, name: string, count: number, expectedWrites: number, early: boolean) {
  const t0 = performance.now();
  let written = 0;
  let readMs = 3000;
  for (let i = 0; i < count; i++) {
    const left = Math.max(count - i, expectedWrites - written);
    const point: KillPoint =
      early && i % 5 === 2
        ? { afterMs: Math.round(readMs * (0.5 + 0.45 * test.random())) }
        : { afterWrites: 1 + Math.floor(test.random() * (left / (count - i + 1))) };
    const r = await test.run(point);
    written += r.writes;
    if (r.firstWriteMs !== undefined) readMs = r.firstWriteMs;
    test.checkAfterStop(`${name}, kill ${i + 1}`);
    test.restarts++;
    const at = point.afterWrites !== undefined ? `after ${point.afterWrites} writes` : `after ${point.afterMs} ms`;
    process.stdout.write(
      `  ${name} #${String(i + 1).padStart(2)} ${at.padEnd(20)} ${r.killed ? "killed" : `ended (exit ${r.code})`}` +
        `, ${r.writes} writes, ${(r.ms / 1000).toFixed(1)} s; no duplicates, integrity ok, no dangling link\n`,
    );
  }
  const end = await test.finish(name);
  process.stdout.write(
    `  ${name}: converged exactly after ${count} kill points; the last run made ${end.writes} writes in ` +
      `${(end.ms / 1000).toFixed(1)} s; one more cycle wrote nothing\n`,
  );
  return { ms: performance.now() - t0 };
}

async function main() {
  const t0 = performance.now();
  const graph = await startGraphEmulator({ directory: generateDirectory({ seed: SEED, users: USERS }), seed: SEED });
  const scim = await startScimServer({ maxRecordedRequests: Number.MAX_SAFE_INTEGER });
  const dir = mkdtempSync(join(tmpdir(), "pd-kill-"));
  try {
    const caFile = join(dir, "graph-ca.pem");
    writeFileSync(caFile, graph.caPem);
    const base = emulatorProfile(PROFILE, SSO, { graph, scimUrl: scim.tenantUrl, caFile });
    const profileFile = join(dir, "profile.json");
    writeFileSync(
      profileFile,
      JSON.stringify({
        ...base,
        source: { ...base.source, scope: "all" },
        target: { ...base.target, requestsPerSecond: 1000, concurrency: 4 },
        safety: { deletionThreshold: USERS },
      }),
    );
    const env = {
      ...process.env,
      PROVISIONDESK_CLIENT_SECRET: DEFAULT_CLIENT_SECRET,
      PROVISIONDESK_SCIM_TOKEN: scim.token,
    };
    const dataDir = join(dir, "data");
    const test = new KillTest(graph, scim, dataDir, env, prng(SEED));
    const imported = await new Promise<number | null>((resolve) =>
      spawn(process.execPath, [CLI, "--data-dir", dataDir, "config", "import", profileFile], {
        env,
        stdio: "inherit",
      }).on("close", resolve),
    );
    if (imported !== 0) throw new Error(`config import failed (exit ${imported})`);

    const expected = expectedTarget(graph, "all");
    const memberships = expected.groups.reduce((n, g) => n + g.members.length, 0);
    const firstKills = Math.ceil((KILLS * 3) / 5);
    process.stdout.write(
      `Kill test: ${expected.users.length} users, ${expected.groups.length} groups, ${memberships} memberships; ` +
        `${KILLS} kills (seed ${SEED})\n`,
    );
    const first = await killCycle(
      test,
      "first cycle",
      firstKills,
      expected.users.length + expected.groups.length,
      true,
    );
    const edits = applyEdits(graph.admin, EDITS);
    process.stdout.write(
      `Edits in Entra: ${edits.attributeEdits} users changed, ${edits.membersAdded} memberships added, ${edits.membersRemoved} removed\n`,
    );
    const incremental = await killCycle(
      test,
      "incremental",
      KILLS - firstKills,
      edits.attributeEdits + expected.groups.length,
      false,
    );
    const result = {
      users: expected.users.length,
      groups: expected.groups.length,
      memberships,
      kills: test.kills,
      restarts: test.restarts,
      checks: test.checks,
      duplicates: test.duplicates,
      integrity: "ok",
      converged: true,
      firstCycleSeconds: Math.round(first.ms / 1000),
      incrementalSeconds: Math.round(incremental.ms / 1000),
      totalSeconds: Math.round((performance.now() - t0) / 1000),
      seed: SEED,
    };
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
    if (test.kills < KILLS) throw new Error(`Only ${test.kills} of ${KILLS} kill points were reached`);
  } finally {
    await Promise.all([graph.close(), scim.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`KILL TEST FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
