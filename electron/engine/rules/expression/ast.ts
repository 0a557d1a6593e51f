// The expression tree. Offsets are 0-based indexes into the expression text so every
// problem can point at the exact place an admin has to fix.

export type CompareOp = "=" | "<>" | ">" | ">=" | "<" | "<=";

interface NodeBase {
  start: number;
  end: number;
}

export type ExprNode =
  | (NodeBase & { type: "Call"; name: string; args: ExprNode[] })
  | (NodeBase & { type: "Attribute"; name: string })
  | (NodeBase & { type: "String"; value: string })
  /** Integers beyond 2^53 (AD file times) keep their exact digits as a string. */
  | (NodeBase & { type: "Number"; value: number | string })
  /** A bare name such as vbBinaryCompare. */
  | (NodeBase & { type: "Identifier"; name: string })
  /** An omitted argument, as in `Switch([IsSoftDeleted], , "False", "True")`. */
  | (NodeBase & { type: "Empty" })
  | (NodeBase & { type: "Compare"; op: CompareOp; left: ExprNode; right: ExprNode });

export interface ParseError {
  kind: "parse";
  /** 0-based offset into the expression. */
  position: number;
  /** 1-based. */
  line: number;
  column: number;
  expected: string;
  message: string;
}

export type ParseResult = { ok: true; ast: ExprNode } | { ok: false; error: ParseError };

/** Line and column (both 1-based) of an offset, for messages. */
export function lineColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < position && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: position - lineStart + 1 };
}

/** Calls every node of the tree, parents before children. */
export function walk(
  node: ExprNode,
  visit: (node: ExprNode, parent: ExprNode | undefined) => void,
  parent?: ExprNode,
): void {
  visit(node, parent);
  if (node.type === "Call") for (const arg of node.args) walk(arg, visit, node);
  if (node.type === "Compare") {
    walk(node.left, visit, node);
    walk(node.right, visit, node);
  }
}
