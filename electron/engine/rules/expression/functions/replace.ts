// Replace(source, oldValue, regexPattern, regexGroupName, replacementValue, replacementAttributeName, template):
// which arguments are given picks one of the five documented behaviours.
import type { Arg, FunctionDef } from "./types";
import type { SafeRegex } from "../../safe-regex";
import { compileSafeRegex, MAX_REGEX_INPUT, RegexTimeoutError, runRegex } from "../../safe-regex";
import { EvalFailure, toText } from "../values";

const given = (arg: Arg | undefined): arg is Arg => arg !== undefined && !arg.omitted;
const text = (arg: Arg | undefined): string | null => (given(arg) ? toText(arg.get(), "Replace") : null);

function regexArg(arg: Arg, flags: string): SafeRegex {
  const pattern = text(arg) ?? "";
  const compiled = compileSafeRegex(pattern, flags);
  if (!compiled.ok) throw new EvalFailure("InvalidRegex", `Replace: ${compiled.message}`, arg.node);
  return compiled.regex;
}

/** Runs the regex work under safe-regex's guard, turning a timeout into this attribute's error. */
function guarded<T>(regex: SafeRegex, work: (re: RegExp) => T): T {
  try {
    return runRegex(regex, () => work(regex.regex));
  } catch (e) {
    if (e instanceof RegexTimeoutError) throw new EvalFailure("RegexTimeout", `Replace: ${e.message}`);
    throw e;
  }
}

function checkInput(s: string): string {
  if (s.length > MAX_REGEX_INPUT)
    throw new EvalFailure(
      "InputTooLong",
      `Replace: the value is ${s.length} characters long; regular expressions run on at most ${MAX_REGEX_INPUT}.`,
    );
  return s;
}

/** Expands a .NET replacement pattern ($1, ${name}, $$, $&, $`, $', $_) for one match. */
function expand(template: string, m: RegExpExecArray, input: string): string {
  return template.replace(
    /\$(\$|&|`|'|_|\{([^}]*)\}|(\d{1,2}))/g,
    (all, token: string, name?: string, num?: string) => {
      if (token === "$") return "$";
      if (token === "&") return m[0];
      if (token === "`") return input.slice(0, m.index);
      if (token === "'") return input.slice(m.index + m[0].length);
      if (token === "_") return input;
      const key = name ?? num!;
      if (/^\d+$/.test(key)) return Number(key) < m.length ? (m[Number(key)] ?? "") : all;
      return m.groups && key in m.groups ? (m.groups[key] ?? "") : all;
    },
  );
}

/** Replaces, for every match, the span the callback picks. */
function rewrite(
  input: string,
  regex: RegExp,
  pick: (m: RegExpExecArray) => [number, number, string] | undefined,
): string {
  let out = "";
  let last = 0;
  for (const m of input.matchAll(regex)) {
    const span = pick(m);
    if (!span || span[0] < last) continue;
    out += input.slice(last, span[0]) + span[2];
    last = span[1];
  }
  return out + input.slice(last);
}

function assertGroup(regex: RegExp, group: string, arg: Arg): void {
  if (!new RegExp(`\\(\\?<${group.replace(/[^\w]/g, "")}>`).test(regex.source)) {
    throw new EvalFailure(
      "UnknownRegexGroup",
      `Replace: the pattern has no group named "${group}"; name it with (?<${group}>...).`,
      arg.node,
    );
  }
}

export const replaceFunction: FunctionDef = {
  name: "Replace",
  signature:
    "Replace(source, oldValue, regexPattern, regexGroupName, replacementValue, replacementAttributeName, template)",
  min: 2,
  max: 7,
  run(args) {
    const [, oldArg, patternArg, groupArg, replacementArg, attributeArg, templateArg] = args;
    const source = text(args[0]);
    if (given(patternArg) && given(groupArg) && given(attributeArg) && !given(replacementArg)) {
      // Keep the source when it has a value; otherwise extract the group from the other attribute.
      if (source) return source;
      const other = text(attributeArg);
      if (other === null) return null;
      const group = text(groupArg) ?? "";
      const regex = regexArg(patternArg, "");
      assertGroup(regex.regex, group, groupArg);
      const input = checkInput(other);
      return guarded(regex, (re) => re.exec(input)?.groups?.[group] ?? null);
    }
    if (given(patternArg) && given(replacementArg)) {
      if (source === null) return null;
      const input = checkInput(source);
      const replacement = text(replacementArg) ?? "";
      if (given(groupArg)) {
        const group = text(groupArg) ?? "";
        const regex = regexArg(patternArg, "gd");
        assertGroup(regex.regex, group, groupArg);
        return guarded(regex, (re) =>
          rewrite(input, re, (m) => {
            const span = m.indices?.groups?.[group];
            return span && [span[0], span[1], replacement];
          }),
        );
      }
      return guarded(regexArg(patternArg, "g"), (re) =>
        rewrite(input, re, (m) => [m.index, m.index + m[0].length, expand(replacement, m, input)]),
      );
    }
    if (given(oldArg) && (given(templateArg) || given(replacementArg))) {
      const oldValue = text(oldArg) ?? "";
      if (oldValue === "") throw new EvalFailure("InvalidArgument", "Replace: oldValue cannot be empty.", oldArg.node);
      if (given(templateArg)) return source === null ? null : (text(templateArg) ?? "").replaceAll(oldValue, source);
      return source === null ? null : source.replaceAll(oldValue, text(replacementArg) ?? "");
    }
    throw new EvalFailure(
      "InvalidArgument",
      "Replace needs oldValue with replacementValue or template, or regexPattern with replacementValue (optionally regexGroupName), or regexPattern with regexGroupName and replacementAttributeName.",
    );
  },
};
