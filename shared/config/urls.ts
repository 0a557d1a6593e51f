/** URL rules shared by the profile schema (what may be stored) and the engine's HTTP client (what may be sent). */

/** Hosts for which plain http:// cannot leave this computer. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost") || host === "::1") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Why a Tenant URL cannot be stored, in words; null when it can. https:// only (http:// for this computer's own
 * loopback address, where emulators and local gateways run) and never a user name or password inside the URL:
 * those would be stored in clear and shown wherever the URL is.
 */
export function tenantUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "not a valid URL; it looks like https://my.splashtop.com/scim/v1";
  }
  if (url.username || url.password)
    return "a URL must not carry a user name or password; remove them (the SCIM token is stored as a secret instead)";
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:")
    return isLoopbackHost(url.hostname)
      ? null
      : "http:// is only allowed for this computer (localhost); use the https:// address";
  return `${url.protocol.replace(/:$/, "")}: URLs are not allowed; use an https:// address`;
}

/** The URL without any user name or password, for messages and screens. Text that is not a URL is returned as is. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (!url.username && !url.password) return raw;
    url.username = "";
    url.password = "";
    return url.toString();
  } catch {
    return raw;
  }
}
