// Small, strict readers for the deployment files (no YAML or XML library is a dependency): each accepts only the
// plain subset those files use and throws on anything else, so a malformed file fails its test.

export type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };

interface Line {
  indent: number;
  text: string;
  no: number;
}

const KEY = /^([A-Za-z0-9_./-]+):(?:\s+(.*))?$/;

function scalar(text: string, no: number): Yaml {
  if (text.startsWith('"') || text.startsWith("[")) {
    try {
      return JSON.parse(text) as Yaml;
    } catch {
      throw new Error(`line ${no}: ${text} is not a double-quoted string or a flow list of them`);
    }
  }
  if (/^[&*!{>'|]/.test(text) || text.includes(" #")) throw new Error(`line ${no}: unsupported YAML: ${text}`);
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === "true" || text === "false") return text === "true";
  return text === "null" || text === "~" ? null : text;
}

/** The block-style YAML subset of Kubernetes manifests: mappings, sequences, scalars, `|` blocks, `---` documents. */
export function parseYamlDocuments(source: string): Yaml[] {
  if (source.includes("\t")) throw new Error("tabs are not allowed in YAML indentation");
  const raw = source.split("\n");
  const docs: Yaml[] = [];
  let i = 0;
  const isContent = (line: string) => line.trim() !== "" && !line.trimStart().startsWith("#");
  const lineAt = (): Line | null => {
    while (i < raw.length && !isContent(raw[i]!) && raw[i] !== "---") i++;
    if (i >= raw.length || raw[i] === "---") return null;
    const text = raw[i]!;
    return { indent: text.length - text.trimStart().length, text: text.trim(), no: i + 1 };
  };
  let pending: Line | null = null; // a "- key: value" item's first key, re-read as a mapping line
  const current = () => pending ?? lineAt();
  const advance = () => (pending ? (pending = null) : i++);

  function node(indent: number): Yaml {
    const line = current()!;
    return line.text === "-" || line.text.startsWith("- ") ? sequence(indent) : mapping(indent);
  }
  function sequence(indent: number): Yaml[] {
    const items: Yaml[] = [];
    for (let line = current(); line && line.indent === indent && /^-( |$)/.test(line.text); line = current()) {
      const rest = line.text.slice(1).trim();
      advance();
      if (rest === "") items.push(node(current()!.indent));
      else if (KEY.test(rest)) {
        pending = { indent: indent + 2, text: rest, no: line.no };
        items.push(mapping(indent + 2));
      } else items.push(scalar(rest, line.no));
    }
    return items;
  }
  function mapping(indent: number): { [key: string]: Yaml } {
    const map: { [key: string]: Yaml } = {};
    for (let line = current(); line && line.indent >= indent; line = current()) {
      if (line.indent > indent) throw new Error(`line ${line.no}: unexpected indentation`);
      if (line.text.startsWith("- ")) break;
      const match = KEY.exec(line.text);
      if (!match) throw new Error(`line ${line.no}: expected "key: value", found ${line.text}`);
      const [, key, value] = match as unknown as [string, string, string | undefined];
      if (key in map) throw new Error(`line ${line.no}: duplicate key ${key}`);
      advance();
      if (value === "|") {
        const block: string[] = [];
        while (i < raw.length && (raw[i]!.trim() === "" || raw[i]!.length - raw[i]!.trimStart().length > indent))
          block.push(raw[i++]!);
        const cut = Math.min(...block.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
        map[key] = `${block
          .map((l) => l.slice(cut))
          .join("\n")
          .trimEnd()}\n`;
      } else if (value !== undefined) map[key] = scalar(value, line.no);
      else {
        const next = current();
        if (next && next.indent > indent) map[key] = node(next.indent);
        else if (next && next.indent === indent && next.text.startsWith("- ")) map[key] = sequence(indent);
        else map[key] = null;
      }
    }
    return map;
  }

  while (i < raw.length) {
    if (raw[i] === "---") i++;
    const first = lineAt();
    if (!first) continue;
    docs.push(node(first.indent));
    const left = lineAt();
    if (left) throw new Error(`line ${left.no}: unexpected indentation`);
  }
  return docs;
}

/** A systemd unit file: section → key → values (a key may repeat). */
export function parseUnitFile(source: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let section: Map<string, string[]> | null = null;
  source.split("\n").forEach((line, index) => {
    const text = line.trim();
    if (text === "" || text.startsWith("#") || text.startsWith(";")) return;
    const header = /^\[([A-Za-z]+)\]$/.exec(text);
    if (header) {
      if (sections.has(header[1]!)) throw new Error(`line ${index + 1}: section [${header[1]}] twice`);
      sections.set(header[1]!, (section = new Map()));
      return;
    }
    const pair = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(text);
    if (!pair || !section) throw new Error(`line ${index + 1}: expected Key=value inside a [Section]: ${text}`);
    section.set(pair[1]!, [...(section.get(pair[1]!) ?? []), pair[2]!]);
  });
  return sections;
}

/** Checks that XML is well-formed (one root, balanced tags, quoted attributes, escaped text); returns the root's name. */
export function checkXml(source: string): string {
  let rest = source.replace(/^\uFEFF?<\?xml[^?]*\?>/, "");
  for (const comment of rest.match(/<!--[\s\S]*?-->/g) ?? [])
    if (comment.slice(4, -3).includes("--")) throw new Error(`"--" inside a comment: ${comment.slice(0, 60)}`);
  rest = rest.replace(/<!--[\s\S]*?-->/g, "");
  const stack: string[] = [];
  let root: string | null = null;
  for (const token of rest.split(/(<[^>]*>)/)) {
    if (!token.startsWith("<")) {
      if (/[<>]|&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(token)) throw new Error(`unescaped text: ${token.trim()}`);
      if (stack.length === 0 && token.trim()) throw new Error(`text outside the root: ${token.trim()}`);
      continue;
    }
    const tag = /^<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>$/.exec(token);
    if (!tag) throw new Error(`malformed tag: ${token}`);
    const [, closing, name, , selfClosing] = tag as unknown as [string, string, string, string, string];
    if (closing) {
      if (stack.pop() !== name) throw new Error(`</${name}> does not close the open element`);
      continue;
    }
    if (stack.length === 0) {
      if (root) throw new Error(`a second root element <${name}>`);
      root = name;
    }
    if (!selfClosing) stack.push(name);
  }
  if (!root || stack.length > 0) throw new Error(`unclosed elements: ${stack.join(", ") || "no root"}`);
  return root;
}
