import { create } from "zustand";
import type { EventOf, MethodName, RequestOf, ResultOf } from "../../shared/ipc/contract";
import type { AppError } from "../../shared/ipc/result";
import type { CycleSummary } from "../../shared/ipc/model";
import type { ConnectionState, RendererApi } from "./api";

export type SectionId =
  | "dashboard"
  | "connections"
  | "scope"
  | "mappings"
  | "settings"
  | "profiles"
  | "log"
  | "target"
  | "provision"
  | "preview";

export interface Loadable<T> {
  data: T | null;
  error: AppError | null;
  loading: boolean;
}

/** Views loaded from main, each by one contract method; the key is what the UI calls it. */
const views = {
  dashboard: ["dashboard.get", {}],
  cycles: ["cycles.list", { limit: 30 }],
  log: ["log.list", { limit: 200 }],
  connections: ["connections.get", {}],
  mappings: ["mappings.get", {}],
  target: ["target.browse", { limit: 500 }],
} as const satisfies Record<string, readonly [MethodName, object]>;
type ViewKey = keyof typeof views;
type ViewData = { [K in ViewKey]: Loadable<ResultOf<(typeof views)[K][0]>> };

/** Views each section needs; the dashboard and log are always live (events keep them current). */
const sectionViews: Record<SectionId, ViewKey[]> = {
  dashboard: ["dashboard", "cycles"],
  connections: ["connections"],
  scope: [],
  mappings: ["mappings"],
  // The alert settings say whether an SMTP password is stored.
  settings: ["connections"],
  profiles: [],
  log: ["log"],
  target: ["target"],
  provision: [],
  preview: [],
};

const MAX_LOG = 500;
const empty = <T>(): Loadable<T> => ({ data: null, error: null, loading: false });

export interface AppState extends ViewData {
  api: RendererApi | null;
  connection: ConnectionState;
  section: SectionId;
  /** "Provision now" started from this window: the finished cycle or why it could not run. */
  run: { pending: boolean; dryRun: boolean; result: CycleSummary | null; error: AppError | null };
  checks: Loadable<ResultOf<"connections.test">>;
  /** A secret being saved from the Connections section (the value itself is never kept in the store). */
  secretSave: { pending: string | null; name: string | null; error: AppError | null };
  pauseError: AppError | null;
  /** Log entry ids that arrived live since the Log section was opened. */
  freshLogIds: ReadonlySet<number>;
  start(api: RendererApi): () => void;
  show(section: SectionId): void;
  refresh(key: ViewKey): Promise<void>;
  provisionNow(options: { dryRun: boolean }): Promise<void>;
  setPaused(paused: boolean): Promise<void>;
  testConnections(): Promise<void>;
  /** Resolves true when the secret was stored. */
  /** Stores a secret of the profile in use, or of `profile` (an additional profile just saved by setup). */
  saveSecret(name: RequestOf<"connections.setSecret">["name"], value: string, profile?: string): Promise<boolean>;
}

export const useApp = create<AppState>()((set, get) => {
  const invoke = <M extends MethodName>(method: M, request: RequestOf<M>) => {
    const api = get().api;
    if (!api) throw new Error("The app store was used before start()");
    return api.invoke(method, request);
  };

  const onEvents = (api: RendererApi) => [
    api.on("log.entry", (entry: EventOf<"log.entry">) =>
      set(({ log, freshLogIds }) => ({
        log: {
          ...log,
          data: {
            entries: [entry, ...(log.data?.entries ?? []).filter((e) => e.id !== entry.id)].slice(0, MAX_LOG),
            nextCursor: log.data?.nextCursor ?? null,
            total: (log.data?.total ?? 0) + (log.data?.entries.some((e) => e.id === entry.id) ? 0 : 1),
          },
        },
        freshLogIds: new Set(freshLogIds).add(entry.id),
      })),
    ),
    api.on("cycle.progress", (progress) =>
      set(({ dashboard }) =>
        dashboard.data ? { dashboard: { ...dashboard, data: { ...dashboard.data, progress } } } : {},
      ),
    ),
    api.on("dashboard.changed", (data) => set(({ dashboard }) => ({ dashboard: { ...dashboard, data, error: null } }))),
    api.on("cycle.finished", (summary) => {
      set(({ cycles }) => ({
        cycles: { ...cycles, data: [summary, ...(cycles.data ?? []).filter((c) => c.id !== summary.id)] },
      }));
      void get().refresh("dashboard");
      // What the target holds changed; reload it if it was being looked at.
      if (get().target.data) void get().refresh("target");
    }),
  ];

  return {
    ...(Object.fromEntries(Object.keys(views).map((key) => [key, empty()])) as ViewData),
    api: null,
    connection: "connecting",
    section: "dashboard",
    run: { pending: false, dryRun: false, result: null, error: null },
    checks: empty(),
    secretSave: { pending: null, name: null, error: null },
    pauseError: null,
    freshLogIds: new Set(),

    start(api) {
      set({ api });
      const stops = [
        ...onEvents(api),
        api.onConnection((connection) => {
          set({ connection });
          // After a reconnect, re-read what the events may have missed.
          if (connection === "open")
            for (const key of [...sectionViews[get().section], "dashboard" as const]) void get().refresh(key);
        }),
      ];
      api.ready();
      void Promise.all([get().refresh("dashboard"), get().refresh("cycles"), get().refresh("log")]).then(() => {
        document.body.dataset.appReady = "true";
        document.dispatchEvent(new CustomEvent("provisiondesk:ready"));
      });
      return () => stops.forEach((stop) => stop());
    },

    show(section) {
      set({ section, ...(section === "log" ? {} : { freshLogIds: new Set<number>() }) });
      for (const key of sectionViews[section]) if (!get()[key].data) void get().refresh(key);
    },

    async refresh(key) {
      set({ [key]: { ...get()[key], loading: true } } as Partial<AppState>);
      const [method, request] = views[key];
      const result = await invoke(method, request as never);
      set({
        [key]: result.ok
          ? { data: result.value, error: null, loading: false }
          : { data: get()[key].data, error: result.error, loading: false },
      } as Partial<AppState>);
    },

    async provisionNow({ dryRun }) {
      set({ run: { pending: true, dryRun, result: null, error: null } });
      const result = await invoke("sync.provisionNow", { dryRun });
      set({
        run: {
          pending: false,
          dryRun,
          result: result.ok ? result.value : null,
          error: result.ok ? null : result.error,
        },
      });
      // The log is not re-read: its entries arrive live as log.entry events.
      await Promise.all([get().refresh("dashboard"), get().refresh("cycles")]);
    },

    async setPaused(paused) {
      const result = await invoke("sync.setPaused", { paused });
      set(({ dashboard }) =>
        result.ok
          ? { pauseError: null, dashboard: { ...dashboard, data: result.value } }
          : { pauseError: result.error },
      );
    },

    async testConnections() {
      set(({ checks }) => ({ checks: { ...checks, loading: true } }));
      const result = await invoke("connections.test", { side: "both" });
      set({
        checks: result.ok
          ? { data: result.value, error: null, loading: false }
          : { data: null, error: result.error, loading: false },
      });
    },

    async saveSecret(name, value, profile) {
      set({ secretSave: { pending: name, name, error: null } });
      const result = await invoke("connections.setSecret", { name, value, ...(profile ? { profile } : {}) });
      set(({ connections }) => ({
        secretSave: { pending: null, name, error: result.ok ? null : result.error },
        ...(result.ok ? { connections: { ...connections, data: result.value, error: null } } : {}),
      }));
      if (result.ok) await get().refresh("dashboard");
      return result.ok;
    },
  };
});
