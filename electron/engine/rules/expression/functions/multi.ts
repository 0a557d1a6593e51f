// Multi-valued attributes and app role assignments.
import type { FunctionDef } from "./types";
import type { AppRoleAssignmentValue, Value } from "../values";
import { EvalFailure, isNullish, toInteger, toText } from "../values";

const values = (v: Value): Value[] => (isNullish(v) ? [] : Array.isArray(v) ? v : [v]);

function assignments(v: Value, fn: string): AppRoleAssignmentValue[] {
  return values(v).map((a) => {
    if (a && typeof a === "object" && !Array.isArray(a) && typeof (a as { appRoleId?: unknown }).appRoleId === "string")
      return a as unknown as AppRoleAssignmentValue;
    throw new EvalFailure("InvalidArgument", `${fn} works on [appRoleAssignments] only.`);
  });
}

export const multiValuedFunctions: FunctionDef[] = [
  { name: "Count", signature: "Count(attribute)", min: 1, max: 1, run: (args) => values(args[0]!.get()).length },
  {
    name: "Item",
    signature: "Item(attribute, index)",
    min: 2,
    max: 2,
    run(args) {
      const index = toInteger(args[1]!.get(), "Item", "index");
      if (index < 1)
        throw new EvalFailure(
          "InvalidArgument",
          `Item: index is 1-based and must be at least 1 (got ${index}).`,
          args[1]!.node,
        );
      return values(args[0]!.get())[index - 1] ?? null;
    },
  },
  {
    name: "RemoveDuplicates",
    signature: "RemoveDuplicates(attribute)",
    min: 1,
    max: 1,
    run(args) {
      const v = args[0]!.get();
      if (!Array.isArray(v)) return v ?? null;
      const seen = new Set<string | null>();
      return v.filter((x) => {
        const key = toText(x, "RemoveDuplicates");
        return seen.has(key) ? false : (seen.add(key), true);
      });
    },
  },
  {
    name: "SingleAppRoleAssignment",
    signature: "SingleAppRoleAssignment([appRoleAssignments])",
    min: 1,
    max: 1,
    run(args) {
      // Entra does not say which role wins when there are several; the first keeps it stable.
      const first = assignments(args[0]!.get(), "SingleAppRoleAssignment")[0];
      return first ? (first.value ?? first.displayName ?? null) : null;
    },
  },
  {
    name: "AppRoleAssignmentsComplex",
    signature: "AppRoleAssignmentsComplex([appRoleAssignments])",
    min: 1,
    max: 1,
    run(args) {
      const list = assignments(args[0]!.get(), "AppRoleAssignmentsComplex");
      return list.length === 0
        ? null
        : list.map((a) => ({
            primary: false,
            type: "WindowsAzureActiveDirectoryRole",
            display: a.displayName ?? a.value ?? "",
            value: a.value ?? a.displayName ?? "",
          }));
    },
  },
];
