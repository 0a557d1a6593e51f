import { useId } from "react";
import { SPLASHTOP_TENANT_URLS } from "../../../../shared/config/profile";
import { TextField } from "../../components/fields";
import { getIn } from "../../draft/paths";
import { useDraft } from "../../draft/store";
import { SecretInput } from "./SecretInput";

type Region = keyof typeof SPLASHTOP_TENANT_URLS | "onprem";
const REGIONS: [Region, string][] = [
  ["global", "Global (my.splashtop.com)"],
  ["eu", "Europe (my.splashtop.eu)"],
  ["oc", "Oceania (my.splashtop.nr)"],
  ["onprem", "On-premises gateway"],
];

const regionOf = (url: unknown): Region =>
  (Object.entries(SPLASHTOP_TENANT_URLS).find(([, known]) => known === url)?.[0] as Region | undefined) ?? "onprem";

function Choice({
  label,
  value,
  options,
  onChange,
  testId,
}: {
  label: string;
  value: string;
  options: readonly (readonly [string, string])[];
  onChange(value: string): void;
  testId: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)} data-testid={testId}>
        {options.map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The SCIM app: Splashtop (by region or an on-premises gateway) or any SCIM 2.0 endpoint, and its Secret Token. */
export function TargetForm({
  token,
  onToken,
  tokenStored,
}: {
  token: string;
  onToken(value: string): void;
  tokenStored: boolean | null;
}) {
  const { draft, edit } = useDraft();
  const preset = getIn(draft, "target.preset") === "generic" ? "generic" : "splashtop";
  const url = getIn(draft, "target.tenantUrl");
  const region = regionOf(url);
  return (
    <div className="form" data-testid="target-form">
      <Choice
        label="Target app"
        value={preset}
        options={[
          ["splashtop", "Splashtop"],
          ["generic", "Another SCIM 2.0 app"],
        ]}
        onChange={(value) => edit("target.preset", value)}
        testId="target-preset"
      />
      {preset === "splashtop" && (
        <Choice
          label="Splashtop region"
          value={region}
          options={REGIONS}
          onChange={(value) =>
            edit(
              "target.tenantUrl",
              value === "onprem" ? "" : SPLASHTOP_TENANT_URLS[value as keyof typeof SPLASHTOP_TENANT_URLS],
            )
          }
          testId="target-region"
        />
      )}
      {(preset === "generic" || region === "onprem") && (
        <TextField
          path="target.tenantUrl"
          label={preset === "generic" ? "SCIM base URL (Tenant URL)" : "Gateway's SCIM base URL"}
          placeholder="https://scim.example.com/scim/v2"
          hint="https:// (http:// only to this computer)."
          testId="target-url"
          monospace
        />
      )}
      <SecretInput label="Secret token" value={token} onChange={onToken} stored={tokenStored} testId="target-token" />
      {preset === "splashtop" && (
        <TextField
          path="target.ssoMethodName"
          label="SSO method name"
          hint={
            <>
              <strong>Must match the SSO method's name in Splashtop exactly, spaces and capitals included</strong>;
              users are created for that method.
            </>
          }
          testId="target-sso"
          optional
        />
      )}
      <TextField
        path="target.caFile"
        label="Private CA file (optional)"
        hint="For an on-premises gateway with a certificate from your own CA."
        testId="target-ca"
        optional
        monospace
      />
    </div>
  );
}
