// Deterministic directory generator: a realistic tenant (names with diacritics and apostrophes,
// guests, disabled accounts, managers, groups from 2 to thousands of members, nested groups,
// app assignments) from a seed. Linear in size: 100,000 users take well under a few seconds.

import { createPrng, type Prng } from "./prng";
import { DEPARTMENTS, GIVEN_NAMES, GUEST_DOMAINS, JOB_TITLES, OFFICES, SURNAMES, TEAM_WORDS } from "./names";
import type { AppRecord, AppRoleAssignmentRecord, Directory, GroupRecord, UserRecord } from "./types";

export interface GenerateDirectoryOptions {
  seed: number;
  users: number;
  /** Number of groups (department groups included). Default: about one per 20 users, at least 4. */
  groups?: number;
  appId?: string;
  tenantId?: string;
  /** Verified domain for members. Default "contoso.com". */
  domain?: string;
  appDisplayName?: string;
  /** Fraction of users that are guests. Default 0.04. */
  guestRatio?: number;
  /** Fraction of users that are disabled. Default 0.05. */
  disabledRatio?: number;
  /** Fraction of users assigned to the app directly. Default 0.05. */
  directAssignmentRatio?: number;
}

export const DEFAULT_TENANT_ID = "7d3f4a1e-0c6b-4b8e-9a51-2f0e6c9d1b23";
export const DEFAULT_APP_ID = "5b1c8f3e-2d4a-4f6b-8e9c-0a1b2c3d4e5f";
/** The "Default Access" role Entra uses when an app defines no roles for an assignment. */
export const DEFAULT_ACCESS_ROLE_ID = "00000000-0000-0000-0000-000000000000";

const EPOCH = Date.UTC(2019, 0, 1);
const SPAN_MS = Date.UTC(2026, 0, 1) - EPOCH;

const nicknameCache = new Map<string, string>();

/** ASCII mail nickname, apostrophes kept as Entra allows them: "José O'Brien" -> "jose.o'brien". Memoised: the name lists are small and NFD is slow. */
export function toNickname(given: string, surname: string): string {
  const key = `${given}\u0000${surname}`;
  const cached = nicknameCache.get(key);
  if (cached !== undefined) return cached;
  const ascii = (s: string) =>
    s
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/ł/g, "l")
      .replace(/Ł/g, "L")
      .replace(/ø/g, "o")
      .replace(/Ø/g, "O")
      .replace(/[^A-Za-z0-9'-]/g, "")
      .toLowerCase();
  const nick = `${ascii(given)}.${ascii(surname)}`;
  nicknameCache.set(key, nick);
  return nick;
}

const NO_EXTENSION_ATTRIBUTES: Readonly<Record<string, null>> = Object.fromEntries(
  Array.from({ length: 15 }, (_, i) => [`extensionAttribute${i + 1}`, null]),
);

/**
 * Properties a cloud-only account has: no on-premises identity, no address. Spread it at the END of an object
 * literal: spread first, V8 builds each of 100,000 users slowly (measured about ten times slower).
 */
export function cloudOnlyDefaults() {
  return {
    streetAddress: null,
    postalCode: null,
    state: null,
    faxNumber: null,
    employeeHireDate: null,
    passwordPolicies: null,
    ageGroup: null,
    imAddresses: [] as string[],
    onPremisesSyncEnabled: null,
    onPremisesSamAccountName: null,
    onPremisesDistinguishedName: null,
    onPremisesDomainName: null,
    onPremisesImmutableId: null,
    onPremisesSecurityIdentifier: null,
    onPremisesUserPrincipalName: null,
    onPremisesExtensionAttributes: { ...NO_EXTENSION_ATTRIBUTES } as Record<string, string | null>,
  };
}

/** RFC 4514 escaping for a distinguished name's attribute value. */
const dnEscape = (v: string) => v.replace(/[,+"\\<>;=]/g, (c) => `\\${c}`);

/**
 * Addresses, hire dates and an Active Directory identity for most members (synced from "corp.contoso.com").
 * Draws from its own PRNG so the rest of a seeded directory stays the same as before these properties existed.
 */
function addOnPremisesAndAddress(users: UserRecord[], prng: Prng): void {
  const offices = new Map(OFFICES.map((o) => [o.office, o]));
  users.forEach((u, i) => {
    if (u.userType !== "Member") return;
    const office = offices.get(u.officeLocation ?? "");
    Object.assign(u, {
      streetAddress: office?.street ?? null,
      postalCode: office?.postal ?? null,
      state: office?.state ?? null,
      employeeHireDate: `${u.createdDateTime.slice(0, 10)}T00:00:00Z`,
      faxNumber: prng.chance(0.03) ? `+1 425 555 ${String(prng.int(10000)).padStart(4, "0")}` : null,
      passwordPolicies: prng.chance(0.2) ? "DisablePasswordExpiration" : null,
    });
    if (!prng.chance(0.6)) return;
    u.onPremisesSyncEnabled = true;
    u.onPremisesSamAccountName = u.mailNickname.slice(0, 20);
    u.onPremisesDomainName = "corp.contoso.com";
    u.onPremisesDistinguishedName = `CN=${dnEscape(u.displayName)},OU=${dnEscape(u.department ?? "Users")},DC=corp,DC=contoso,DC=com`;
    u.onPremisesImmutableId = Buffer.from(Array.from({ length: 16 }, () => prng.int(256))).toString("base64");
    u.onPremisesSecurityIdentifier = `S-1-5-21-1004336348-1177238915-682003330-${1100 + i}`;
    u.onPremisesUserPrincipalName = u.userPrincipalName.replace(/@.*$/, "@corp.contoso.com");
    u.onPremisesExtensionAttributes = {
      ...u.onPremisesExtensionAttributes,
      extensionAttribute1: `CC-${1000 + prng.int(9000)}`,
      extensionAttribute15: prng.chance(0.1) ? "VIP" : null,
    };
  });
}

function isoDate(prng: Prng): string {
  return `${new Date(EPOCH + Math.floor(prng.next() * SPAN_MS)).toISOString().slice(0, 19)}Z`;
}

export function generateDirectory(opts: GenerateDirectoryOptions): Directory {
  const prng = createPrng(opts.seed);
  const domain = opts.domain ?? "contoso.com";
  const initialDomain = `${domain.split(".")[0] ?? "contoso"}.onmicrosoft.com`;
  const users = generateUsers(prng, opts, domain, initialDomain);
  addOnPremisesAndAddress(users, createPrng(opts.seed ^ 0x0a11ce));
  const groups = generateGroups(prng, users, opts.groups ?? Math.max(4, Math.round(opts.users / 20)));
  const app = makeApp(prng, opts);
  const assignments = assign(prng, app, users, groups, opts.directAssignmentRatio ?? 0.05);
  return { tenantId: opts.tenantId ?? DEFAULT_TENANT_ID, domain, initialDomain, users, groups, app, assignments };
}

function generateUsers(
  prng: Prng,
  opts: GenerateDirectoryOptions,
  domain: string,
  initialDomain: string,
): UserRecord[] {
  const used = new Map<string, number>();
  const unique = (base: string): string => {
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return n === 1 ? base : `${base}${n}`;
  };
  const guestRatio = opts.guestRatio ?? 0.04;
  const disabledRatio = opts.disabledRatio ?? 0.05;
  const users: UserRecord[] = [];
  // A tree of managers: the first few percent are managers, each reporting to an earlier manager.
  const managerCount = Math.max(1, Math.ceil(opts.users * 0.08));
  for (let i = 0; i < opts.users; i++) {
    const given = prng.pick(GIVEN_NAMES);
    const surname = prng.pick(SURNAMES);
    const nick = unique(toNickname(given, surname));
    const office = prng.pick(OFFICES);
    const guest = i >= managerCount && prng.chance(guestRatio);
    const created = isoDate(prng);
    const managerId = i === 0 ? null : (users[prng.int(Math.min(i, managerCount))]?.id ?? null);
    const id = prng.guid();
    if (guest) {
      const guestDomain = prng.pick(GUEST_DOMAINS);
      const externalMail = `${nick}@${guestDomain}`;
      users.push({
        id,
        userPrincipalName: `${nick}_${guestDomain}#EXT#@${initialDomain}`,
        displayName: `${given} ${surname} (Guest)`,
        givenName: given,
        surname,
        mail: externalMail,
        mailNickname: `${nick}_${guestDomain}#EXT#`,
        otherMails: [externalMail],
        proxyAddresses: [`SMTP:${externalMail}`],
        accountEnabled: !prng.chance(disabledRatio),
        userType: "Guest",
        externalUserState: prng.chance(0.8) ? "Accepted" : "PendingAcceptance",
        department: null,
        jobTitle: null,
        companyName: guestDomain.split(".")[0] ?? null,
        employeeId: null,
        employeeType: null,
        officeLocation: null,
        city: null,
        country: null,
        usageLocation: null,
        preferredLanguage: null,
        businessPhones: [],
        mobilePhone: null,
        createdDateTime: created,
        managerId: null,
        ...cloudOnlyDefaults(),
      });
      continue;
    }
    const department = prng.pick(DEPARTMENTS);
    const mail = `${nick}@${domain}`;
    users.push({
      id,
      userPrincipalName: mail,
      displayName: `${given} ${surname}`,
      givenName: given,
      surname,
      mail,
      mailNickname: nick,
      otherMails: [],
      proxyAddresses: [`SMTP:${mail}`, `smtp:${nick}@${initialDomain}`],
      accountEnabled: !prng.chance(disabledRatio),
      userType: "Member",
      externalUserState: null,
      department,
      jobTitle: i < managerCount ? `${department} Manager` : prng.pick(JOB_TITLES),
      companyName: "Contoso",
      employeeId: String(100000 + i),
      employeeType: prng.chance(0.9) ? "Employee" : "Contractor",
      officeLocation: office.office,
      city: office.city,
      country: office.country,
      usageLocation: office.usage,
      preferredLanguage: office.lang,
      businessPhones: prng.chance(0.7) ? [`+1 425 555 ${String(prng.int(10000)).padStart(4, "0")}`] : [],
      mobilePhone: prng.chance(0.4) ? `+1 206 555 ${String(prng.int(10000)).padStart(4, "0")}` : null,
      createdDateTime: created,
      managerId,
      ...cloudOnlyDefaults(),
    });
  }
  return users;
}

function makeGroup(prng: Prng, displayName: string, members: string[], security: boolean): GroupRecord {
  const nick =
    displayName
      .normalize("NFD")
      .replace(/[^A-Za-z0-9]/g, "")
      .slice(0, 40) || "group";
  return {
    id: prng.guid(),
    displayName,
    description: prng.chance(0.6) ? `${displayName} members` : null,
    mail: security ? null : `${nick.toLowerCase()}@contoso.com`,
    mailEnabled: !security,
    mailNickname: nick,
    securityEnabled: security,
    groupTypes: security ? [] : ["Unified"],
    visibility: security ? null : "Private",
    createdDateTime: isoDate(prng),
    members,
  };
}

/** Department groups (large), then teams with heavy-tailed sizes (2 .. thousands), then a few nesting groups. */
function generateGroups(prng: Prng, users: UserRecord[], count: number): GroupRecord[] {
  const groups: GroupRecord[] = [];
  const byDept = new Map<string, string[]>();
  for (const u of users) {
    if (!u.department) continue;
    const list = byDept.get(u.department) ?? [];
    list.push(u.id);
    byDept.set(u.department, list);
  }
  const deptGroups = Math.min(DEPARTMENTS.length, Math.ceil(count / 3));
  for (const dept of DEPARTMENTS.slice(0, deptGroups)) {
    groups.push(makeGroup(prng, `Dept - ${dept}`, byDept.get(dept) ?? [], true));
  }
  const nestCount = Math.min(3, Math.max(0, count - groups.length - 1));
  while (groups.length < count - nestCount) {
    // Pareto-like sizes: most teams are small, a few have thousands of members.
    const size = Math.min(users.length, Math.max(2, Math.floor(2 / Math.pow(1 - prng.next(), 0.9))));
    const members = new Set<string>();
    while (members.size < Math.min(size, users.length)) members.add(prng.pick(users).id);
    const name = `${prng.pick(TEAM_WORDS)} ${prng.chance(0.5) ? "Team" : "Project"} ${groups.length}`;
    groups.push(makeGroup(prng, name, [...members], prng.chance(0.7)));
  }
  for (let i = 0; i < nestCount; i++) {
    const children = [groups[groups.length - 1 - i]?.id, groups[prng.int(groups.length)]?.id].filter(
      (x): x is string => !!x,
    );
    const extraUser = users[prng.int(users.length)]?.id;
    groups.push(
      makeGroup(prng, `Nested Access ${i + 1}`, [...new Set([...children, ...(extraUser ? [extraUser] : [])])], true),
    );
  }
  return groups;
}

function makeApp(prng: Prng, opts: GenerateDirectoryOptions): AppRecord {
  const role = (value: string) => ({
    id: prng.guid(),
    value,
    displayName: value,
    description: `${value} access to the app`,
    allowedMemberTypes: ["User"],
    isEnabled: true,
  });
  return {
    appId: opts.appId ?? DEFAULT_APP_ID,
    servicePrincipalId: prng.guid(),
    displayName: opts.appDisplayName ?? "Splashtop",
    appRoles: [role("User"), role("msiam_access")],
  };
}

/** appRoleAssignment ids are 43-character base64url strings in Entra, not GUIDs. */
export function assignmentId(prng: Prng): string {
  return Buffer.from(Array.from({ length: 32 }, () => prng.int(256))).toString("base64url");
}

function assign(
  prng: Prng,
  app: AppRecord,
  users: UserRecord[],
  groups: GroupRecord[],
  ratio: number,
): AppRoleAssignmentRecord[] {
  const roleId = app.appRoles[0]?.id ?? DEFAULT_ACCESS_ROLE_ID;
  const out: AppRoleAssignmentRecord[] = [];
  // Two department groups, one team and the first nesting group (whose nested members must NOT count).
  const picked = [
    groups[0],
    groups[1],
    groups[groups.length > 14 ? 14 : groups.length - 1],
    groups.find((g) => g.displayName.startsWith("Nested")),
  ];
  for (const g of new Set(picked)) {
    if (g)
      out.push({
        id: assignmentId(prng),
        appRoleId: roleId,
        principalId: g.id,
        principalType: "Group",
        createdDateTime: isoDate(prng),
      });
  }
  for (const u of users) {
    if (prng.chance(ratio)) {
      out.push({
        id: assignmentId(prng),
        appRoleId: prng.chance(0.9) ? roleId : DEFAULT_ACCESS_ROLE_ID,
        principalId: u.id,
        principalType: "User",
        createdDateTime: isoDate(prng),
      });
    }
  }
  return out;
}
