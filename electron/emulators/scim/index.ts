export { startScimServer } from "./server";
export {
  CORE_GROUP_SCHEMA,
  CORE_USER_SCHEMA,
  ERROR_SCHEMA,
  LIST_RESPONSE_SCHEMA,
  PATCH_OP_SCHEMA,
  SPLASHTOP_USER_SCHEMA,
} from "./types";
export type {
  RecordedScimRequest,
  ScimEmail,
  ScimFaults,
  ScimGroup,
  ScimMember,
  ScimMeta,
  ScimServer,
  ScimServerOptions,
  ScimUser,
} from "./types";
