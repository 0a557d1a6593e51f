import { describe, expect, it } from "vitest";
import { CloudSchema } from "../../shared/config/profile";

describe("custom cloud URLs", () => {
  it("reports an empty or unparsable URL as a problem instead of throwing, and still refuses credentials", () => {
    const parsed = CloudSchema.safeParse({ authorityHost: "", graphBaseUrl: "https://admin:pw@graph.example.net" });
    expect(parsed.success).toBe(false);
    const messages = parsed.error!.issues.map((issue) => issue.message);
    expect(messages).toContain("a URL must not carry a user name or password; remove them");
    expect(messages.some((m) => /url/i.test(m) && !/user name/.test(m))).toBe(true);
  });
});
