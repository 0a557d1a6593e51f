import { afterEach, describe, expect, it } from "vitest";
import type { RendererApi } from "../../renderer/src/api";
import { useDraft } from "../../renderer/src/draft/store";
import { useApp } from "../../renderer/src/store";

/** An engine that answers a save, then holds its read-back of the stored profile until `readBack` is called. */
function engine(storedProfile: Record<string, unknown>) {
  let readBack = () => {};
  const answered = new Promise<void>((resolve) => (readBack = resolve));
  let reads = 0;
  const api = {
    invoke: async (method: string) => {
      if (method === "profile.save") return { ok: true, value: { status: "saved", revision: 2, problems: [] } };
      if (method === "profile.get" && reads++ > 0) await answered;
      if (method === "profile.get") return { ok: true, value: { profile: storedProfile, revision: 2 } };
      return { ok: true, value: {} };
    },
  } as unknown as RendererApi;
  return { api, readBack };
}

describe("the profile draft", () => {
  afterEach(() => useApp.setState({ api: null }));

  it("keeps an edit made after a save was answered but before the stored profile was read back", async () => {
    const stored = { name: "p", source: { scope: "assigned" }, target: { concurrency: 4 } };
    const { api, readBack } = engine(stored);
    useApp.setState({ api });
    await useDraft.getState().load();
    useDraft.getState().edit("target.concurrency", 6);
    const saving = useDraft.getState().save();
    await new Promise((resolve) => setTimeout(resolve, 10));
    // "Saved" shows now; the admin goes on to Scope and picks groups.
    expect(useDraft.getState().savedRevision).toBe(2);
    useDraft.getState().edit("source.scope", { groups: [] });
    readBack();
    expect(await saving).toBe(true);
    expect(useDraft.getState().draft).toMatchObject({ source: { scope: { groups: [] } } });

    // With no edit meanwhile, the draft becomes the profile as stored (the engine's defaults filled in).
    const again = useDraft.getState().save();
    expect(await again).toBe(true);
    expect(useDraft.getState().draft).toEqual(stored);
  });
});
