import type { HttpClient } from "../http";
import { cloudEndpoints, type CloudEndpoints } from "./clouds";
import { createGraphClient, type GraphClient } from "./graph-client";
import { createTokenProvider, type TokenProvider, type TokenProviderOptions } from "./tokens";

export interface SourceConnection {
  endpoints: CloudEndpoints;
  tokens: TokenProvider;
  graph: GraphClient;
}

/** Token provider and Graph client for one tenant, wired to the cloud's endpoints. */
export function createSourceConnection(options: TokenProviderOptions & { http: HttpClient }): SourceConnection {
  const endpoints = cloudEndpoints(options.cloud);
  const tokens = createTokenProvider(options);
  return {
    endpoints,
    tokens,
    graph: createGraphClient({ graphBaseUrl: endpoints.graphBaseUrl, tokens, http: options.http }),
  };
}
