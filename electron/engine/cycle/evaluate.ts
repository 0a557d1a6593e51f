import type { Rules } from "../../../shared/config/mappings";
import type { ObjectType, SourceObject, TargetValues } from "../db/types";
import { evaluateMappings } from "../rules";
import { entraView } from "./source-view";
import type { PlannedFailure, ScopeDecision } from "./types";

export type Evaluation = { ok: true; values: TargetValues } | { ok: false; failure: PlannedFailure };

/** Memberships are diffed and sent on their own (batched PATCHes), never as an attribute value. */
const isMembersPath = (path: string) => path.toLowerCase() === "members";

export function displayNameOf(object: SourceObject): string {
  const a = object.attributes;
  return String(a.displayName ?? a.userPrincipalName ?? object.id);
}

/** Target values for one object; OnCreate mappings and defaults only when it is about to be created. */
export function evaluateObject(
  rules: Rules,
  type: ObjectType,
  object: SourceObject,
  scope: ScopeDecision,
  isCreate: boolean,
  now?: () => Date,
): Evaluation {
  const objectRules = type === "user" ? rules.users : rules.groups;
  const result = evaluateMappings(objectRules, entraView(object, scope.softDeleted), { isCreate, context: { now } });
  if (result.errors.length > 0) {
    const first = result.errors[0]!;
    return {
      ok: false,
      failure: {
        objectType: type,
        sourceId: object.id,
        displayName: displayNameOf(object),
        errorCode: "MappingError",
        message: result.errors.map((e) => `${e.target}: ${e.message}`).join("; "),
        recommendation: `Fix the mapping to ${first.target} in Mappings, or the source value in Entra ID.`,
      },
    };
  }
  // A mapping that gives nothing is null: never sent on create, a cleared attribute on update.
  const values: TargetValues = {};
  for (const path of result.nulls) if (!isMembersPath(path)) values[path] = null;
  for (const [path, value] of Object.entries(result.values)) if (!isMembersPath(path)) values[path] = value;
  return { ok: true, values };
}
