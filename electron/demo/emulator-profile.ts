import type { ProfileInput } from "../../shared/config/profile";
import { DEFAULT_CLIENT_ID } from "../emulators/graph";

export interface EmulatorEndpoints {
  graph: { tenantId: string; appId: string; authorityHost: string; graphBaseUrl: string };
  scimUrl: string;
  /** The Graph emulator's certificate as a PEM file: emulators are reached like a tenant behind a private CA. */
  caFile: string;
}

/** A Splashtop profile pointing at the local emulators: the demo's, and the starting point of tests and benchmarks. */
export function emulatorProfile(
  name: string,
  ssoMethodName: string,
  { graph, scimUrl, caFile }: EmulatorEndpoints,
): ProfileInput {
  return {
    name,
    source: {
      tenantId: graph.tenantId,
      clientId: DEFAULT_CLIENT_ID,
      appId: graph.appId,
      scope: "assigned",
      cloud: { authorityHost: graph.authorityHost, graphBaseUrl: graph.graphBaseUrl },
      caFile,
    },
    target: { preset: "splashtop", tenantUrl: scimUrl, ssoMethodName },
  };
}
