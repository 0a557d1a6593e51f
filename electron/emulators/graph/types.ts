// Data model of the emulated directory. Property names are Microsoft Graph's, so a record
// can be serialised straight into a response after $select.

export interface UserRecord {
  id: string;
  userPrincipalName: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  mailNickname: string;
  otherMails: string[];
  proxyAddresses: string[];
  accountEnabled: boolean;
  userType: "Member" | "Guest";
  externalUserState: string | null;
  department: string | null;
  jobTitle: string | null;
  companyName: string | null;
  employeeId: string | null;
  employeeType: string | null;
  officeLocation: string | null;
  city: string | null;
  country: string | null;
  usageLocation: string | null;
  preferredLanguage: string | null;
  businessPhones: string[];
  mobilePhone: string | null;
  createdDateTime: string;
  streetAddress: string | null;
  postalCode: string | null;
  state: string | null;
  faxNumber: string | null;
  employeeHireDate: string | null;
  passwordPolicies: string | null;
  ageGroup: string | null;
  imAddresses: string[];
  onPremisesSyncEnabled: boolean | null;
  onPremisesSamAccountName: string | null;
  onPremisesDistinguishedName: string | null;
  onPremisesDomainName: string | null;
  onPremisesImmutableId: string | null;
  onPremisesSecurityIdentifier: string | null;
  onPremisesUserPrincipalName: string | null;
  /** extensionAttribute1 .. extensionAttribute15, always all present (null when unset), as Graph returns them. */
  onPremisesExtensionAttributes: Record<string, string | null>;
  /** Not a Graph property: the manager relationship, exposed through $expand=manager and manager@delta. */
  managerId: string | null;
  /** Directory extension properties, e.g. extension_<appId without dashes>_costCenter. */
  [extension: `extension_${string}`]: string | number | boolean | null | undefined;
}

export interface GroupRecord {
  id: string;
  displayName: string;
  description: string | null;
  mail: string | null;
  mailEnabled: boolean;
  mailNickname: string;
  securityEnabled: boolean;
  groupTypes: string[];
  visibility: string | null;
  createdDateTime: string;
  /** Not a Graph property: ids of direct members (users or groups), exposed through /members and members@delta. */
  members: string[];
}

export interface AppRole {
  id: string;
  value: string;
  displayName: string;
  description: string;
  allowedMemberTypes: string[];
  isEnabled: boolean;
}

/** The enterprise application (service principal) whose assignments decide provisioning scope. */
export interface AppRecord {
  appId: string;
  servicePrincipalId: string;
  displayName: string;
  appRoles: AppRole[];
}

export interface AppRoleAssignmentRecord {
  id: string;
  appRoleId: string;
  principalId: string;
  principalType: "User" | "Group";
  createdDateTime: string;
}

/** A whole tenant as plain data: what generateDirectory returns and startGraphEmulator loads. */
export interface Directory {
  tenantId: string;
  /** Verified domain used for members' UPNs and mail, e.g. "contoso.com". */
  domain: string;
  /** The tenant's initial domain, e.g. "contoso.onmicrosoft.com" (guests' UPNs end with it). */
  initialDomain: string;
  users: UserRecord[];
  groups: GroupRecord[];
  app: AppRecord;
  assignments: AppRoleAssignmentRecord[];
}

export interface ClientRegistration {
  clientId: string;
  clientSecret?: string;
  /** PEM of the client's certificate (public part), for client_assertion authentication. */
  certificatePem?: string;
  /** Granted application permissions, e.g. ["User.Read.All", "Group.Read.All", "Application.Read.All"]. */
  permissions?: string[];
}

export interface RecordedRequest {
  method: string;
  /** Path and query as received, e.g. "/v1.0/users?$top=999". */
  path: string;
  status: number;
  /** ISO timestamp of arrival. */
  time: string;
  requestId: string;
  clientRequestId: string;
}

export interface ThrottleRule {
  /** Status to answer with: 429 (default), 503 or 504. */
  status?: 429 | 503 | 504;
  /** Answer this many matching requests, then stop. Without count (and without fraction) every matching request is refused. */
  count?: number;
  /** Refuse this fraction (0..1) of matching requests, chosen by the seeded PRNG. */
  fraction?: number;
  /** Only requests whose path+query matches. Default: Graph requests (/v1.0/...). */
  path?: RegExp | string;
  /** Retry-After header value in seconds (may be fractional, e.g. "0.2"); null leaves the header out. Default "0.2". */
  retryAfter?: string | null;
}

export interface EmulatorCounters {
  total: number;
  byStatus: Record<number, number>;
  throttled: number;
  tokensIssued: number;
  /** TLS connections accepted: how often clients opened a new session rather than reuse one. */
  connections: number;
}
