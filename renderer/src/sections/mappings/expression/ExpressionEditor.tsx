import { autocompletion, closeBrackets, completionKeymap } from "@codemirror/autocomplete";
import type { Completion, CompletionContext } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { bracketMatching } from "@codemirror/language";
import { setDiagnostics } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { useEffect, useRef } from "react";
import type { ResultOf } from "../../../../../shared/ipc/contract";
import { expressionSyntax } from "./language";

export type ExpressionFunction = ResultOf<"expression.functions">[number];
export interface ExpressionError {
  offset: number | null;
  message: string;
}

// Styles go through CodeMirror's theme (constructed style sheets inside the editor's shadow root), which the strict
// CSP (style-src 'self', no inline <style>) allows; our own stylesheet does not reach into the shadow root.
const theme = EditorView.theme({
  "&": {
    border: "1px solid var(--line, #dfe4ea)",
    borderRadius: "6px",
    background: "var(--panel, #fff)",
    color: "var(--ink, #1b2430)",
    fontSize: "13px",
  },
  "&.cm-focused": { outline: "2px solid var(--accent, #1f5fbf)", outlineOffset: "1px" },
  ".cm-content": {
    fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
    padding: "6px 0",
    minHeight: "2.5em",
  },
  ".cm-line": { padding: "0 8px" },
  ".cm-cursor": { borderLeftColor: "var(--ink, #1b2430)" },
  ".cm-lintRange-error": {
    textDecoration: "underline wavy var(--bad, #b42318)",
    backgroundImage: "none",
    backgroundColor: "var(--bad-bg, #fdeceb)",
  },
  ".cm-tooltip": {
    background: "var(--panel, #fff)",
    color: "var(--ink, #1b2430)",
    border: "1px solid var(--line, #dfe4ea)",
  },
  ".cm-tooltip-autocomplete ul li[aria-selected]": { background: "var(--accent, #1f5fbf)", color: "#fff" },
  ".cm-completionInfo": { maxWidth: "28em", padding: "6px 8px", whiteSpace: "pre-wrap" },
});

function completions(functions: ExpressionFunction[], attributes: string[]) {
  const fnOptions: Completion[] = functions.map((fn) => ({
    label: fn.name,
    type: "function",
    detail: fn.signature,
    info: fn.help,
    apply: `${fn.name}(`,
  }));
  const attrOptions: Completion[] = attributes.map((name) => ({ label: `[${name}]`, type: "variable" }));
  return (context: CompletionContext) => {
    const attribute = context.matchBefore(/\[[\w.:-]*/);
    if (attribute) return { from: attribute.from, options: attrOptions, validFor: /^\[[\w.:-]*$/ };
    const word = context.matchBefore(/[A-Za-z]\w*/);
    if (!word && !context.explicit) return null;
    return { from: word?.from ?? context.pos, options: fnOptions, validFor: /^\w*$/ };
  };
}

/**
 * CodeMirror 6 for one mapping expression: highlighting, completion of functions and [attributes] with each function's
 * help, and the engine's error marked at its position. The editor owns its text while mounted; `onChange` reports it.
 */
export function ExpressionEditor({
  value,
  onChange,
  onCursor,
  label,
  functions,
  attributes,
  error,
  describedBy,
}: {
  value: string;
  onChange(value: string): void;
  /** The cursor moved (for the help of the function being typed). */
  onCursor?(textBefore: string): void;
  label: string;
  functions: ExpressionFunction[];
  attributes: string[];
  error: ExpressionError | null;
  describedBy?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const callbacks = useRef({ onChange, onCursor });
  useEffect(() => {
    callbacks.current = { onChange, onCursor };
  });

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const root = element.shadowRoot ?? element.attachShadow({ mode: "open" });
    const editor = new EditorView({
      root,
      parent: root,
      state: EditorState.create({
        doc: value,
        extensions: [
          history(),
          closeBrackets(),
          bracketMatching(),
          expressionSyntax,
          autocompletion({ override: [completions(functions, attributes)] }),
          keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap]),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({
            "aria-label": label,
            "aria-multiline": "true",
            ...(describedBy ? { "aria-describedby": describedBy } : {}),
            "data-testid": "expression-input",
          }),
          theme,
          EditorView.updateListener.of((update) => {
            if (update.docChanged) callbacks.current.onChange(update.state.doc.toString());
            if (update.docChanged || update.selectionSet) {
              const head = update.state.selection.main.head;
              callbacks.current.onCursor?.(update.state.doc.sliceString(0, head));
            }
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor is created once per mount with the lists it completes from; later text comes from the editor itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [functions, attributes]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const length = editor.state.doc.length;
    const diagnostics =
      error && error.offset !== null
        ? [
            {
              from: Math.min(error.offset, length),
              to: Math.min(error.offset + 1, length),
              severity: "error" as const,
              message: error.message,
            },
          ]
        : [];
    editor.dispatch(setDiagnostics(editor.state, diagnostics));
  }, [error]);

  return <div ref={host} className="expression-editor" data-testid="expression-editor" />;
}
