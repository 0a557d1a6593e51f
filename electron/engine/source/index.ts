// Reading Microsoft Entra ID through Microsoft Graph with app-only credentials.
export { cloudEndpoints } from "./clouds";
export type { CloudEndpoints } from "./clouds";
export { createTokenProvider } from "./tokens";
export type { SourceCredential, TokenProvider, TokenProviderOptions } from "./tokens";
export { createGraphClient } from "./graph-client";
export type { GraphClient, GraphClientOptions, GraphPage } from "./graph-client";
export { createSourceConnection } from "./connection";
export type { SourceConnection } from "./connection";
export { GraphError, SourceAuthError, SourceConfigError } from "./errors";
export type { SourceAuthErrorKind, SourceConfigErrorKind } from "./errors";
export { readGroupsDelta, readUsersDelta, streamUsers } from "./delta";
export type { DeltaResult, GroupDelta, MemberType, RemovedReason, UserDelta } from "./delta";
export { readAssignments } from "./assignments";
export type { Assignments } from "./assignments";
export {
  availableExtensionProperties,
  countGroupMembers,
  getGroup,
  getUser,
  groupIdsByName,
  listGroupMembers,
  listGroupMembersNamed,
  listGroups,
  readGroup,
  scopeGroupsForUser,
  searchGroups,
  searchUsers,
  transitiveMemberIds,
  userGroupIds,
} from "./lookups";
export type { ExtensionProperty, GroupPage, NamedMember, ScopeGroup } from "./lookups";
export { checkSource } from "./checks";
export type { SourceCheckOptions } from "./checks";
export { createMsalNetworkClient } from "./network";
