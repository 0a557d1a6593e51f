import { HighlightStyle, StreamLanguage, syntaxHighlighting } from "@codemirror/language";
import { tags } from "@lezer/highlight";

/**
 * Highlighting for Entra's expression language: Function(…), [attribute], "string" (a doubled quote escapes),
 * numbers and booleans. Only colouring: the engine's parser decides what is valid and where an error is.
 */
const expressionLanguage = StreamLanguage.define<{ inString: boolean }>({
  name: "entra-expression",
  startState: () => ({ inString: false }),
  token(stream, state) {
    if (state.inString) {
      while (!stream.eol()) {
        if (stream.next() === '"') {
          if (stream.peek() === '"') stream.next();
          else {
            state.inString = false;
            break;
          }
        }
      }
      return "string";
    }
    if (stream.eatSpace()) return null;
    if (stream.eat('"')) {
      state.inString = true;
      return "string";
    }
    if (stream.match(/^\[[^\]]*\]?/)) return "variableName";
    if (stream.match(/^-?\d+(\.\d+)?/)) return "number";
    if (stream.match(/^(True|False)\b/i)) return "bool";
    if (stream.match(/^[A-Za-z_][\w]*(?=\s*\()/)) return "function";
    if (stream.match(/^[A-Za-z_][\w]*/)) return "keyword";
    stream.next();
    return "punctuation";
  },
  tokenTable: { function: tags.function(tags.variableName) },
});

const style = HighlightStyle.define([
  { tag: tags.string, color: "var(--code-string, #0b7a3b)" },
  { tag: tags.variableName, color: "var(--code-attribute, #7a3e9d)" },
  { tag: tags.function(tags.variableName), color: "var(--code-function, #1f5fbf)", fontWeight: "600" },
  { tag: [tags.number, tags.bool], color: "var(--code-number, #a15c00)" },
  { tag: tags.keyword, color: "var(--bad, #b42318)" },
]);

export const expressionSyntax = [expressionLanguage, syntaxHighlighting(style)];
