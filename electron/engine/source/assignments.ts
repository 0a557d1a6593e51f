import { SourceConfigError } from "./errors";
import type { GraphClient, GraphPage } from "./graph-client";

export interface Assignments {
  /** Object id of the enterprise app (service principal) in this tenant. */
  servicePrincipalId: string;
  displayName?: string;
  /** Users assigned directly. */
  userIds: Set<string>;
  /** Groups assigned; Entra counts only their direct members. */
  groupIds: Set<string>;
  /** Display names of the assigned users and groups, as the assignments carry them. */
  names: Map<string, string>;
}

interface AppRoleAssignment {
  principalId: string;
  principalType: string;
  principalDisplayName?: string | null;
}

/** OData string literal: single quotes doubled. */
const odataString = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** Users and groups assigned to the enterprise app with this application (client) id. */
export async function readAssignments(client: GraphClient, appId: string, tenantId?: string): Promise<Assignments> {
  const filter = encodeURIComponent(`appId eq ${odataString(appId)}`);
  const found = await client.get<GraphPage<{ id: string; displayName?: string }>>(
    `/servicePrincipals?$filter=${filter}&$select=id,appId,displayName`,
  );
  const sp = found.value?.[0];
  if (!sp) {
    throw new SourceConfigError(
      "appNotFound",
      `No enterprise application with appId ${appId} was found in ${tenantId ? `tenant ${tenantId}` : "the tenant"}. ` +
        "Check the App (client) ID of the enterprise app in Connections → Source.",
    );
  }
  const userIds = new Set<string>();
  const groupIds = new Set<string>();
  const names = new Map<string, string>();
  for await (const page of client.pages<AppRoleAssignment>(`/servicePrincipals/${sp.id}/appRoleAssignedTo?$top=999`)) {
    for (const a of page) {
      if (a.principalType === "User") userIds.add(a.principalId);
      else if (a.principalType === "Group") groupIds.add(a.principalId);
      if (a.principalDisplayName) names.set(a.principalId, a.principalDisplayName);
    }
  }
  return { servicePrincipalId: sp.id, displayName: sp.displayName, userIds, groupIds, names };
}
