import { describe, expect, it } from "vitest";
import { generateDirectory } from "../../../electron/emulators/graph";

describe("generateDirectory", () => {
  it("is deterministic for a seed and differs between seeds", () => {
    const a = generateDirectory({ seed: 99, users: 400 });
    expect(generateDirectory({ seed: 99, users: 400 })).toEqual(a);
    expect(generateDirectory({ seed: 100, users: 400 }).users[0]?.id).not.toBe(a.users[0]?.id);
  });

  it("produces realistic, consistent users: unique GUIDs and UPNs, diacritics, apostrophes, guests, disabled, managers", () => {
    const d = generateDirectory({ seed: 1, users: 3000 });
    const ids = new Set(d.users.map((u) => u.id));
    expect(ids.size).toBe(3000);
    expect(
      [...ids].every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)),
    ).toBe(true);
    expect(new Set(d.users.map((u) => u.userPrincipalName.toLowerCase())).size).toBe(3000);
    expect(d.users.some((u) => /[À-ž]/.test(u.displayName))).toBe(true);
    expect(d.users.some((u) => u.surname?.includes("'"))).toBe(true);
    const guests = d.users.filter((u) => u.userType === "Guest");
    expect(guests.length).toBeGreaterThan(30);
    for (const g of guests) {
      expect(g.userPrincipalName).toMatch(/^[a-z0-9.'-]+_[a-z0-9.-]+#EXT#@contoso\.onmicrosoft\.com$/);
      expect(g.userPrincipalName.startsWith((g.mail ?? "").replace("@", "_"))).toBe(true);
    }
    // Members' UPNs are ASCII even when names are not.
    expect(
      d.users
        .filter((u) => u.userType === "Member")
        .every((u) => /^[a-z0-9.'-]+@contoso\.com$/.test(u.userPrincipalName)),
    ).toBe(true);
    expect(d.users.some((u) => u.userPrincipalName.includes("'"))).toBe(true);
    expect(d.users.filter((u) => !u.accountEnabled).length).toBeGreaterThan(50);
    const withManager = d.users.filter((u) => u.managerId);
    expect(withManager.length).toBeGreaterThan(2000);
    expect(withManager.every((u) => ids.has(u.managerId ?? ""))).toBe(true);
    const members = d.users.filter((u) => u.userType === "Member");
    expect(members.every((u) => u.department && u.jobTitle && u.employeeId && u.mailNickname)).toBe(true);
  });

  it("makes groups from 2 to thousands of members, nested groups, and assignments to existing principals", () => {
    const d = generateDirectory({ seed: 2, users: 20000 });
    const sizes = d.groups.map((g) => g.members.length);
    expect(Math.min(...sizes)).toBeLessThanOrEqual(3);
    expect(Math.max(...sizes)).toBeGreaterThan(1000);
    const groupIds = new Set(d.groups.map((g) => g.id));
    const userIds = new Set(d.users.map((u) => u.id));
    expect(d.groups.some((g) => g.members.some((m) => groupIds.has(m)))).toBe(true);
    expect(d.groups.every((g) => g.members.every((m) => userIds.has(m) || groupIds.has(m)))).toBe(true);
    const kinds = new Set(d.assignments.map((a) => a.principalType));
    expect(kinds).toEqual(new Set(["User", "Group"]));
    for (const a of d.assignments)
      expect(a.principalType === "User" ? userIds.has(a.principalId) : groupIds.has(a.principalId)).toBe(true);
  });
});
