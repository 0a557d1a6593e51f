import type { PageLimits } from "./listing";
import type { ScimStore } from "./store";

/** Per-server state the routes share (scimmy's own declarations are process-wide). */
export interface ServerContext {
  store: ScimStore;
  /** Set once the server listens: "http://127.0.0.1:PORT/scim/v1". */
  tenantUrl: string;
  strict: boolean;
  limits: PageLimits;
}
