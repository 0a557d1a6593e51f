// Messages between the benchmark and its emulator process (emulator-host.ts).
export interface EmulatorConfig {
  users: number;
  seed: number;
  /** Entra's request pattern: the target refuses unfiltered lists and advertises bulk.maxOperations 1. */
  entraStyle: boolean;
  /** Added by the SCIM emulator before each answer (0: loopback speed). */
  latencyMs: number;
  /** The target's documented limit, requests/s: the SCIM emulator answers 429 with Retry-After above it, and both
   * clients are set to pace at it. Absent: no limit, clients at REQUESTS_PER_SECOND (world.ts). */
  targetRps?: number;
  /**
   * The Graph emulator's TLS certificate, made once by the benchmark's process and served by each of its emulator
   * processes: the engine builds its trust store for a custom CA once per process, as the app does, so a fresh
   * certificate per world would make every measured first cycle pay it (about 30 ms of CPU).
   */
  certificate?: { certPem: string; keyPem: string };
}

export interface Endpoints {
  graph: { tenantId: string; appId: string; authorityHost: string; graphBaseUrl: string; caPem: string };
  scim: { tenantUrl: string; token: string };
}

/** Positions in the emulators' request recorders and their process's CPU time, to measure one cycle. */
export interface Mark {
  graph: number;
  target: number;
  cpuMs: number;
}

/** Requests the emulators received since a mark, and the CPU time they spent answering. */
export interface Traffic {
  graph: number;
  /** `throttled`: requests the target answered 429 (counted in `total`: they were sent). */
  target: { total: number; writes: number; lookups: number; otherReads: number; throttled: number };
  cpuMs: number;
}

export interface TargetState {
  users: number;
  groups: number;
  memberships: number;
  fingerprint: string;
}

export type HostRequest = { id: number } & (
  | { op: "start"; config: EmulatorConfig }
  | { op: "mark" }
  | { op: "since"; mark: Mark }
  | { op: "edit"; count: number; round?: number }
  | { op: "state" }
  | { op: "close" }
);

export type HostReply = { id: number; result?: unknown; error?: string };
