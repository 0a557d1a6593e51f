import { describe, expect, it, vi } from "vitest";
import type { CycleSummary } from "../../shared/ipc/model";
import { createRecordingService, cycle } from "../ipc/recording-service";

const shown: { title: string; body: string; clicks: (() => void)[] }[] = [];
vi.mock("electron", () => ({
  Notification: class {
    static isSupported = () => true;
    private record: (typeof shown)[number];
    constructor(options: { title: string; body: string }) {
      this.record = { ...options, clicks: [] };
    }
    on(event: string, listener: () => void) {
      if (event === "click") this.record.clicks.push(listener);
    }
    show() {
      shown.push(this.record);
    }
  },
}));
const { cycleNotice, notifyCycles } = await import("../../electron/main/notifications");

const ended = (outcome: CycleSummary["outcome"], extra: Partial<CycleSummary> = {}): CycleSummary => ({
  ...cycle,
  outcome,
  ...extra,
});

describe("native notifications", () => {
  it("speak up only for what needs the admin", () => {
    const refused = "Quarantined because the credentials were rejected: Splashtop rejected the token (401).";
    expect(cycleNotice(ended("quarantined", { error: refused }))).toEqual({
      title: "ProvisionDesk is in quarantine",
      body: refused,
    });
    expect(cycleNotice(ended("failed", { error: "Entra ID could not be reached" }))?.title).toBe("Provisioning failed");
    expect(cycleNotice(ended("stoppedByDeletionThreshold"))?.body).toContain("Nothing was deleted");
    expect(cycleNotice(ended("stoppedByCanary"))?.title).toContain("too few objects");
    for (const quiet of ["succeeded", "completedWithFailures", "cancelled", "running"] as const)
      expect(cycleNotice(ended(quiet)), quiet).toBeNull();
    expect(cycleNotice(ended("quarantined", { dryRun: true }))).toBeNull();
  });

  it("show one per finished cycle that needs the admin, and a click opens the window", () => {
    const service = createRecordingService();
    const open = vi.fn();
    const stop = notifyCycles(service, open);
    service.emit("cycle.finished", ended("succeeded"));
    service.emit("cycle.finished", ended("quarantined", { error: "refused" }));
    expect(shown.map((n) => n.title)).toEqual(["ProvisionDesk is in quarantine"]);
    shown[0]!.clicks.forEach((click) => click());
    expect(open).toHaveBeenCalledOnce();
    stop();
    service.emit("cycle.finished", ended("failed"));
    expect(shown).toHaveLength(1);
  });
});
