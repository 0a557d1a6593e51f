import type { Cloud } from "../../../shared/config/profile";

export interface CloudEndpoints {
  /** Sign-in host without a trailing slash, e.g. https://login.microsoftonline.com (the tenant id is appended). */
  authorityHost: string;
  /** Graph host without /v1.0, e.g. https://graph.microsoft.com. */
  graphBaseUrl: string;
}

const NATIONAL_CLOUDS: Record<Exclude<Cloud, object>, CloudEndpoints> = {
  global: { authorityHost: "https://login.microsoftonline.com", graphBaseUrl: "https://graph.microsoft.com" },
  usgov: { authorityHost: "https://login.microsoftonline.us", graphBaseUrl: "https://graph.microsoft.us" },
  china: { authorityHost: "https://login.chinacloudapi.cn", graphBaseUrl: "https://microsoftgraph.chinacloudapi.cn" },
};

const trimSlash = (url: string) => url.replace(/\/+$/, "");

export function cloudEndpoints(cloud: Cloud): CloudEndpoints {
  if (typeof cloud === "string") return NATIONAL_CLOUDS[cloud];
  return { authorityHost: trimSlash(cloud.authorityHost), graphBaseUrl: trimSlash(cloud.graphBaseUrl) };
}
