import { useState } from "react";
import { ErrorNotice } from "../components/ErrorNotice";
import { ColumnHeads, Card, Empty, Loading, Pill, SectionHeader } from "../components/ui";
import { useApp } from "../store";

/** What the target app holds right now, read over SCIM: the ground truth after provisioning. */
export function Target() {
  const { target, refresh } = useApp();
  const [text, setText] = useState("");
  const needle = text.trim().toLowerCase();
  const data = target.data;
  const users = (data?.users ?? []).filter(
    (u) => !needle || `${u.userName} ${u.displayName ?? ""}`.toLowerCase().includes(needle),
  );
  const groups = (data?.groups ?? []).filter((g) => !needle || g.displayName.toLowerCase().includes(needle));
  return (
    <>
      <SectionHeader
        title="Target"
        description="Users and groups as the target app reports them now (read only)."
        actions={
          <button
            type="button"
            onClick={() => void refresh("target")}
            disabled={target.loading}
            data-testid="target-reload"
          >
            {target.loading ? "Reading…" : "Reload"}
          </button>
        }
      />
      {target.error && <ErrorNotice error={target.error} title="The target could not be read" />}
      {!data ? (
        target.loading && <Loading what="the target" />
      ) : (
        <>
          <div className="toolbar" role="search">
            <label>
              Search
              <input
                type="search"
                value={text}
                placeholder="User name, display name or group"
                onChange={(event) => setText(event.target.value)}
              />
            </label>
            <span className="muted" data-testid="target-totals">
              {data.totalUsers} users, {data.totalGroups} groups in the target
              {(data.users.length < data.totalUsers || data.groups.length < data.totalGroups) &&
                " (showing the first ones)"}
            </span>
          </div>
          <div className="grid main-side">
            <Card title={`Users (${data.totalUsers})`} testId="target-users">
              {users.length ? (
                <table className="table wrap" aria-label="Users in the target">
                  <ColumnHeads columns={["User name", "Display name", "State"]} />
                  <tbody>
                    {users.map((user) => (
                      <tr key={user.id} data-testid="target-user">
                        <td>{user.userName}</td>
                        <td>{user.displayName ?? <span className="muted">—</span>}</td>
                        <td>{user.active ? <Pill tone="ok">Active</Pill> : <Pill tone="neutral">Disabled</Pill>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <Empty>{data.totalUsers ? "No user matches the search." : "The target has no users yet."}</Empty>
              )}
            </Card>
            <Card title={`Groups (${data.totalGroups})`} testId="target-groups">
              {groups.length ? (
                <table className="table" aria-label="Groups in the target">
                  <ColumnHeads columns={["Group", "Members"]} />
                  <tbody>
                    {groups.map((group) => (
                      <tr key={group.id} data-testid="target-group">
                        <td>{group.displayName}</td>
                        <td>{group.memberCount}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <Empty>{data.totalGroups ? "No group matches the search." : "The target has no groups yet."}</Empty>
              )}
            </Card>
          </div>
        </>
      )}
    </>
  );
}
