import type { ConnectionCheck } from "../../../shared/ipc/model";
import type { HttpClient } from "../http";
import type { SecretStore } from "../secrets/secret-store";
import type { ActiveProfile } from "./active-profile";
import { EngineError } from "./errors";
import { network } from "./load-network";

/** Runs one side's checks; a side that cannot even be opened (missing secret, unreadable CA file) is one failed check. */
async function withOpened<T extends { http: HttpClient }>(
  open: () => Promise<T>,
  name: string,
  check: (clients: T) => Promise<ConnectionCheck[]>,
): Promise<ConnectionCheck[]> {
  let clients: T;
  try {
    clients = await open();
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    return [{ name, ok: false, message: error.message }];
  }
  try {
    return await check(clients);
  } finally {
    await clients.http.close();
  }
}

/** What the Connections screen asks of the live servers with the stored profile: sign-in checks, the target's users. */
export function createConnectionsCheck(deps: { secrets: SecretStore; dataDir: string; active: ActiveProfile }) {
  const { secrets, dataDir, active } = deps;
  return {
    async testConnection(side: "source" | "target" | "both"): Promise<ConnectionCheck[]> {
      const ready = active.requireProfile();
      const { checkSource, openSource, openTarget } = await network();
      const checks: ConnectionCheck[] = [];
      if (side !== "target") {
        checks.push(
          ...(await withOpened(
            () => openSource(ready, secrets, dataDir),
            "Sign in to Entra ID",
            (source) =>
              checkSource({
                tokens: source.tokens,
                graph: source.graph,
                appId: ready.source.appId,
                tenantId: ready.source.tenantId,
              }),
          )),
        );
      }
      if (side !== "source") {
        checks.push(
          ...(await withOpened(
            () => openTarget(ready, secrets, dataDir),
            "Authenticate to the target",
            (target) => target.scim.testConnection(),
          )),
        );
      }
      return checks;
    },
    async browseTarget(limit: number) {
      const { browseTarget, openTarget } = await network();
      const target = await openTarget(active.requireProfile(), secrets, dataDir);
      try {
        return await browseTarget(target.scim, limit);
      } finally {
        await target.http.close();
      }
    },
  };
}
