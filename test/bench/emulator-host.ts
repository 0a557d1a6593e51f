// Child process of the benchmark: runs the Graph and SCIM emulators apart from the engine, so the engine's process
// spends CPU only on the engine (a real target is another machine). Driven by messages from emulators.ts.
import { generateDirectory, startGraphEmulator, type GraphEmulator } from "../../electron/emulators/graph";
import { startScimServer, type ScimServer } from "../../electron/emulators/scim";
import { applyEdits } from "./edits";
import type { EmulatorConfig, HostReply, HostRequest, Mark, TargetState, Traffic } from "./host-protocol";

let graph: GraphEmulator | undefined;
let scim: ScimServer | undefined;

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

async function start(config: EmulatorConfig) {
  graph = await startGraphEmulator({
    directory: generateDirectory({ seed: config.seed, users: config.users }),
    seed: config.seed,
    ...(config.certificate && { certificate: config.certificate }),
  });
  scim = await startScimServer({
    maxRecordedRequests: Number.MAX_SAFE_INTEGER,
    ...(config.entraStyle ? { requireFilter: true, bulkMaxOperations: 1 } : {}),
  });
  // The emulator's token bucket holds one second of requests (its default burst), then refuses with 429 and Retry-After.
  scim.setFaults({ latencyMs: config.latencyMs, rateLimitPerSecond: config.targetRps ?? 0 });
  return {
    graph: {
      tenantId: graph.tenantId,
      appId: graph.appId,
      authorityHost: graph.authorityHost,
      graphBaseUrl: graph.graphBaseUrl,
      caPem: graph.caPem,
    },
    scim: { tenantUrl: scim.tenantUrl, token: scim.token },
  };
}

function since(mark: Mark): Traffic {
  const sent = scim!.requests.slice(mark.target);
  const gets = sent.filter((r) => r.method === "GET");
  const lookups = gets.filter((r) => r.query.filter !== undefined).length;
  const throttled = sent.filter((r) => r.status === 429).length;
  return {
    graph: graph!.requests.length - mark.graph,
    target: {
      total: sent.length,
      writes: sent.length - gets.length,
      lookups,
      otherReads: gets.length - lookups,
      throttled,
    },
    cpuMs: cpuMs() - mark.cpuMs,
  };
}

/** What the target holds, in a form two runs can be compared by. */
function targetState(): TargetState {
  const users = scim!.listUsers();
  const names = new Map(users.map((u) => [u.id, u.userName.toLowerCase()]));
  const groups = scim!.listGroups();
  const lines = [
    ...users.map((u) => `u ${u.userName.toLowerCase()} ${u.active} ${u.displayName} ${u.name?.familyName}`),
    ...groups.map(
      (g) =>
        `g ${g.displayName} ${g.members
          .map((m) => names.get(m.value) ?? m.value)
          .sort()
          .join(",")}`,
    ),
  ].sort();
  return {
    users: users.length,
    groups: groups.length,
    memberships: groups.reduce((n, g) => n + g.members.length, 0),
    fingerprint: lines.join("\n"),
  };
}

async function handle(request: HostRequest): Promise<unknown> {
  switch (request.op) {
    case "start":
      return start(request.config);
    case "mark":
      return { graph: graph!.requests.length, target: scim!.requests.length, cpuMs: cpuMs() } satisfies Mark;
    case "since":
      return since(request.mark);
    case "edit":
      return applyEdits(graph!.admin, request.count, request.round);
    case "state":
      return targetState();
    case "close":
      await Promise.all([graph?.close(), scim?.close()]);
      setImmediate(() => process.disconnect());
      return null;
  }
}

process.on("message", (request: HostRequest) => {
  handle(request).then(
    (result) => process.send!({ id: request.id, result } satisfies HostReply),
    (error: unknown) =>
      process.send!({
        id: request.id,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies HostReply),
  );
});
