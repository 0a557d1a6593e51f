import { RulesSchema } from "../../../shared/config/mappings";
import type { ObjectRules } from "../../../shared/config/mappings";
import { ErrorNotice } from "../components/ErrorNotice";
import { Card, Loading, SectionHeader } from "../components/ui";
import { useApp } from "../store";
import { MappingTable } from "./mappings/MappingTable";
import { Problems } from "./mappings/Problems";
import { RulesTester } from "./mappings/RulesTester";
import { ScopingFilters } from "./mappings/ScopingFilters";

function ObjectRulesView({ rules, objects }: { rules: ObjectRules; objects: "users" | "groups" }) {
  const title = objects === "users" ? "User mappings" : "Group mappings";
  return (
    <Card title={title} className="wide" testId={`${objects}-mappings`}>
      <h3>Scoping filters</h3>
      <ScopingFilters filters={rules.scopingFilters} objects={objects} />
      <h3>Attribute mappings</h3>
      <MappingTable mappings={rules.mappings} label={title} />
    </Card>
  );
}

export function Mappings() {
  const { mappings } = useApp();
  const parsed = mappings.data ? RulesSchema.safeParse(mappings.data.rules) : null;
  return (
    <>
      <SectionHeader
        title="Mappings"
        description="How Entra ID attributes become target attributes, and which objects are in scope. Same model as Entra's Attribute Mapping page."
      />
      {mappings.error && <ErrorNotice error={mappings.error} title="The mappings could not be read" />}
      {!mappings.data ? (
        <Loading what="mappings" />
      ) : (
        <>
          <Card title="Validation" className="wide">
            <Problems problems={mappings.data.problems} />
          </Card>
          <RulesTester />
          {parsed?.success ? (
            <>
              <ObjectRulesView rules={parsed.data.users} objects="users" />
              <ObjectRulesView rules={parsed.data.groups} objects="groups" />
            </>
          ) : (
            <ErrorNotice
              error={{
                code: "RULES_UNREADABLE",
                message:
                  'No active mappings could be shown. Import a profile, or check its "rules" block with provision-desk rules test.',
                detail: parsed?.error.message ?? "no rules",
              }}
            />
          )}
        </>
      )}
    </>
  );
}
