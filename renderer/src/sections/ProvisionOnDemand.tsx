import { useEffect, useId, useState } from "react";
import type { DirectoryUser, GroupSearch } from "../../../shared/ipc/draft-model";
import {
  GROUP_ON_DEMAND_MEMBERS,
  type GroupMembers,
  type ProvisionGroupResultView,
  type ProvisionMember,
  type ProvisionOneResultView,
  type ProvisionStep,
} from "../../../shared/ipc/provision-model";
import type { AppError } from "../../../shared/ipc/result";
import { ErrorNotice } from "../components/ErrorNotice";
import { Card, Empty, Pill, SectionHeader } from "../components/ui";
import { plural } from "../format";
import { useApp } from "../store";
import { statusTone } from "./LogEntryDetail";

const invoke = () => useApp.getState().api!;

type Kind = "user" | "group";
type Found = { query: string; users: DirectoryUser[]; groups: GroupSearch["groups"]; error: AppError | null };

/** Users (name or UPN) or groups (name) starting with the query, asked once typing pauses. */
function useDirectorySearch(kind: Kind, query: string) {
  const [found, setFound] = useState<(Found & { kind: Kind }) | null>(null);
  useEffect(() => {
    const q = query.trim();
    if (!q) return;
    const timer = setTimeout(() => {
      const answer = (result: Found) => setFound({ ...result, kind });
      if (kind === "user")
        void invoke()
          .invoke("directory.searchUsers", { query: q })
          .then((r) => answer({ query, users: r.ok ? r.value : [], groups: [], error: r.ok ? null : r.error }));
      else
        void invoke()
          .invoke("directory.searchGroups", { query: q })
          .then((r) => answer({ query, users: [], groups: r.ok ? r.value.groups : [], error: r.ok ? null : r.error }));
    }, 250);
    return () => clearTimeout(timer);
  }, [kind, query]);
  return found?.query === query && found.kind === kind ? found : null;
}

const OUTCOME: Record<string, string> = { pass: "Passed", fail: "Did not pass", info: "Note" };

/** Entra's steps for one object, in words: the outcome, what happened, the scope rules, the requests sent. */
function Steps({ steps, testId = "provision-step" }: { steps: ProvisionStep[]; testId?: string }) {
  return (
    <ol className="steps provision-steps">
      {steps.map((step) => (
        <li key={step.name} data-testid={testId} data-status={step.status}>
          <Pill tone={statusTone(step.status)}>{step.status}</Pill> <strong>{step.name}</strong>
          <span className="step-detail">{step.detail}</span>
          {step.rules && step.rules.length > 0 && (
            <ul className="value-list">
              {step.rules.map((rule, index) => (
                <li key={index}>
                  <span className="muted">{OUTCOME[rule.outcome] ?? rule.outcome}:</span> {rule.message}
                </li>
              ))}
            </ul>
          )}
          {step.requestIds && step.requestIds.length > 0 && (
            <details>
              <summary>{plural(step.requestIds.length, "request")} sent</summary>
              <ul className="value-list">
                {step.requestIds.map((id) => (
                  <li key={id}>
                    <code>{id}</code>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}

const MEMBERSHIP: Record<ProvisionMember["membership"], { label: string; tone: Parameters<typeof Pill>[0]["tone"] }> = {
  added: { label: "Added to the group", tone: "ok" },
  already: { label: "Already in the group", tone: "ok" },
  notAdded: { label: "Not added", tone: "neutral" },
  failed: { label: "Refused", tone: "bad" },
};

function UserResult({ result }: { result: ProvisionOneResultView }) {
  return (
    <>
      <Steps steps={result.steps} />
      {result.groups.length > 0 && (
        <>
          <h3>Target groups</h3>
          <ul className="value-list" data-testid="provision-groups">
            {result.groups.map((group) => (
              <li key={group.sourceId}>
                {group.displayName} <Pill tone={statusTone(group.status)}>{group.status}</Pill>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function GroupResult({ result }: { result: ProvisionGroupResultView }) {
  return (
    <>
      <Steps steps={result.steps} />
      {result.choice && result.steps.at(-1)?.name === "Perform action" && (
        <p className="provision-choice" data-testid="provision-choice">
          {result.choice.reason}
        </p>
      )}
      {result.members.length > 0 && (
        <>
          <h3>Members provisioned with the group</h3>
          <ul className="provision-members" data-testid="provision-members">
            {result.members.map((member) => (
              <li key={member.sourceId} data-testid="provision-member" data-membership={member.membership}>
                <h4>
                  {member.displayName}{" "}
                  {member.userPrincipalName && <span className="muted">{member.userPrincipalName}</span>}{" "}
                  <Pill tone={MEMBERSHIP[member.membership].tone}>{MEMBERSHIP[member.membership].label}</Pill>
                </h4>
                <p className="step-detail">{member.membershipDetail}</p>
                <Steps steps={member.steps} testId="provision-member-step" />
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

type Group = GroupSearch["groups"][number];

/** The group's user members to pick from: none picked means Entra's choice of the first 5 (shown after the run). */
function MemberPicker({ group, picked, onChange }: { group: Group; picked: string[]; onChange(ids: string[]): void }) {
  const [members, setMembers] = useState<{ for: string; data: GroupMembers | null; error: AppError | null } | null>(
    null,
  );
  useEffect(() => {
    void invoke()
      .invoke("provision.groupMembers", { group: group.id })
      .then((r) => setMembers({ for: group.id, data: r.ok ? r.value : null, error: r.ok ? null : r.error }));
  }, [group.id]);
  const current = members?.for === group.id ? members : null;
  if (!current) return <p role="status">Reading the members…</p>;
  if (current.error) return <ErrorNotice error={current.error} title="The group's members could not be read" />;
  const data = current.data!;
  const full = picked.length >= GROUP_ON_DEMAND_MEMBERS;
  return (
    <fieldset className="field-group" data-testid="provision-member-picker">
      <legend>Members to provision with it (at most {GROUP_ON_DEMAND_MEMBERS}, as in Entra ID)</legend>
      <p className="muted">
        {plural(data.userMembers, "user member")}
        {data.otherMembers > 0 &&
          `, and ${plural(data.otherMembers, "nested group or other object", "nested groups or other objects")} that are not provisioned on demand`}
        . Pick none to take the first {GROUP_ON_DEMAND_MEMBERS} by name, those the target group does not hold yet first.
        {data.userMembers > data.members.length && ` The first ${data.members.length} by name are listed.`}
      </p>
      <ul className="member-picks">
        {data.members.map((m) => {
          const checked = picked.includes(m.id);
          return (
            <li key={m.id}>
              <label>
                <input
                  type="checkbox"
                  checked={checked}
                  disabled={!checked && full}
                  onChange={() => onChange(checked ? picked.filter((id) => id !== m.id) : [...picked, m.id])}
                  data-testid="provision-member-pick"
                />
                <span>
                  {m.displayName ?? m.id}
                  {m.userPrincipalName && <span className="muted member-upn">{m.userPrincipalName}</span>}
                </span>
              </label>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}

type Run =
  | { kind: "user"; name: string; pending: boolean; result: ProvisionOneResultView | null; error: AppError | null }
  | { kind: "group"; name: string; pending: boolean; result: ProvisionGroupResultView | null; error: AppError | null };

/** Provision on demand: a user, or a group with up to 5 of its members, through Entra's steps, now. */
export function ProvisionOnDemand() {
  const [kind, setKind] = useState<Kind>("user");
  const [query, setQuery] = useState("");
  const [run, setRun] = useState<Run | null>(null);
  const [group, setGroup] = useState<{ group: Group; picked: string[] } | null>(null);
  const found = useDirectorySearch(kind, query);
  const listId = useId();
  const pending = run?.pending ?? false;

  const provisionUser = async (user: DirectoryUser) => {
    const name = user.displayName ?? user.userPrincipalName ?? user.id;
    setRun({ kind: "user", name, pending: true, result: null, error: null });
    const r = await invoke().invoke("provision.one", { user: user.id });
    setRun({ kind: "user", name, pending: false, result: r.ok ? r.value : null, error: r.ok ? null : r.error });
  };
  const provisionGroup = async ({ group, picked }: { group: Group; picked: string[] }) => {
    const name = group.displayName ?? group.id;
    setRun({ kind: "group", name, pending: true, result: null, error: null });
    const r = await invoke().invoke("provision.group", {
      group: group.id,
      ...(picked.length ? { members: picked } : {}),
    });
    setRun({ kind: "group", name, pending: false, result: r.ok ? r.value : null, error: r.ok ? null : r.error });
  };

  return (
    <>
      <SectionHeader
        title="Provision on demand"
        description="Provision one user, or a group with up to 5 of its members, now, without waiting for the next cycle, and see each step as Entra ID shows it."
      />
      <Card title={kind === "user" ? "Find a user" : "Find a group"} className="spaced">
        <fieldset className="radio-row provision-kind" data-testid="provision-kind">
          <legend className="sr-only">What to provision</legend>
          {(["user", "group"] as const).map((value) => (
            <label key={value} className="radio-card">
              <input
                type="radio"
                name="provision-kind"
                value={value}
                checked={kind === value}
                onChange={() => setKind(value)}
                data-testid={`provision-kind-${value}`}
              />
              <span>
                <strong>{value === "user" ? "A user" : "A group"}</strong>
                <span className="muted">
                  {value === "user"
                    ? " and the provisioned groups it belongs to"
                    : ` and up to ${GROUP_ON_DEMAND_MEMBERS} of its members`}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
        <div className="toolbar" role="search">
          <label>
            {kind === "user" ? "Name or UPN" : "Group name"}
            <input
              type="search"
              value={query}
              aria-controls={listId}
              onChange={(event) => setQuery(event.target.value)}
              data-testid="provision-search"
            />
          </label>
        </div>
        {found?.error && <ErrorNotice error={found.error} title="The directory could not be searched" />}
        <ul id={listId} className="user-results" aria-label={kind === "user" ? "Users found" : "Groups found"}>
          {found?.users.map((user) => (
            <li key={user.id}>
              <span>
                <strong>{user.displayName ?? user.id}</strong>{" "}
                <span className="muted">{user.userPrincipalName ?? user.id}</span>
              </span>
              <button
                type="button"
                disabled={pending}
                onClick={() => void provisionUser(user)}
                data-testid="provision-user"
                aria-label={`Provision ${user.displayName ?? user.userPrincipalName ?? user.id}`}
              >
                Provision
              </button>
            </li>
          ))}
          {found?.groups.map((group) => (
            <li key={group.id}>
              <span>
                <strong>{group.displayName ?? group.id}</strong>{" "}
                {group.memberCount !== null && (
                  <span className="muted">
                    {plural(group.memberCount, "member")}
                    {group.memberCount > GROUP_ON_DEMAND_MEMBERS &&
                      `: ${GROUP_ON_DEMAND_MEMBERS} of them are provisioned with it (Entra's limit)`}
                  </span>
                )}
              </span>
              <button
                type="button"
                onClick={() => setGroup({ group, picked: [] })}
                data-testid="provision-group-choose"
                aria-label={`Choose ${group.displayName ?? group.id}`}
              >
                Choose
              </button>
            </li>
          ))}
        </ul>
        {found && !found.error && !found.users.length && !found.groups.length && (
          <Empty>
            No {kind === "user" ? "user" : "group name"} starts with “{query.trim()}”.
          </Empty>
        )}
      </Card>
      {kind === "group" && group && (
        <Card
          title={`Provision ${group.group.displayName ?? group.group.id}`}
          className="spaced"
          testId="provision-group-card"
        >
          <MemberPicker
            group={group.group}
            picked={group.picked}
            onChange={(picked) => setGroup({ ...group, picked })}
          />
          <div className="card-footer">
            <button
              type="button"
              className="primary"
              disabled={pending}
              onClick={() => void provisionGroup(group)}
              data-testid="provision-group"
            >
              {group.picked.length
                ? `Provision the group and ${plural(group.picked.length, "picked member")}`
                : "Provision the group"}
            </button>
          </div>
        </Card>
      )}
      {run && (
        <Card title={`Provisioning ${run.name}`} testId="provision-result">
          {run.pending && <p role="status">Provisioning…</p>}
          {run.error && <ErrorNotice error={run.error} title={`The ${run.kind} could not be provisioned`} />}
          {run.result && (
            <div role="status">
              {run.kind === "user" && run.result && <UserResult result={run.result} />}
              {run.kind === "group" && run.result && <GroupResult result={run.result} />}
            </div>
          )}
        </Card>
      )}
    </>
  );
}
