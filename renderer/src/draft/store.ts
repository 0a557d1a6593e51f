import { create } from "zustand";
import { ProfileSchema } from "../../../shared/config/profile";
import type { ProfileInput } from "../../../shared/config/profile";
import type { MethodName, RequestOf, ResultOf } from "../../../shared/ipc/contract";
import type { AppError } from "../../../shared/ipc/result";
import { useApp } from "../store";
import { diffJson, isUnder, normalizePath, setIn } from "./paths";
import type { Change, JsonObject } from "./paths";

export interface FieldProblem {
  path: string;
  severity: "error" | "warning";
  message: string;
  offset?: number;
}

type SaveConflict = Extract<ResultOf<"profile.save">, { status: "conflict" }>;

export interface DraftState {
  /** The stored profile as profile.get returned it (null: none stored yet). */
  stored: ResultOf<"profile.get"> | null;
  loadError: AppError | null;
  /** The profile being edited; every screen edits this one copy, and a save sends all of it. */
  draft: JsonObject | null;
  /** The revision the draft started from; null for a profile that does not exist yet. */
  baseRevision: number | null;
  /** Fields the admin changed: schema problems show there while typing, elsewhere only after a save attempt. */
  touched: ReadonlySet<string>;
  attempted: boolean;
  /** Problems the engine answered for the last save (refused or saved with warnings). */
  saveProblems: FieldProblem[];
  conflict: SaveConflict | null;
  saving: boolean;
  saveError: AppError | null;
  savedRevision: number | null;
  load(): Promise<void>;
  /** Starts a profile that is not stored yet (first-run setup). */
  startNew(profile: JsonObject): void;
  edit(path: string, value: unknown): void;
  discard(): void;
  /** Sends the whole draft; resolves true when it was stored. */
  save(): Promise<boolean>;
}

async function call<M extends MethodName>(method: M, request: RequestOf<M>) {
  const api = useApp.getState().api;
  if (!api) throw new Error("The draft store was used before the app started");
  return api.invoke(method, request);
}

/** The draft as the contract types it: the engine checks it like a save would, so the window sends it as it stands. */
export const asDraft = (draft: JsonObject) => draft as unknown as ProfileInput;

const copy = (value: unknown): JsonObject => JSON.parse(JSON.stringify(value ?? {})) as JsonObject;

export const useDraft = create<DraftState>()((set, get) => ({
  stored: null,
  loadError: null,
  draft: null,
  baseRevision: null,
  touched: new Set(),
  attempted: false,
  saveProblems: [],
  conflict: null,
  saving: false,
  saveError: null,
  savedRevision: null,

  async load() {
    const result = await call("profile.get", {});
    if (!result.ok) return set({ loadError: result.error });
    const { profile, revision } = result.value;
    set({
      stored: result.value,
      loadError: null,
      // No stored profile: keep a new one being set up.
      draft: profile ? copy(profile) : get().draft,
      baseRevision: revision,
      touched: new Set(),
      attempted: false,
      saveProblems: [],
      conflict: null,
    });
  },

  startNew(profile) {
    set({ draft: copy(profile), baseRevision: null, touched: new Set(), attempted: false, saveProblems: [] });
  },

  edit(path, value) {
    const { draft, touched } = get();
    set({
      draft: setIn(draft ?? {}, path, value),
      touched: new Set(touched).add(path),
      savedRevision: null,
      // A problem the engine reported stays until the field it names changes.
      saveProblems: get().saveProblems.filter((problem) => !isUnder(problem.path, path)),
    });
  },

  discard() {
    const profile = get().stored?.profile;
    set({
      // No stored profile: keep a new one being set up.
      draft: profile ? copy(profile) : get().draft,
      touched: new Set(),
      attempted: false,
      saveProblems: [],
      conflict: null,
    });
  },

  async save() {
    const { draft, baseRevision } = get();
    if (!draft) return false;
    set({ saving: true, saveError: null, attempted: true, conflict: null });
    const result = await call("profile.save", { profile: asDraft(draft), baseRevision });
    if (!result.ok) {
      set({ saving: false, saveError: result.error });
      return false;
    }
    const answer = result.value;
    if (answer.status === "invalid") {
      set({ saving: false, saveProblems: answer.problems.map((p) => ({ ...p, path: normalizePath(p.path) })) });
      return false;
    }
    if (answer.status === "conflict") {
      set({ saving: false, conflict: answer });
      return false;
    }
    set({
      saving: false,
      savedRevision: answer.revision,
      baseRevision: answer.revision,
      saveProblems: answer.problems.map((p) => ({ ...p, path: normalizePath(p.path) })),
      touched: new Set(),
      attempted: false,
    });
    // The stored profile is what the engine made of the draft (defaults filled in): edit on from that, unless an edit
    // was made since the save was sent (it shows "Saved" before this answer): that edit is the admin's, and stays.
    const stored = await call("profile.get", {});
    if (stored.ok)
      set({
        stored: stored.value,
        draft: stored.value.profile && get().draft === draft ? copy(stored.value.profile) : get().draft,
      });
    // Everything that shows the profile reads it again.
    const app = useApp.getState();
    await Promise.all((["dashboard", "connections", "mappings"] as const).map((key) => app.refresh(key)));
    return true;
  },
}));

/** Schema problems of the draft (the same ProfileSchema `config import` uses), at their paths. */
const checked = new WeakMap<JsonObject, FieldProblem[]>();
export function schemaProblems(draft: JsonObject | null): FieldProblem[] {
  if (!draft) return [];
  const cached = checked.get(draft);
  if (cached) return cached;
  let parsed: ReturnType<typeof ProfileSchema.safeParse>;
  try {
    parsed = ProfileSchema.safeParse(draft);
  } catch {
    // A refinement that throws on a half-typed value (e.g. new URL("")): the engine's answer on save still names it.
    return [];
  }
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join("."),
        severity: "error" as const,
        message: issue.message,
      }));
  checked.set(draft, problems);
  return problems;
}

/** Problems to show at `path`: the engine's answer to a save, and schema problems once the field was edited. */
export function useFieldProblems(path: string): FieldProblem[] {
  const { draft, touched, attempted, saveProblems } = useDraft();
  const live = schemaProblems(draft).filter(
    (problem) => isUnder(problem.path, path) && (attempted || [...touched].some((t) => isUnder(problem.path, t))),
  );
  const engine = saveProblems.filter((problem) => isUnder(problem.path, path));
  const seen = new Set(engine.map((problem) => problem.message));
  return [...engine, ...live.filter((problem) => !seen.has(problem.message))];
}

/** What the draft changes in the stored profile. */
export function useChanges(): Change[] {
  const { draft, stored } = useDraft();
  return draft ? diffJson(stored?.profile ?? {}, draft) : [];
}
