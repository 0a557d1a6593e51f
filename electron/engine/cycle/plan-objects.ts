import type { Profile } from "../../../shared/config/profile";
import type { Rules } from "../../../shared/config/mappings";
import type { Link, ObjectType, SourceObject, TargetValues } from "../db/types";
import type { EscrowEntry, LinkIndex } from "../db";
import { escrowKey } from "../db";
import { matchingAttributes } from "../rules";
import { ScimError, type ScimClient } from "../target";
import { diffValues } from "./diff";
import { displayNameOf, evaluateObject } from "./evaluate";
import { errorFields } from "./log";
import { matchInTarget, targetValues, type MatchResult, type TargetListing } from "./match";
import type { PlannedAction, PlannedFailure, ScopeDecision } from "./types";
import { timeSlices } from "./time-slices";

/** One object's part of the plan, with what apply needs beyond the public action. */
export interface ObjectWork {
  type: ObjectType;
  sourceId: string;
  /** For logs; set for every planned object. */
  displayName?: string;
  /** null: only a link to record (matched an existing target object that already holds the right values). */
  action: PlannedAction | null;
  /** Desired values: the POST body for creates, the new export record otherwise. */
  values: TargetValues;
  /** A link to record (matched) or that replaces a stale one. */
  link?: { targetId: string; matchedBy: string };
  /** The stored link points at an object the target no longer has. */
  staleLink?: boolean;
  /** Matching attribute and value, to find a created object again after a crash or a 409. */
  match?: { path: string; value: string };
}

export interface ObjectPlanInput {
  profile: Profile;
  rules: Rules;
  scim: ScimClient;
  type: ObjectType;
  /** The objects to evaluate: every object, or an incremental cycle's changes. */
  objects: SourceObject[];
  scope: Map<string, ScopeDecision>;
  links: LinkIndex;
  exported: Map<string, TargetValues>;
  /** The target's objects (full cycles on a target that can list), else null. */
  listing: TargetListing | null;
  escrow: Map<string, EscrowEntry>;
  now: Date;
  /** Escrowed objects are retried only once their retry time has come, except on full cycles. */
  ignoreEscrow: boolean;
  /** Objects changed in Entra this cycle: an escrowed one is retried at once, the change may be the fix. */
  changed?: Set<string> | "all";
  onProgress?: (done: number, total: number) => void;
}

export interface ObjectPlan {
  works: ObjectWork[];
  failures: PlannedFailure[];
  /** Objects evaluated (planned), escrowed ones waiting for their retry excepted. */
  evaluated: number;
}

function action(
  type: ObjectType,
  object: SourceObject,
  kind: PlannedAction["action"],
  targetId: string | null,
  changes: PlannedAction["changes"],
  reason: string,
): PlannedAction {
  return {
    objectType: type,
    sourceId: object.id,
    displayName: displayNameOf(object),
    action: kind,
    targetId,
    changes,
    reason,
  };
}

const isInactive = (values: TargetValues | null | undefined) =>
  values?.active === false || String(values?.active).toLowerCase() === "false";

/** Deprovisioning of a linked object per the profile's policy: Disable, Delete, or nothing. */
function deprovision(
  input: ObjectPlanInput,
  object: SourceObject,
  scope: ScopeDecision,
  link: Link,
  current: TargetValues | null,
): ObjectWork | null {
  const { profile, type } = input;
  if (!profile.target.actions.delete) return null;
  const policy = type === "user" ? profile.deprovision.users : profile.deprovision.groups;
  const accountDisabled = scope.inScope && !scope.purged;
  const del = scope.purged ? policy !== "none" : !accountDisabled && policy === "delete";
  if (del)
    return {
      type,
      sourceId: object.id,
      action: action(type, object, "Delete", link.targetId, [], scope.reason),
      values: {},
    };
  // Groups have no disabled state in SCIM: "disable" leaves them as they are.
  if (type === "group" || (!accountDisabled && policy === "none")) return null;
  const known = current ?? input.exported.get(object.id) ?? null;
  if (isInactive(known)) return null;
  const changes = [{ attribute: "active", old: known?.active ?? true, new: false }];
  return {
    type,
    sourceId: object.id,
    action: action(type, object, "Disable", link.targetId, changes, scope.reason),
    values: { ...input.exported.get(object.id), active: false },
  };
}

function failure(
  type: ObjectType,
  object: SourceObject,
  errorCode: string,
  message: string,
  recommendation: string,
): PlannedFailure {
  return {
    objectType: type,
    sourceId: object.id,
    displayName: displayNameOf(object),
    errorCode,
    message,
    recommendation,
  };
}

/**
 * A lookup the target could not answer (outage, throttling, timeout, a refused filter) fails this object only: it is
 * escrowed and retried next cycle, like Entra. A refused token would fail every object alike, so it ends the cycle.
 */
function lookupFailure(type: ObjectType, object: SourceObject, error: unknown): PlannedFailure {
  if (!(error instanceof ScimError) || error.kind === "unauthorized" || error.kind === "forbidden") throw error;
  if (error.kind === "notFound") {
    // Not a removed object: the search itself answered 404, which the generic InvalidAnchor text would misdescribe.
    return failure(
      type,
      object,
      error.code,
      `The target answered 404 Not Found to the lookup of this ${type}.`,
      "Check the tenant URL in Connections → Target; the object is retried in a later cycle.",
    );
  }
  const fields = errorFields(error);
  return failure(
    type,
    object,
    error.code,
    fields.message ?? error.message,
    fields.recommendation ?? "The object is retried in a later cycle.",
  );
}

/** The first matching attribute with a value: how a created object is found again (after a crash, a 409 or a 404). */
function matchOf(matchPaths: string[], values: TargetValues): { match?: { path: string; value: string } } {
  const path = matchPaths.find((p) => values[p] != null && values[p] !== "");
  return path ? { match: { path, value: String(values[path]) } } : {};
}

async function planOne(
  input: ObjectPlanInput,
  object: SourceObject,
  matchPaths: string[],
): Promise<ObjectWork | PlannedFailure | null> {
  const { type, rules, listing } = input;
  const scope = input.scope.get(object.id)!;
  let link = input.links.get(object.id);
  const staleLink = !!(link && listing && !listing.byId.has(link.targetId));
  if (staleLink) link = undefined;

  if (link) {
    const resource = listing?.byId.get(link.targetId);
    const current = resource
      ? targetValues(resource, [...Object.keys(input.exported.get(object.id) ?? {}), "active"])
      : null;
    if (scope.softDeleted) return deprovision(input, object, scope, link, current);
    const evaluation = evaluateObject(rules, type, object, scope, false);
    if (!evaluation.ok) return evaluation.failure;
    const desired = evaluation.values;
    const changes = diffValues(
      desired,
      input.exported.get(object.id) ?? null,
      resource ? targetValues(resource, Object.keys(desired)) : null,
    );
    if (changes.length === 0 || !input.profile.target.actions.update) return null;
    return {
      type,
      sourceId: object.id,
      action: action(type, object, "Update", link.targetId, changes, "changed in Entra"),
      values: desired,
      ...matchOf(matchPaths, desired),
    };
  }

  if (scope.softDeleted) return null; // never create what is out of scope or disabled
  const forCreate = evaluateObject(rules, type, object, scope, true);
  if (!forCreate.ok) return forCreate.failure;
  let match: MatchResult;
  try {
    match = await matchInTarget(input.scim, listing, type, matchPaths, forCreate.values);
  } catch (error) {
    return lookupFailure(type, object, error);
  }
  const stale = staleLink ? { staleLink } : {};
  if (match.kind === "noValue") {
    return failure(
      type,
      object,
      "MandatoryFieldsMissing",
      `No value for the matching attribute (${matchPaths.join(", ")}).`,
      "Give the object a value for the matching attribute in Entra ID, or change the matching attribute in Mappings.",
    );
  }
  if (match.kind === "many") {
    return failure(
      type,
      object,
      "DuplicateTargetEntries",
      `${match.count} objects in the target have ${match.path} "${match.value}".`,
      "Remove or rename the duplicates in the target app, then run the cycle again.",
    );
  }
  if (match.kind === "one") {
    if (input.links.hasTarget(match.resource.id)) {
      return failure(
        type,
        object,
        "Conflict",
        `The target object with ${match.path} "${String(forCreate.values[match.path])}" is already linked to another Entra object.`,
        "Two Entra objects map to the same matching value: make the values unique in Entra ID.",
      );
    }
    const evaluation = evaluateObject(rules, type, object, scope, false);
    if (!evaluation.ok) return evaluation.failure;
    const changes = diffValues(evaluation.values, null, targetValues(match.resource, Object.keys(evaluation.values)));
    const linkTo = { targetId: match.resource.id, matchedBy: match.path };
    const update = changes.length > 0 && input.profile.target.actions.update;
    return {
      type,
      sourceId: object.id,
      action: update ? action(type, object, "Update", match.resource.id, changes, `matched by ${match.path}`) : null,
      values: evaluation.values,
      link: linkTo,
      ...stale,
    };
  }
  if (!input.profile.target.actions.create) return null;
  const changes = Object.entries(forCreate.values)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([attribute, v]) => ({ attribute, old: null, new: v }));
  return {
    type,
    sourceId: object.id,
    action: action(
      type,
      object,
      "Create",
      null,
      changes,
      staleLink ? "no longer in the target (InvalidAnchor)" : scope.reason,
    ),
    values: forCreate.values,
    ...matchOf(matchPaths, forCreate.values),
    ...stale,
  };
}

/** Plans creates, updates, disables and deletes of one object type; lookups run concurrently. */
export async function planObjects(input: ObjectPlanInput): Promise<ObjectPlan> {
  const matchPaths = matchingAttributes(input.type === "user" ? input.rules.users : input.rules.groups).map(
    (m) => m.target,
  );
  const objects = input.objects.filter((o) => {
    const escrowed = input.escrow.get(escrowKey(input.type, o.id));
    if (input.ignoreEscrow || !escrowed || Date.parse(escrowed.retryAfter) <= input.now.getTime()) return true;
    return input.changed === "all" || input.changed?.has(o.id) === true;
  });
  const results: (ObjectWork | PlannedFailure | null)[] = [];
  let next = 0;
  let done = 0;
  let failed: { error: unknown } | undefined;
  const slices = timeSlices();
  // `concurrency` workers take the objects in order: no promise per waiting object (100,000 in a large first cycle).
  const worker = async () => {
    while (next < objects.length && !failed) {
      const i = next++;
      const o = objects[i]!;
      try {
        const r = await planOne(input, o, matchPaths);
        results[i] = r && !("errorCode" in r) ? { ...r, displayName: displayNameOf(o) } : r;
      } catch (error) {
        failed ??= { error }; // the cycle ends: lookups not started yet are not sent
        return;
      }
      input.onProgress?.(++done, objects.length);
      // Matching against a listing never waits for I/O.
      await slices.pause();
    }
  };
  // Only once the lookups in flight are answered: the cycle must not close with requests still out.
  await Promise.all(Array.from({ length: Math.min(input.profile.target.concurrency, objects.length) }, worker));
  if (failed) throw failed.error;
  const plan: ObjectPlan = { works: [], failures: [], evaluated: objects.length };
  for (const r of results) {
    if (!r) continue;
    if ("errorCode" in r) plan.failures.push(r);
    else plan.works.push(r);
  }
  return plan;
}
