import { useEffect, useState } from "react";
import type { AttributeMapping, Rules } from "../../../shared/config/mappings";
import { ErrorNotice } from "../components/ErrorNotice";
import { Card, Loading, SectionHeader } from "../components/ui";
import { SaveBar } from "../draft/SaveBar";
import { useDraft } from "../draft/store";
import { useApp } from "../store";
import { ScopePreview } from "./scope/ScopePreview";
import { FilterBuilder } from "./mappings/FilterBuilder";
import { MappingTable, MappingTableEditor } from "./mappings/MappingTable";
import { Problems } from "./mappings/Problems";
import { useReference } from "./mappings/reference";
import { RulesTester } from "./mappings/RulesTester";
import { UserPicker } from "./mappings/UserPicker";
import type { DirectoryUser } from "./mappings/UserPicker";

const OBJECTS = [
  ["users", "User"],
  ["groups", "Group"],
] as const;

/** The preset's defaults (no `rules` in the profile): shown read only until the admin customises them. */
function PresetRules({ rules }: { rules: Rules | null }) {
  const edit = useDraft((state) => state.edit);
  return (
    <Card title="The preset's default mappings are in use" className="wide" testId="preset-rules">
      <p className="muted">
        These are the mappings Entra's gallery app uses. To change them, customise a copy; you can restore the defaults
        later.
      </p>
      <button
        type="button"
        className="primary"
        disabled={!rules}
        onClick={() => edit("rules", rules)}
        data-testid="customize-mappings"
      >
        Customise the mappings
      </button>
      {rules ? (
        OBJECTS.map(([objects, noun]) => (
          <div key={objects} data-testid={`${objects}-mappings`}>
            <h3>{noun} mappings</h3>
            <MappingTable mappings={rules[objects].mappings} label={`${noun} mappings`} />
          </div>
        ))
      ) : (
        <p className="muted">The defaults are shown once the profile with them is saved.</p>
      )}
    </Card>
  );
}

/** The mapping tables and scoping filters of the draft, for users and for groups. */
export function RulesEditor({ user }: { user: DirectoryUser | null }) {
  const rules = useDraft((state) => state.draft?.rules) as unknown as Rules;
  return (
    <>
      {OBJECTS.map(([objects, noun]) => (
        <Card key={objects} title={`${noun} mappings`} className="wide" testId={`${objects}-mappings`}>
          <h3>Scoping filters</h3>
          {objects === "users" && <ScopePreview testId="filter-preview" />}
          <FilterBuilder path={`rules.${objects}.scopingFilters`} objects={objects} />
          <h3>Attribute mappings</h3>
          <MappingTableEditor
            path={`rules.${objects}.mappings`}
            mappings={(rules[objects]?.mappings ?? []) as Partial<AttributeMapping>[]}
            objects={objects}
            label={`${noun} mappings`}
            user={user}
          />
        </Card>
      ))}
    </>
  );
}

export function Mappings() {
  const { mappings } = useApp();
  const { draft, stored, edit, loadError } = useDraft();
  const reference = useReference();
  const [user, setUser] = useState<DirectoryUser | null>(null);
  useEffect(() => {
    if (draft) void reference.load();
  }, [draft, reference]);
  const customised = draft?.rules !== undefined;
  // The engine's effective rules are the preset's defaults only while the stored profile has none of its own.
  const defaults = stored?.profile && !stored.profile.rules ? (mappings.data?.rules ?? null) : null;
  return (
    <>
      <SectionHeader
        title="Mappings"
        description="How Entra ID attributes become target attributes, and which objects are in scope. Same model as Entra's Attribute Mapping page."
        actions={
          customised && (
            <button type="button" onClick={() => edit("rules", undefined)} data-testid="restore-defaults">
              Restore the preset's defaults
            </button>
          )
        }
      />
      {loadError && <ErrorNotice error={loadError} title="The profile could not be read" />}
      {mappings.error && <ErrorNotice error={mappings.error} title="The mappings could not be read" />}
      {reference.error && <ErrorNotice error={reference.error} title="The attribute lists could not be read" />}
      {!draft || !mappings.data ? (
        <Loading what="mappings" />
      ) : (
        <>
          <Card title="Validation of the saved mappings" className="wide">
            <Problems problems={mappings.data.problems} />
          </Card>
          <RulesTester />
          {customised ? (
            <>
              <Card title="Live values" className="wide">
                <UserPicker picked={user} onPick={setUser} />
              </Card>
              <RulesEditor user={user} />
            </>
          ) : (
            <PresetRules rules={defaults} />
          )}
        </>
      )}
      <SaveBar />
    </>
  );
}
