import { SPLASHTOP_TENANT_URLS } from "../../../shared/config/profile";
import type { JsonObject } from "../draft/paths";

/**
 * Where first-run setup starts: Entra's defaults (assigned scope, global cloud, a client secret), Splashtop global, the
 * default schedule and safety. The name is the one the app uses before any profile exists, so the secrets stored
 * during setup belong to it.
 */
export const NEW_PROFILE: JsonObject = {
  name: "default",
  source: {
    tenantId: "",
    clientId: "",
    appId: "",
    credential: { type: "secret" },
    scope: "assigned",
    includeNestedGroups: false,
    cloud: "global",
  },
  target: { preset: "splashtop", tenantUrl: SPLASHTOP_TENANT_URLS.global },
  deprovision: { users: "disable", groups: "delete" },
  safety: { deletionThreshold: 500, canaryFraction: 0.5 },
  schedule: { intervalMinutes: 40, paused: false },
};
