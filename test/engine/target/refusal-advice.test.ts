/** Advice for a target's 4xx refusal comes from what the server said, not from what the engine was doing. */
import { describe, expect, it } from "vitest";
import { fromResponse, memberLimit, type ErrorContext } from "../../../electron/engine/target/errors";

const refusal = (detail: string, scimType?: string, status = 400) =>
  ({
    status,
    headers: {},
    clientRequestId: "req-1",
    body: {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: String(status),
      detail,
      ...(scimType ? { scimType } : {}),
    },
  }) as const;

const groupUpdate: ErrorContext = { preset: "generic", type: "Groups", action: "update", id: "g1", dialect: "entra" };
const userUpdate: ErrorContext = { ...groupUpdate, type: "Users" };
const userCreate: ErrorContext = { preset: "generic", type: "Users", action: "create" };

describe("refusal advice", () => {
  it("a member limit names the limit and sends the admin to Entra, with no request-style hint", () => {
    const err = fromResponse(
      refusal("Groups cannot contain more than 1000 direct members", "invalidValue"),
      groupUpdate,
    );
    expect(err).toMatchObject({ kind: "invalid", code: "GroupMemberLimit", status: 400, lasting: true });
    expect(err.message).toBe(
      'The SCIM app rejected the request to update a group (400 invalidValue). It said: "Groups cannot contain more than 1000 direct members".',
    );
    expect(err.recommendation).toBe(
      "The target allows at most 1000 members per group: split the group in Entra or narrow the scope.",
    );
    expect(err.recommendation).not.toMatch(/request style/);
  });

  it("reads the limit from the usual wordings, and states a limit without a number when there is none", () => {
    expect(memberLimit("Group exceeds the maximum of 5,000 members")).toEqual({ limit: 5000 });
    expect(memberLimit("A group may have at most 250 members")).toEqual({ limit: 250 });
    expect(memberLimit("Member limit reached")).toEqual({});
    expect(memberLimit("userName must be unique")).toBeUndefined();
    const err = fromResponse(refusal("Too many members in this group"), groupUpdate);
    expect(err.recommendation).toMatch(/^The target allows only a limited number of members per group: split/);
  });

  it("suggests the RFC 7644 request style only for refusals of request syntax", () => {
    const casing = fromResponse(
      refusal(
        'Operation 1: op "Replace" must be lowercase ("add", "remove" or "replace") in RFC 7644 mode',
        "invalidSyntax",
      ),
      userUpdate,
    );
    expect(casing.recommendation).toMatch(/set the request style to RFC 7644/);
    const boolean = fromResponse(
      refusal('Attribute "active" expected boolean, got "False"', "invalidValue"),
      userUpdate,
    );
    expect(boolean.recommendation).toMatch(/set the request style to RFC 7644/);
    const path = fromResponse(refusal("Unsupported User PATCH path", "invalidPath"), userUpdate);
    expect(path.recommendation).toMatch(/^The app does not know an attribute .* set the request style to RFC 7644/);
    // Already in the RFC 7644 style: nothing to switch to.
    const strict = fromResponse(refusal("Unsupported User PATCH path", "invalidPath"), {
      ...userUpdate,
      dialect: "rfc7644",
    });
    expect(strict.recommendation).not.toMatch(/request style/);
    for (const [detail, scimType] of [
      ["userName is required", "invalidValue"],
      ["SCIM Group displayName already exists", "uniqueness"],
      ["displayName is required and cannot be removed", "mutability"],
    ] as const)
      expect(fromResponse(refusal(detail, scimType), userUpdate).recommendation).not.toMatch(/request style/);
  });

  it("turns Better Auth's other refusals into the fix the admin can make", () => {
    const email = fromResponse(
      refusal("[body.emails] emails must contain an email when userName is not an email address", "invalidValue"),
      userCreate,
    );
    expect(email.recommendation).toMatch(/needs an email address: map emails\[type eq "work"\]\.value/);
    const schema = fromResponse(
      refusal(
        "[body.schemas] Unsupported SCIM User schema urn:ietf:params:scim:schemas:extension:Splashtop:2.0:User",
        "invalidValue",
      ),
      userCreate,
    );
    expect(schema.recommendation).toMatch(/does not support an extension schema/);
    const nulls = fromResponse(
      refusal("[body.title] Invalid input: expected string, received null", "invalidValue"),
      userCreate,
    );
    expect(nulls.recommendation).toMatch(/refuses empty \(null\) values/);
    for (const e of [email, schema, nulls]) expect(e.lasting).toBe(true);
  });

  it("a 400 with nothing to go on is not called lasting and keeps the generic advice", () => {
    const err = fromResponse({ status: 400, headers: {}, clientRequestId: "req-1", body: "Bad Request" }, userUpdate);
    expect(err).toMatchObject({ code: "BadRequest", lasting: false });
    expect(err.recommendation).toMatch(/retried in a later cycle/);
  });
});
