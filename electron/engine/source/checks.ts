import type { ConnectionCheck } from "../../../shared/ipc/model";
import { HttpError } from "../http";
import { readAssignments } from "./assignments";
import { GraphError, SourceAuthError } from "./errors";
import type { GraphClient } from "./graph-client";
import type { TokenProvider } from "./tokens";

export interface SourceCheckOptions {
  tokens: TokenProvider;
  graph: GraphClient;
  /** Application (client) id of the enterprise app whose assignments define scope. */
  appId: string;
  tenantId?: string;
}

function permissionAdvice(permission: string): string {
  return (
    `The app registration lacks the Microsoft Graph application permission ${permission}, or admin consent for it. ` +
    `In the Entra admin center → App registrations → your app → API permissions, add Microsoft Graph → Application permissions → ${permission}, ` +
    `then click "Grant admin consent".`
  );
}

function failed(name: string, err: unknown, permission?: string): ConnectionCheck {
  if (err instanceof GraphError) {
    const message = err.isPermissionDenied && permission ? permissionAdvice(permission) : err.message;
    return {
      name,
      ok: false,
      message,
      refused: err.status === 401 || err.status === 403,
      detail: `${err.status} ${err.code}: ${err.graphMessage} (request-id ${err.requestId ?? "none"}, client-request-id ${err.clientRequestId})`,
    };
  }
  if (err instanceof SourceAuthError)
    return {
      name,
      ok: false,
      message: err.message,
      detail: err.detail,
      refused: !["network", "throttled", "tls"].includes(err.kind),
    };
  if (err instanceof HttpError) return { name, ok: false, message: err.message, detail: err.detail };
  return { name, ok: false, message: err instanceof Error ? err.message : String(err) };
}

async function check(
  name: string,
  permission: string | undefined,
  run: () => Promise<string>,
): Promise<ConnectionCheck> {
  try {
    return { name, ok: true, message: await run() };
  } catch (err) {
    return failed(name, err, permission);
  }
}

/** Sign-in, then each Graph permission the reader needs, as one check each: what works and what to fix. */
export async function checkSource(options: SourceCheckOptions): Promise<ConnectionCheck[]> {
  const { tokens, graph } = options;
  const token = await check("Sign in to Entra ID", undefined, async () => {
    await tokens.getToken();
    return "Got an app-only access token for Microsoft Graph.";
  });
  const names = [
    "Read users (User.Read.All)",
    "Read groups (Group.Read.All)",
    "Read app assignments (Application.Read.All)",
  ];
  if (!token.ok) {
    return [
      token,
      ...names.map((name) => ({
        name,
        ok: false,
        message: "Not checked: there is no access token (see the sign-in check above).",
      })),
    ];
  }
  const [users, groups, assignments] = names as [string, string, string];
  return [
    token,
    await check(users, "User.Read.All", async () => {
      await graph.get("/users?$top=1&$select=id");
      return "Users can be read.";
    }),
    await check(groups, "Group.Read.All", async () => {
      await graph.get("/groups?$top=1&$select=id");
      return "Groups and their members can be read.";
    }),
    await check(assignments, "Application.Read.All", async () => {
      const found = await readAssignments(graph, options.appId, options.tenantId);
      const name = found.displayName ? `"${found.displayName}"` : found.servicePrincipalId;
      return `Enterprise app ${name} found: ${found.userIds.size} users and ${found.groupIds.size} groups assigned.`;
    }),
  ];
}
