// The configuration screens' questions about the profile being edited (or the stored one): scope previews, one
// expression on one user, directory pickers, attribute lists and connection tests with a secret not yet stored.
import type { Database } from "better-sqlite3";
import type { Rules } from "../../../shared/config/mappings";
import type { Profile, SecretName } from "../../../shared/config/profile";
import type { ConnectionCheck } from "../../../shared/ipc/model";
import type { DraftProblem, DraftProfile, ExpressionEvaluation } from "../../../shared/ipc/draft-model";
import type { DraftQueries } from "../../app/engine-port";
import { decideScope } from "../cycle/scope";
import { entraView } from "../cycle/source-view";
import { lineColumn, walk } from "../rules/expression/ast";
import { evaluateAst, isKnownSourceAttribute, parseExpression, sourceAttributes, validateExpression } from "../rules";
import type { SecretStore } from "../secrets/secret-store";
import { checkSource, getUser, readAssignments, searchUsers, type GraphClient } from "../source";
import type { SourceObject } from "../db/types";
import { openSource, openTarget, type SourceClients, type TargetClients } from "./clients";
import {
  connectionKey,
  createDirectoryReads,
  createTtlCache,
  describeGroups,
  groupMembersToPick,
  listSourceAttributes,
  listTargetAttributes,
  previewSelect,
} from "./directory";
import { checkDraft, draftProfileOrThrow } from "./draft";
import { EngineError } from "./errors";
import { expressionFunctions } from "./expression-functions";
import { rulesView } from "./rules-view";
import { runRulesTest, userNotFound, type RulesTestReport } from "./rules-test";
import { liveUserScope } from "../cycle/user-scope";

export interface DraftQueryDeps {
  db: Database;
  dataDir: string;
  secrets: SecretStore;
  /** The stored profile in use; throws the engine's "not configured" error when there is none. */
  requireProfile(): Profile;
}

const USERS_FOUND = 25;
/** How long the user an expression is tried on is reused, as read from Graph. */
const EVALUATION_CACHE_MS = 30_000;

/** A secret store that answers the secrets given for one test first; nothing is ever written through it. */
function withOneTimeSecrets(secrets: SecretStore, given: Partial<Record<SecretName, string>>): SecretStore {
  const readOnly = () => Promise.reject(new Error("a connection test never changes the stored secrets"));
  return {
    get: async (profile, name) => given[name] ?? (await secrets.get(profile, name)),
    has: async (profile, name) => given[name] !== undefined || (await secrets.has(profile, name)),
    set: readOnly,
    delete: readOnly,
  };
}

const toError = (
  code: string,
  message: string,
  position: number | undefined,
  text: string,
  expected: string | null = null,
): ExpressionEvaluation => {
  const at = position === undefined ? null : lineColumn(text, position);
  return {
    status: "error",
    code,
    message,
    offset: position ?? null,
    line: at?.line ?? null,
    column: at?.column ?? null,
    expected,
  };
};

export function createDraftQueries(deps: DraftQueryDeps): DraftQueries & {
  testRules(user: string, draft?: DraftProfile): Promise<RulesTestReport>;
} {
  const directory = createDirectoryReads();

  /** The draft as a profile for queries that only need its connection settings, else the stored profile. */
  const profileOf = (draft: DraftProfile | undefined): Profile =>
    draft ? draftProfileOrThrow(draft) : deps.requireProfile();

  async function withSource<T>(
    profile: Profile,
    work: (source: SourceClients) => Promise<T>,
    secrets = deps.secrets,
  ): Promise<T> {
    const source = await openSource(profile, secrets, deps.dataDir);
    try {
      return await work(source);
    } finally {
      await source.http.close();
    }
  }

  async function withTarget<T>(
    profile: Profile,
    work: (target: TargetClients) => Promise<T>,
    secrets = deps.secrets,
  ): Promise<T> {
    const target = await openTarget(profile, secrets, deps.dataDir);
    try {
      return await work(target);
    } finally {
      await target.http.close();
    }
  }

  /** The draft checked (schema and rules), or the stored profile with its rules. */
  function evaluated(
    draft: DraftProfile | undefined,
  ): { ok: true; profile: Profile; rules: Rules; problems: DraftProblem[] } | { ok: false; problems: DraftProblem[] } {
    if (draft) return checkDraft(draft);
    const profile = deps.requireProfile();
    return { ok: true, profile, rules: rulesView(profile).rules, problems: [] };
  }

  /**
   * The user an expression is tried on, and whether the engine's scope decision makes it soft-deleted, cached briefly:
   * the editor asks again on every pause in typing, and those asks then cost no Graph request.
   */
  const users = createTtlCache<SourceObject | null>(EVALUATION_CACHE_MS);
  const softDeletes = createTtlCache<boolean>(EVALUATION_CACHE_MS);

  /** Evaluates one expression for one user; IsSoftDeleted comes from the engine's scope decision when referenced. */
  async function evaluateFor(
    profile: Profile,
    rules: Rules,
    expression: string,
    userId: string,
  ): Promise<ExpressionEvaluation> {
    const parsed = parseExpression(expression);
    if (!parsed.ok) {
      const e = parsed.error;
      return toError("parse", e.message, e.position, expression, e.expected);
    }
    const problem = validateExpression(expression, {
      isKnownAttribute: (name) => isKnownSourceAttribute("users", name),
      attributeNames: sourceAttributes("users").map((a) => a.name),
    })[0];
    if (problem) return toError(problem.code, problem.message, problem.position, expression);
    const withGraph = <T>(work: (graph: GraphClient) => Promise<T>) =>
      withSource(profile, (source) => work(source.graph));
    // Every known attribute plus what this expression and the rules reference: the next keystroke needs no new read.
    const withExpression: Rules = {
      ...rules,
      users: {
        ...rules.users,
        mappings: [...rules.users.mappings, { type: "Expression", expression, target: "_", apply: "Always" }],
      },
    };
    const select = previewSelect(withExpression).users;
    const connection = connectionKey(profile);
    const user = await users.get(JSON.stringify([connection, userId.toLowerCase(), select]), () =>
      withGraph(async (graph) => {
        const raw = await getUser(graph, userId, select);
        return raw ? { type: "user" as const, id: String(raw.id), attributes: raw, removed: null } : null;
      }),
    );
    if (!user) throw userNotFound(userId, profile);
    let usesSoftDeleted = false;
    walk(parsed.ast, (node) => {
      if (node.type === "Attribute" && node.name.toLowerCase() === "issoftdeleted") usesSoftDeleted = true;
    });
    const { scope, includeNestedGroups, appId } = profile.source;
    const softDeleted = usesSoftDeleted
      ? await softDeletes.get(
          JSON.stringify([connection, user.id, scope, includeNestedGroups, appId, rules.users.scopingFilters]),
          () => withGraph(async (graph) => (await liveUserScope(graph, profile, rules, user)).decision.softDeleted),
        )
      : false;
    const result = evaluateAst(parsed.ast, entraView(user, softDeleted));
    if (!result.ok) return toError(result.error.code, result.error.message, result.error.position, expression);
    return {
      status: "value",
      value: (result.value ?? null) as Extract<ExpressionEvaluation, { status: "value" }>["value"],
      redacted: result.redacted,
      ignoreFlow: result.ignoreFlow,
    };
  }

  return {
    async testRules(user, draft) {
      const checked = evaluated(draft);
      if (!checked.ok) {
        throw new EngineError(
          "config",
          `The draft profile is not valid: ${checked.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`,
          JSON.stringify(checked.problems),
        );
      }
      const { profile, rules, problems } = checked;
      return withSource(profile, (source) =>
        runRulesTest(source.graph, profile, rules, user, { db: deps.db, problems }),
      );
    },

    async previewScope(draft, sample) {
      const checked = checkDraft(draft);
      // Broken mappings do not change who is in scope; broken filters or scope settings do.
      if (!checked.ok || checked.problems.some((p) => p.severity === "error" && p.path.includes("scopingFilters")))
        return { status: "invalid", problems: checked.problems };
      const { profile, rules, problems } = checked;
      const read = await directory.read(profile, rules, (work) => withSource(profile, (source) => work(source.graph)));
      const decided = decideScope(profile, rules, read);
      let inScope = 0;
      let disabled = 0;
      let total = 0;
      const members = [];
      for (const user of read.users.values()) {
        if (user.removed) continue;
        total++;
        const d = decided.users.get(user.id)!;
        if (!d.inScope) continue;
        if (d.softDeleted) disabled++;
        else {
          inScope++;
          members.push(user);
        }
      }
      const text = (v: unknown) => (typeof v === "string" ? v : null);
      const sampled = members
        .map((u) => ({
          id: u.id,
          userPrincipalName: text(u.attributes.userPrincipalName),
          displayName: text(u.attributes.displayName),
        }))
        .sort((a, b) => (a.displayName ?? "").localeCompare(b.displayName ?? "", "en", { sensitivity: "base" }))
        .slice(0, sample);
      const groups = [...decided.groups.values()].filter((d) => d.inScope).length;
      return { status: "ok", inScope, total, disabled, groups, sample: sampled, problems, readAt: read.readAt };
    },

    async assignments(draft) {
      const profile = profileOf(draft);
      const found = await withSource(profile, (source) =>
        readAssignments(source.graph, profile.source.appId, profile.source.tenantId),
      );
      const principal = (id: string) => ({ id, displayName: found.names.get(id) ?? null });
      const byName = (a: { displayName: string | null }, b: { displayName: string | null }) =>
        (a.displayName ?? "").localeCompare(b.displayName ?? "", "en", { sensitivity: "base" });
      return {
        app: { servicePrincipalId: found.servicePrincipalId, displayName: found.displayName ?? null },
        users: [...found.userIds].map(principal).sort(byName),
        groups: [...found.groupIds].map(principal).sort(byName),
      };
    },

    async evaluateExpression({ expression, userId, draft }) {
      const checked = evaluated(draft);
      if (!checked.ok) return { status: "invalid", problems: checked.problems };
      const { profile, rules } = checked;
      return evaluateFor(profile, rules, expression, userId);
    },

    expressionFunctions,

    async searchGroups({ query, cursor, draft }) {
      const profile = profileOf(draft);
      return withSource(profile, (source) => directory.searchGroups(source.graph, profile, query, cursor));
    },

    async pickedGroups(refs, draft) {
      return withSource(profileOf(draft), (source) => describeGroups(source.graph, refs));
    },

    async searchUsers(query, draft) {
      return withSource(profileOf(draft), (source) => searchUsers(source.graph, query, USERS_FOUND));
    },

    async groupMembers(group) {
      return withSource(profileOf(undefined), (source) => groupMembersToPick(source.graph, group));
    },

    async sourceAttributes(draft) {
      return withSource(profileOf(draft), (source) => listSourceAttributes(source.graph));
    },

    async targetAttributes(draft) {
      const profile = profileOf(draft);
      if (profile.target.preset === "splashtop") return listTargetAttributes("splashtop", () => never());
      return withTarget(profile, (target) => listTargetAttributes(profile.target.preset, async () => target.scim));
    },

    async testDraftConnection({ draft, side, clientSecret, scimToken }) {
      const checked = checkDraft(draft);
      const schemaProblems = checked.ok ? [] : checked.problems;
      if (schemaProblems.length > 0) {
        return schemaProblems.map((p) => ({ name: `Setting ${p.path}`, ok: false, message: p.message }));
      }
      const profile = (checked as { profile: Profile }).profile;
      const secrets = withOneTimeSecrets(deps.secrets, {
        ...(clientSecret === undefined ? {} : { "client-secret": clientSecret }),
        ...(scimToken === undefined ? {} : { "scim-token": scimToken }),
      });
      const checks: ConnectionCheck[] = [];
      const opened = async <T>(name: string, run: () => Promise<T[]>): Promise<T[] | ConnectionCheck[]> => {
        try {
          return await run();
        } catch (error) {
          if (!(error instanceof EngineError)) throw error;
          return [{ name, ok: false, message: error.message }];
        }
      };
      if (side !== "target") {
        checks.push(
          ...((await opened("Sign in to Entra ID", () =>
            withSource(
              profile,
              (source) =>
                checkSource({
                  tokens: source.tokens,
                  graph: source.graph,
                  appId: profile.source.appId,
                  tenantId: profile.source.tenantId,
                }),
              secrets,
            ),
          )) as ConnectionCheck[]),
        );
      }
      if (side !== "source") {
        checks.push(
          ...((await opened("Authenticate to the target", () =>
            withTarget(profile, (target) => target.scim.testConnection(), secrets),
          )) as ConnectionCheck[]),
        );
      }
      return checks;
    },
  };
}

const never = (): Promise<never> => Promise.reject(new Error("the preset's attributes need no connection"));
