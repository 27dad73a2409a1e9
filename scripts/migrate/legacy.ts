/**
 * Parsers for the legacy vault formats found in S3 "vault" buckets: Python scripts that
 * push values with `put_ssm_parameter(name, value[, type])` or boto3
 * `put_parameter(Name=..., Value=...)`, Terraform `aws_secretsmanager_secret_version`
 * and `aws_ssm_parameter` literals, and .env / JSON / YAML key-value files. Each turns
 * text into named entries; only literal values count (a variable is not a secret here).
 */
import path from "node:path";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, type Node } from "yaml";
import { parseDotenv } from "../../core/dotenv.ts";

export type LegacyFormat = "python" | "terraform" | "env" | "json" | "yaml" | "kubernetes";
export type ParameterType = "String" | "StringList" | "SecureString";
const PARAMETER_TYPES: readonly string[] = ["String", "StringList", "SecureString"];

export interface LegacyEntry {
  format: LegacyFormat;
  /** 1-based line of the value. */
  line: number;
  /** The name the legacy code gave the secret, e.g. `/prod/payments/db_password`. */
  originalName?: string;
  /** The key, label or variable it was assigned to. */
  key?: string;
  /** The SSM type the legacy code declared. */
  type?: ParameterType;
  /** `SsmParameterUpdater('myapp-dev', ...)`: the app and environment the script pushes to. */
  scope?: { app?: string; env?: string };
  value: string;
}

/** Picks the parser from the file name, then from the content; undefined when none fits. */
export function detectFormat(file: string, text: string): LegacyFormat | undefined {
  const base = path.posix.basename(file).toLowerCase();
  if (base.endsWith(".py")) return "python";
  if (base.endsWith(".tf")) return "terraform";
  if (base === ".env" || base.startsWith(".env.") || base.endsWith(".env")) return "env";
  if (base.endsWith(".json")) return "json";
  if (base.endsWith(".yaml") || base.endsWith(".yml")) return isKubernetesSecret(text) ? "kubernetes" : "yaml";
  if (/\b(put_ssm_parameter|put_parameter)\s*\(/.test(text)) return "python";
  return undefined;
}

export function parseLegacy(file: string, text: string): LegacyEntry[] {
  switch (detectFormat(file, text)) {
    case "python":
      return parsePythonCalls(text);
    case "terraform":
      return parseTerraform(text);
    case "env":
      return parseEnvFile(text);
    case "json":
      return parseKeyValueDocument(text, "json");
    case "yaml":
      return parseKeyValueDocument(text, "yaml");
    case "kubernetes":
      return parseKubernetesSecrets(text);
    default:
      return [];
  }
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf("\n"); index !== -1 && index < offset; index = text.indexOf("\n", index + 1)) line += 1;
  return line;
}

// Python

interface PyArg {
  keyword?: string;
  /** The literal string value, or undefined when the argument is not a plain string literal. */
  literal?: string;
  offset: number;
}

/** `put_ssm_parameter('/name', 'value', 'SecureString')` and `ssm.put_parameter(Name='/name', Value='value')`. */
export function parsePythonCalls(text: string): LegacyEntry[] {
  const entries: LegacyEntry[] = [];
  const call = /\b(put_ssm_parameter|put_parameter)\s*\(/g;
  for (let match = call.exec(text); match; match = call.exec(text)) {
    if (/\bdef\s+$/.test(text.slice(Math.max(0, match.index - 8), match.index))) continue;
    const args = readPythonArgs(text, match.index + match[0].length);
    if (!args) continue;
    const named = (...names: string[]) => args.find((arg) => arg.keyword !== undefined && names.includes(arg.keyword.toLowerCase()));
    const positional = args.filter((arg) => arg.keyword === undefined);
    const nameArg = named("name", "parameter_name", "key") ?? (match[1] === "put_ssm_parameter" ? positional[0] : undefined);
    const valueArg = named("value", "parameter_value") ?? (match[1] === "put_ssm_parameter" ? positional[1] : undefined);
    const typeArg = named("type", "value_type", "parameter_type") ?? (match[1] === "put_ssm_parameter" ? positional[2] : undefined);
    if (nameArg?.literal === undefined || valueArg?.literal === undefined || valueArg.literal === "") continue;
    const type = typeArg?.literal !== undefined && PARAMETER_TYPES.includes(typeArg.literal) ? (typeArg.literal as ParameterType) : undefined;
    entries.push({ format: "python", line: lineAt(text, valueArg.offset), originalName: nameArg.literal, ...(type ? { type } : {}), value: valueArg.literal });
  }
  const scope = updaterScope(text);
  return scope ? entries.map((entry) => ({ ...entry, scope })) : entries;
}

/** `SsmParameterUpdater('myapp-dev', ...)`: a prefix `APP-ENV` naming where the script pushes. */
export function updaterScope(text: string): { app?: string; env?: string } | undefined {
  const prefix = /\b[A-Za-z]*Updater\s*\(\s*(?:prefix\s*=\s*)?["']([A-Za-z0-9_.-]+)["']/.exec(text)?.[1];
  if (!prefix) return undefined;
  const at = prefix.lastIndexOf("-");
  return at > 0 ? { app: prefix.slice(0, at), env: prefix.slice(at + 1) } : { app: prefix };
}

/** Reads a call's arguments up to the closing parenthesis; undefined when unbalanced. */
function readPythonArgs(text: string, start: number): PyArg[] | undefined {
  const args: PyArg[] = [];
  let index = start;
  let current: { keyword?: string; parts: (string | undefined)[]; offset: number } = { parts: [], offset: start };
  let depth = 0;
  const finish = () => {
    if (current.parts.length > 0 || current.keyword !== undefined) {
      const literal = current.parts.length > 0 && current.parts.every((part) => part !== undefined) ? current.parts.join("") : undefined;
      args.push({ ...(current.keyword !== undefined ? { keyword: current.keyword } : {}), ...(literal !== undefined ? { literal } : {}), offset: current.offset });
    }
  };
  while (index < text.length) {
    const char = text[index] as string;
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    if (char === "#") {
      const end = text.indexOf("\n", index);
      index = end === -1 ? text.length : end;
      continue;
    }
    const stringStart = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(text.slice(index, index + 5));
    if (stringStart) {
      const prefix = (stringStart[1] as string).toLowerCase();
      const quote = stringStart[2] as string;
      const bodyStart = index + stringStart[0].length;
      const read = readPythonString(text, bodyStart, quote, prefix.includes("r"));
      if (!read) return undefined;
      if (depth === 0) {
        if (current.parts.length === 0) current.offset = bodyStart;
        current.parts.push(prefix.includes("f") && read.value.includes("{") ? undefined : read.value);
      }
      index = read.end;
      continue;
    }
    if (char === "(" || char === "[" || char === "{") {
      if (depth === 0) current.parts.push(undefined);
      depth += 1;
      index += 1;
      continue;
    }
    if (char === ")" || char === "]" || char === "}") {
      if (depth === 0) {
        finish();
        return args;
      }
      depth -= 1;
      index += 1;
      continue;
    }
    if (depth === 0 && char === ",") {
      finish();
      current = { parts: [], offset: index + 1 };
      index += 1;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(index, index + 64));
    if (depth === 0 && word && current.parts.length === 0 && current.keyword === undefined && /^\s*=(?!=)/.test(text.slice(index + word[0].length))) {
      current.keyword = word[0];
      index += word[0].length;
      index = text.indexOf("=", index) + 1;
      continue;
    }
    if (depth === 0) current.parts.push(undefined);
    index += word ? word[0].length : 1;
  }
  return undefined;
}

const PY_ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0" };

function readPythonString(text: string, start: number, quote: string, raw: boolean): { value: string; end: number } | undefined {
  let value = "";
  let index = start;
  while (index < text.length) {
    if (text.startsWith(quote, index)) return { value, end: index + quote.length };
    const char = text[index] as string;
    if (char === "\n" && quote.length === 1) return undefined;
    if (char === "\\" && index + 1 < text.length) {
      const next = text[index + 1] as string;
      value += raw ? char + next : (PY_ESCAPES[next] ?? char + next);
      index += 2;
      continue;
    }
    value += char;
    index += 1;
  }
  return undefined;
}

// Terraform (just enough HCL for resource blocks with literal attributes)

type Token = { type: "ident" | "string" | "number" | "punct" | "newline" | "other"; text: string; offset: number; interpolated?: boolean };

type Expr =
  | { kind: "literal"; value: string; offset: number; type?: "number" | "bool" }
  | { kind: "object"; entries: Map<string, Expr>; offset: number }
  | { kind: "call"; name: string; args: Expr[]; offset: number }
  | { kind: "reference"; text: string; offset: number }
  | { kind: "other"; offset: number };

interface Block {
  type: string;
  labels: string[];
  attributes: Map<string, Expr>;
  blocks: Block[];
}

function tokenizeHcl(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index] as string;
    const rest = text.slice(index, index + 3);
    if (char === "\n") {
      tokens.push({ type: "newline", text: char, offset: index });
      index += 1;
    } else if (/\s/.test(char)) {
      index += 1;
    } else if (char === "#" || rest.startsWith("//")) {
      const end = text.indexOf("\n", index);
      index = end === -1 ? text.length : end;
    } else if (rest.startsWith("/*")) {
      const end = text.indexOf("*/", index + 2);
      index = end === -1 ? text.length : end + 2;
    } else if (char === '"') {
      const read = readHclString(text, index + 1);
      tokens.push({ type: "string", text: read.value, offset: index + 1, interpolated: read.interpolated });
      index = read.end;
    } else if (rest.startsWith("<<")) {
      const heading = /^<<-?([A-Za-z_][A-Za-z0-9_]*)[^\n]*\n/.exec(text.slice(index));
      if (!heading) {
        tokens.push({ type: "other", text: "<<", offset: index });
        index += 2;
        continue;
      }
      const bodyStart = index + heading[0].length;
      const close = new RegExp(`^[ \\t]*${heading[1]}[ \\t]*$`, "m").exec(text.slice(bodyStart));
      const bodyEnd = close ? bodyStart + close.index : text.length;
      const body = text.slice(bodyStart, bodyEnd);
      tokens.push({ type: "string", text: body.replace(/\n$/, ""), offset: bodyStart, interpolated: /(^|[^$])\$\{/.test(body) });
      index = close ? bodyEnd + close[0].length : text.length;
    } else if (/[A-Za-z_]/.test(char)) {
      const word = /^[A-Za-z_][A-Za-z0-9_.\-*[\]]*/.exec(text.slice(index)) as RegExpExecArray;
      const clean = word[0].replace(/[.[]+$/, "");
      tokens.push({ type: "ident", text: clean, offset: index });
      index += clean.length || 1;
    } else if (/[0-9]/.test(char)) {
      const number = /^[0-9][0-9.eE+-]*/.exec(text.slice(index)) as RegExpExecArray;
      tokens.push({ type: "number", text: number[0], offset: index });
      index += number[0].length;
    } else if ("{}()[]=,:".includes(char)) {
      tokens.push({ type: "punct", text: char, offset: index });
      index += 1;
    } else {
      tokens.push({ type: "other", text: char, offset: index });
      index += 1;
    }
  }
  return tokens;
}

function readHclString(text: string, start: number): { value: string; end: number; interpolated: boolean } {
  let value = "";
  let interpolated = false;
  let index = start;
  while (index < text.length && text[index] !== '"' && text[index] !== "\n") {
    const char = text[index] as string;
    if (char === "\\") {
      const next = text[index + 1] ?? "";
      if (next === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(index + 2, index + 6))) {
        value += String.fromCharCode(Number.parseInt(text.slice(index + 2, index + 6), 16));
        index += 6;
        continue;
      }
      value += PY_ESCAPES[next] ?? next;
      index += 2;
      continue;
    }
    if ((char === "$" || char === "%") && text[index + 1] === "{") {
      if (text[index - 1] !== char) interpolated = true;
    }
    if ((char === "$" || char === "%") && text[index + 1] === char && text[index + 2] === "{") {
      value += char + "{";
      index += 3;
      continue;
    }
    value += char;
    index += 1;
  }
  return { value, end: index + 1, interpolated };
}

class HclParser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private skipNewlines(): void {
    while (this.peek()?.type === "newline") this.index += 1;
  }

  private is(text: string): boolean {
    const token = this.peek();
    return token !== undefined && token.type === "punct" && token.text === text;
  }

  body(): Block[] {
    const blocks: Block[] = [];
    this.bodyInto({ type: "", labels: [], attributes: new Map(), blocks });
    return blocks;
  }

  private bodyInto(block: Block): void {
    for (;;) {
      this.skipNewlines();
      const token = this.peek();
      if (!token || this.is("}")) return;
      this.index += 1;
      if (token.type !== "ident") continue;
      if (this.is("=")) {
        this.index += 1;
        block.attributes.set(token.text, this.expression());
        continue;
      }
      const labels: string[] = [];
      while (this.peek()?.type === "string" || this.peek()?.type === "ident") labels.push((this.tokens[this.index++] as Token).text);
      if (!this.is("{")) continue;
      this.index += 1;
      const child: Block = { type: token.text, labels, attributes: new Map(), blocks: [] };
      this.bodyInto(child);
      if (this.is("}")) this.index += 1;
      block.blocks.push(child);
    }
  }

  private expression(): Expr {
    const primary = this.primary();
    const next = this.peek();
    const ends = !next || next.type === "newline" || (next.type === "punct" && ",})]".includes(next.text));
    if (ends) return primary;
    this.skipExpressionRest();
    return { kind: "other", offset: primary.offset };
  }

  private primary(): Expr {
    this.skipNewlines();
    const token = this.peek();
    if (!token) return { kind: "other", offset: 0 };
    if (token.type === "string") {
      this.index += 1;
      return token.interpolated ? { kind: "other", offset: token.offset } : { kind: "literal", value: token.text, offset: token.offset };
    }
    if (token.type === "number") {
      this.index += 1;
      return { kind: "literal", value: token.text, offset: token.offset, type: "number" };
    }
    if (token.type === "ident") {
      this.index += 1;
      if (this.is("(")) {
        this.index += 1;
        const args: Expr[] = [];
        for (;;) {
          this.skipNewlines();
          if (!this.peek() || this.is(")")) break;
          args.push(this.expression());
          this.skipNewlines();
          if (this.is(",")) this.index += 1;
        }
        if (this.is(")")) this.index += 1;
        return { kind: "call", name: token.text, args, offset: token.offset };
      }
      if (token.text === "true" || token.text === "false") return { kind: "literal", value: token.text, offset: token.offset, type: "bool" };
      return { kind: "reference", text: token.text, offset: token.offset };
    }
    if (token.type === "punct" && token.text === "{") {
      this.index += 1;
      const entries = new Map<string, Expr>();
      for (;;) {
        this.skipNewlines();
        const key = this.peek();
        if (!key || this.is("}")) break;
        this.index += 1;
        if (!(key.type === "ident" || key.type === "string")) continue;
        if (!(this.is("=") || this.is(":"))) continue;
        this.index += 1;
        entries.set(key.text, this.expression());
        if (this.is(",")) this.index += 1;
      }
      if (this.is("}")) this.index += 1;
      return { kind: "object", entries, offset: token.offset };
    }
    this.skipExpressionRest();
    return { kind: "other", offset: token.offset };
  }

  /** Skips to the end of an expression we do not understand: a newline, comma or closing bracket at depth 0. */
  private skipExpressionRest(): void {
    let depth = 0;
    for (let token = this.peek(); token; token = this.peek()) {
      if (token.type === "punct" && "{([".includes(token.text)) depth += 1;
      else if (token.type === "punct" && "})]".includes(token.text)) {
        if (depth === 0) return;
        depth -= 1;
      } else if (depth === 0 && (token.type === "newline" || (token.type === "punct" && token.text === ","))) return;
      this.index += 1;
    }
  }
}

/** Terraform's jsonencode of an object of literals: keys sorted, as Terraform renders it; undefined when any value is not a literal. */
function jsonencodeLiteral(expr: Expr): string | undefined {
  const toJson = (node: Expr): unknown => {
    if (node.kind === "literal") return node.type === "number" ? Number(node.value) : node.type === "bool" ? node.value === "true" : node.value;
    if (node.kind === "object") {
      const object: Record<string, unknown> = {};
      for (const key of [...node.entries.keys()].sort()) {
        const value = toJson(node.entries.get(key) as Expr);
        if (value === undefined) return undefined;
        object[key] = value;
      }
      return object;
    }
    return undefined;
  };
  const value = toJson(expr);
  return value === undefined ? undefined : JSON.stringify(value);
}

function literalOf(expr: Expr | undefined): string | undefined {
  return expr?.kind === "literal" ? expr.value : undefined;
}

/** `aws_secretsmanager_secret_version.secret_string` (a literal or `jsonencode({...})`) and `aws_ssm_parameter.value`. */
export function parseTerraform(text: string): LegacyEntry[] {
  const blocks = new HclParser(tokenizeHcl(text)).body().filter((block) => block.type === "resource" && block.labels.length === 2);
  const secretNames = new Map<string, string>();
  for (const block of blocks) {
    const name = literalOf(block.attributes.get("name"));
    if (block.labels[0] === "aws_secretsmanager_secret" && name) secretNames.set(block.labels[1] as string, name);
  }
  const entries: LegacyEntry[] = [];
  for (const block of blocks) {
    const [type, label] = block.labels as [string, string];
    if (type === "aws_secretsmanager_secret_version") {
      const expr = block.attributes.get("secret_string");
      if (!expr) continue;
      const value = expr.kind === "call" && expr.name === "jsonencode" && expr.args.length === 1 ? jsonencodeLiteral(expr.args[0] as Expr) : literalOf(expr);
      if (value === undefined || value === "") continue;
      const secretId = block.attributes.get("secret_id");
      const reference = secretId?.kind === "reference" ? /^aws_secretsmanager_secret\.([A-Za-z0-9_-]+)\./.exec(secretId.text)?.[1] : undefined;
      const originalName = reference !== undefined ? secretNames.get(reference) : literalOf(secretId);
      entries.push({
        format: "terraform",
        line: lineAt(text, expr.offset),
        key: reference ?? label,
        ...(originalName && !originalName.startsWith("arn:") ? { originalName } : {}),
        value,
      });
    }
    if (type === "aws_ssm_parameter") {
      const expr = block.attributes.get("value") ?? block.attributes.get("insecure_value");
      const value = literalOf(expr);
      if (!expr || value === undefined || value === "") continue;
      const originalName = literalOf(block.attributes.get("name"));
      const declared = literalOf(block.attributes.get("type"));
      const parameterType = declared !== undefined && PARAMETER_TYPES.includes(declared) ? { type: declared as ParameterType } : {};
      entries.push({ format: "terraform", line: lineAt(text, expr.offset), key: label, ...(originalName ? { originalName } : {}), ...parameterType, value });
    }
  }
  return entries;
}

// .env, JSON and YAML

/** `.env` files as core/dotenv.ts reads them; lines it cannot read and empty values hold nothing to migrate. */
export function parseEnvFile(text: string): LegacyEntry[] {
  return parseDotenv(text).entries.flatMap(({ key, value, line }) => (value === "" ? [] : [{ format: "env" as const, line, key, value }]));
}

/**
 * Key/value documents: every string or number leaf becomes an entry keyed by its dotted
 * path; a map with `name` and `value` (a common vault layout) is one entry with that name.
 */
export function parseKeyValueDocument(text: string, format: "json" | "yaml"): LegacyEntry[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  if (doc.errors.length > 0) return [];
  const entries: LegacyEntry[] = [];
  const lineOf = (node: Node) => lineCounter.linePos(node.range?.[0] ?? 0).line;
  const scalarText = (node: unknown): string | undefined =>
    isScalar(node) && (typeof node.value === "string" || typeof node.value === "number") ? String(node.value) : undefined;
  const walk = (node: unknown, keyPath: string[]): void => {
    if (isSeq(node)) {
      node.items.forEach((item) => {
        if (isMap(item)) walk(item, keyPath);
      });
      return;
    }
    if (!isMap(node)) return;
    const fields = new Map<string, unknown>();
    for (const pair of node.items) if (isPair(pair) && isScalar(pair.key)) fields.set(String(pair.key.value).toLowerCase(), pair.value);
    const name = scalarText(fields.get("name"));
    const valueNode = fields.get("value");
    const value = scalarText(valueNode);
    if (name !== undefined && value !== undefined && fields.size <= 4) {
      if (value !== "") entries.push({ format, line: lineOf(valueNode as Node), originalName: name, value });
      return;
    }
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const leaf = scalarText(pair.value);
      if (leaf !== undefined) {
        if (leaf === "") continue;
        const named = key.startsWith("/") ? { originalName: key } : { key: [...keyPath, key].join(".") };
        entries.push({ format, line: lineOf(pair.value as Node), ...named, value: leaf });
      } else {
        walk(pair.value, [...keyPath, key]);
      }
    }
  };
  walk(doc.contents, []);
  return entries;
}

// Kubernetes Secrets

export function isKubernetesSecret(text: string): boolean {
  return /^kind:\s*["']?Secret["']?\s*$/m.test(text) && /^apiVersion:/m.test(text);
}

/**
 * `kind: Secret` manifests: each `data` value is base64 (the format encodes it, so the
 * entry holds the decoded bytes the pod sees), each `stringData` value is taken as is;
 * keyed `SECRET-NAME.KEY`.
 */
export function parseKubernetesSecrets(text: string): LegacyEntry[] {
  const lineCounter = new LineCounter();
  const entries: LegacyEntry[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter })) {
    if (!("contents" in doc) || doc.errors.length > 0 || !isMap(doc.contents)) continue;
    const root = doc.contents;
    if (String(root.get("kind")) !== "Secret") continue;
    const metadata = root.get("metadata");
    const secretName = isMap(metadata) ? String(metadata.get("name") ?? "secret") : "secret";
    for (const field of ["data", "stringData"] as const) {
      const map = root.get(field);
      if (!isMap(map)) continue;
      for (const pair of map.items) {
        if (!isPair(pair) || !isScalar(pair.key) || !isScalar(pair.value)) continue;
        const raw = String(pair.value.value ?? "");
        const value = field === "data" ? Buffer.from(raw.replace(/\s+/g, ""), "base64").toString("utf8") : raw;
        if (value === "") continue;
        entries.push({ format: "kubernetes", line: lineCounter.linePos((pair.value as Node).range?.[0] ?? 0).line, key: `${secretName}.${String(pair.key.value)}`, value });
      }
    }
  }
  return entries;
}
