import { useId, useState } from "react";
import type { ResultOf } from "../../../../shared/ipc/contract";
import { useLiveCall } from "../../draft/live";

export type DirectoryUser = ResultOf<"directory.searchUsers">[number];

/** Picks one directory user by the start of their name or UPN (for live expression values). */
export function UserPicker({ picked, onPick }: { picked: DirectoryUser | null; onPick(user: DirectoryUser): void }) {
  const id = useId();
  const [query, setQuery] = useState("");
  const found = useLiveCall("directory.searchUsers", query.trim() ? { query: query.trim() } : null, 250);
  return (
    <div className="user-picker" data-testid="user-picker">
      <div className="field">
        <label htmlFor={id}>Show values for user</label>
        <input
          id={id}
          type="search"
          value={query}
          placeholder={picked ? (picked.userPrincipalName ?? picked.id) : "Start of a name or UPN"}
          onChange={(event) => setQuery(event.target.value)}
          data-testid="user-search"
        />
      </div>
      {query.trim() && found.data && (
        <ul className="pick-list" aria-label="Users found">
          {found.data.map((user) => (
            <li key={user.id}>
              <span>
                {user.displayName ?? user.id} <span className="muted">{user.userPrincipalName}</span>
              </span>
              <button
                type="button"
                onClick={() => {
                  onPick(user);
                  setQuery("");
                }}
                data-testid="user-pick"
              >
                Use
              </button>
            </li>
          ))}
          {!found.data.length && <li className="muted">No user starts with “{query.trim()}”.</li>}
        </ul>
      )}
      {picked && (
        <p className="muted" data-testid="picked-user">
          Values shown for <strong>{picked.displayName ?? picked.id}</strong> ({picked.userPrincipalName})
        </p>
      )}
    </div>
  );
}
