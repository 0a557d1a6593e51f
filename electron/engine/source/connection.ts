import type { HttpClient } from "../http";
import { cloudEndpoints, type CloudEndpoints } from "./clouds";
import { createGraphClient, type GraphClient } from "./graph-client";
import { createTokenProvider, sharedTokenProvider, type TokenProvider, type TokenProviderOptions } from "./tokens";

export interface SourceConnection {
  endpoints: CloudEndpoints;
  tokens: TokenProvider;
  graph: GraphClient;
}

/**
 * Token provider and Graph client for one tenant, wired to the cloud's endpoints. `shareToken`: the token provider kept
 * for these settings (cycles), not a new one that signs in again (connection checks).
 */
export function createSourceConnection(
  options: TokenProviderOptions & { http: HttpClient; shareToken?: boolean },
): SourceConnection {
  const endpoints = cloudEndpoints(options.cloud);
  const tokens = options.shareToken ? sharedTokenProvider(options) : createTokenProvider(options);
  return {
    endpoints,
    tokens,
    graph: createGraphClient({ graphBaseUrl: endpoints.graphBaseUrl, tokens, http: options.http }),
  };
}
