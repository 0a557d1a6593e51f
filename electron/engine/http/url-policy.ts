import { isLoopbackHost } from "../../../shared/config/urls";
import { HttpError, insecureUrlError } from "./errors";

export { isLoopbackHost };

/** Parses the URL and refuses anything but https://, or http:// to loopback when allowed. */
export function checkUrl(raw: string, allowInsecureLoopback: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HttpError({
      kind: "insecureUrl",
      message: `"${raw}" is not a valid URL. Check it in Settings.`,
      detail: "URL parse failed",
    });
  }
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:" && allowInsecureLoopback && isLoopbackHost(url.hostname)) return url;
  throw insecureUrlError(url);
}
