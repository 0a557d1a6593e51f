import { useId, useState } from "react";
import type { ResultOf } from "../../../../shared/ipc/contract";
import type { AppError } from "../../../../shared/ipc/result";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Empty } from "../../components/ui";
import { useLiveCall } from "../../draft/live";
import { useApp } from "../../store";

type Group = ResultOf<"directory.searchGroups">["groups"][number];
type Page = ResultOf<"directory.searchGroups">;

/**
 * Searches Entra ID's groups by the start of their name (debounced, a page at a time, with member counts) and keeps
 * the list of picked groups beside the results.
 */
export function GroupPicker({ selected, onChange }: { selected: string[]; onChange(ids: string[]): void }) {
  const id = useId();
  const [query, setQuery] = useState("");
  const search = query.trim();
  const first = useLiveCall("directory.searchGroups", { query: search }, 300);
  /** Further pages of the search they were loaded for. */
  const [more, setMore] = useState<{ for: string; page: Page } | null>(null);
  const [moreError, setMoreError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(false);
  const [added, setAdded] = useState<Group[]>([]);
  const extra = more && more.for === search ? more.page : null;
  const groups = [...(first.data?.groups ?? []), ...(extra?.groups ?? [])];
  const nextCursor = extra ? extra.nextCursor : (first.data?.nextCursor ?? null);
  const names = new Map([...added, ...groups].map((group) => [group.id, group.displayName ?? group.id]));

  const loadMore = async () => {
    const api = useApp.getState().api;
    if (!api || !nextCursor) return;
    setLoading(true);
    const result = await api.invoke("directory.searchGroups", { query: search, cursor: nextCursor });
    setLoading(false);
    if (!result.ok) return setMoreError(result.error);
    setMoreError(null);
    setMore({
      for: search,
      page: { groups: [...(extra?.groups ?? []), ...result.value.groups], nextCursor: result.value.nextCursor },
    });
  };

  return (
    <div className="grid two" data-testid="group-picker">
      <div>
        <div className="field">
          <label htmlFor={id}>Find groups in Entra ID</label>
          <input
            id={id}
            type="search"
            value={query}
            placeholder="Start of the group's name"
            onChange={(event) => setQuery(event.target.value)}
            data-testid="group-search"
          />
        </div>
        {first.error && <ErrorNotice error={first.error} title="The groups could not be searched" />}
        {moreError && <ErrorNotice error={moreError} title="More groups could not be read" />}
        <ul className="pick-list" aria-label="Groups found" aria-busy={first.pending || loading}>
          {groups.map((group) => {
            const picked = selected.includes(group.id);
            const name = group.displayName ?? group.id;
            return (
              <li key={group.id} data-testid="group-result">
                <span>
                  {name}{" "}
                  <span className="muted">
                    {group.memberCount === null
                      ? ""
                      : `${group.memberCount} member${group.memberCount === 1 ? "" : "s"}`}
                  </span>
                </span>
                <button
                  type="button"
                  disabled={picked}
                  onClick={() => {
                    setAdded([...added, group]);
                    onChange([...selected, group.id]);
                  }}
                  aria-label={`${picked ? "Added" : "Add"} ${name}`}
                >
                  {picked ? "Added" : "Add"}
                </button>
              </li>
            );
          })}
          {first.data && !groups.length && <li className="muted">No group's name starts with “{search}”.</li>}
        </ul>
        {nextCursor && (
          <button type="button" disabled={loading} onClick={() => void loadMore()}>
            {loading ? "Loading…" : "More groups"}
          </button>
        )}
      </div>
      <div>
        <h3>Picked groups ({selected.length})</h3>
        {selected.length ? (
          <ul className="pick-list" aria-label="Picked groups" data-testid="picked-groups">
            {selected.map((groupId) => (
              <li key={groupId}>
                <span>{names.get(groupId) ?? groupId}</span>
                <button
                  type="button"
                  aria-label={`Remove ${names.get(groupId) ?? groupId}`}
                  onClick={() => onChange(selected.filter((other) => other !== groupId))}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <Empty>No group picked yet: add at least one.</Empty>
        )}
      </div>
    </div>
  );
}
