import { ErrorNotice } from "../components/ErrorNotice";
import { Card, Loading, SectionHeader } from "../components/ui";
import { SaveBar } from "../draft/SaveBar";
import { useDraft } from "../draft/store";
import { RulesTester } from "./mappings/RulesTester";
import { ScopePicker } from "./scope/ScopePicker";
import { ScopePreview } from "./scope/ScopePreview";

export function Scope() {
  const { draft, loadError } = useDraft();
  return (
    <>
      <SectionHeader
        title="Scope"
        description="Which users and groups ProvisionDesk provisions. The count below is for your unsaved changes."
      />
      {loadError && <ErrorNotice error={loadError} title="The profile could not be read" />}
      {!draft ? (
        <Loading what="the scope" />
      ) : (
        <>
          <Card title="In scope now" className="wide" testId="scope-live">
            <ScopePreview />
          </Card>
          <Card title="Scope" className="wide">
            <ScopePicker />
          </Card>
          <RulesTester title="Why is this user in or out of scope?" />
        </>
      )}
      <SaveBar />
    </>
  );
}
