import { create } from "zustand";
import type { ResultOf } from "../../../../shared/ipc/contract";
import type { AppError } from "../../../../shared/ipc/result";
import { asDraft, useDraft } from "../../draft/store";
import { useApp } from "../../store";

/** What the mapping editor picks from: the expression functions, source attributes and target attributes. */
interface Reference {
  functions: ResultOf<"expression.functions">;
  source: ResultOf<"directory.attributes"> | null;
  target: ResultOf<"target.attributes"> | null;
  error: AppError | null;
  loaded: boolean;
  load(): Promise<void>;
}

export const useReference = create<Reference>()((set, get) => ({
  functions: [],
  source: null,
  target: null,
  error: null,
  loaded: false,
  async load() {
    const api = useApp.getState().api;
    const draft = useDraft.getState().draft;
    if (!api || get().loaded) return;
    set({ loaded: true });
    const request = draft ? { draft: asDraft(draft) } : {};
    const [functions, source, target] = await Promise.all([
      api.invoke("expression.functions", {}),
      api.invoke("directory.attributes", request),
      api.invoke("target.attributes", request),
    ]);
    const failed = [functions, source, target].find((result) => !result.ok);
    set({
      functions: functions.ok ? functions.value : [],
      source: source.ok ? source.value : null,
      target: target.ok ? target.value : null,
      error: failed && !failed.ok ? failed.error : null,
    });
  },
}));
