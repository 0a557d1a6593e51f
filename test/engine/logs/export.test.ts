import { describe, expect, it } from "vitest";
import { CSV_HEADER, exportChunks, exportFilename } from "../../../electron/engine/logs/export";
import type { LogEntry } from "../../../shared/ipc/model";

const entry: LogEntry = {
  id: 41,
  cycleId: 7,
  at: "2026-11-30T09:00:00.000Z",
  objectType: "user",
  sourceId: "u-1",
  targetId: null,
  displayName: 'Ann "The Admin", Lee',
  action: "Create",
  status: "Failure",
  modified: [
    { attribute: "displayName", old: null, new: '=HYPERLINK("http://evil")' },
    { attribute: "name.givenName", old: "Ann", new: { nested: true } },
  ],
  steps: [{ name: "Provision", status: "Failure", detail: "Splashtop said:\nno" }],
  errorCode: "InvalidValue",
  message: "rejected",
  recommendation: "fix it",
  requestIds: ["client-request-id abc", "request-id def (target)"],
};

describe("log export in Entra's layout", () => {
  it("CSV: a summary row, then a row per step and per modified property, all carrying the entry's Change Id", () => {
    const csv = [...exportChunks([entry], "csv")].join("");
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe(CSV_HEADER.join(","));
    expect(lines[1]).toMatch(
      /^Summary,7-41,2026-11-30T09:00:00.000Z,7,Create,Failure,User,"Ann ""The Admin"", Lee",u-1,,/,
    );
    expect(lines[1]).toContain("client-request-id abc; request-id def (target)");
    // A cell with a line break is quoted, so the step stays one record.
    expect(csv).toContain('Step,7-41,,,,,,,,,,,,,Provision,Failure,"Splashtop said:\nno"');
    // A value a spreadsheet would run as a formula is defused.
    expect(csv).toContain(`ModifiedProperty,7-41${",".repeat(16)}displayName,,"'=HYPERLINK(""http://evil"")"`);
    expect(csv).toContain(`ModifiedProperty,7-41${",".repeat(16)}name.givenName,Ann,"{""nested"":true}"`);
  });

  it("JSON: Graph's provisioningObjectSummary names, and a valid empty array when nothing matches", () => {
    const [parsed] = JSON.parse([...exportChunks([entry], "json")].join("")) as Record<string, unknown>[];
    expect(parsed).toMatchObject({
      changeId: "7-41",
      cycleId: "7",
      activityDateTime: entry.at,
      provisioningAction: "create",
      provisioningStatusInfo: {
        status: "failure",
        errorInformation: { errorCode: "InvalidValue", reason: "rejected", recommendedAction: "fix it" },
      },
      sourceIdentity: { id: "u-1", displayName: entry.displayName, identityType: "User" },
      provisioningSteps: [{ name: "Provision", provisioningStepType: "Export", status: "failure" }],
      modifiedProperties: [
        { displayName: "displayName", oldValue: null, newValue: '=HYPERLINK("http://evil")' },
        { displayName: "name.givenName", oldValue: "Ann", newValue: '{"nested":true}' },
      ],
    });
    expect(JSON.parse([...exportChunks([], "json")].join(""))).toEqual([]);
    expect(exportFilename("csv", new Date("2026-11-30T09:05:06Z"), 7)).toBe(
      "provisioning-log-cycle-7-2026-11-30-09-05-06.csv",
    );
  });
});
