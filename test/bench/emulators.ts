// The benchmark's side of the emulator process: starts it, and turns its messages into awaited calls.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { serverCertificate } from "../../electron/emulators/graph";
import type { EditCounts } from "./edits";
import type { EmulatorConfig, Endpoints, HostReply, HostRequest, Mark, TargetState, Traffic } from "./host-protocol";

type WithoutId<R> = R extends unknown ? Omit<R, "id"> : never;

export interface EmulatorHost extends Endpoints {
  mark(): Promise<Mark>;
  since(mark: Mark): Promise<Traffic>;
  /** Attribute edits and membership changes in Entra (edits.ts), applied inside the emulator process. */
  edit(count: number, round?: number): Promise<EditCounts>;
  targetState(): Promise<TargetState>;
  close(): Promise<void>;
}

export async function startEmulatorHost(config: EmulatorConfig): Promise<EmulatorHost> {
  const child = fork(fileURLToPath(new URL("./emulator-host.ts", import.meta.url)), [], {
    execArgv: ["--import", "tsx"],
    stdio: "inherit",
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  child.on("message", (reply: HostReply) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.error !== undefined) waiter?.reject(new Error(`The emulator process failed: ${reply.error}`));
    else waiter?.resolve(reply.result);
  });
  child.on("exit", (code) => {
    for (const waiter of pending.values())
      waiter.reject(new Error(`The emulator process exited (code ${code}) before answering`));
    pending.clear();
  });
  const call = <T>(request: WithoutId<HostRequest>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, ...request });
    });

  const endpoints = await call<Endpoints>({
    op: "start",
    config: { certificate: await serverCertificate(), ...config },
  });
  return {
    ...endpoints,
    mark: () => call<Mark>({ op: "mark" }),
    since: (mark) => call<Traffic>({ op: "since", mark }),
    edit: (count, round) => call<EditCounts>({ op: "edit", count, round }),
    targetState: () => call<TargetState>({ op: "state" }),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      await call({ op: "close" }).catch(() => undefined);
      // The host disconnects once its servers are closed; a host that hangs is ended rather than left behind.
      const timer = setTimeout(() => child.kill(), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
