/**
 * The one dotenv reader, for `vaultlift exec --env-file`, `secrets import` and the `.env`
 * files migrate finds in a vault: `KEY=value` lines, an optional `export `, `#` comments
 * (a whole line, or after whitespace in an unquoted value), single quotes taken literally,
 * double quotes with `\n \r \t \" \\ \$` escapes, and quoted values that span lines.
 * Lines it cannot read are returned as problems: exec and import refuse them, migrate
 * passes over them.
 */

export interface DotenvEntry {
  key: string;
  value: string;
  /** 1-based line of the key. */
  line: number;
}

export interface DotenvProblem {
  line: number;
  message: string;
}

const ASSIGNMENT = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*/;
const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\", $: "$" };

export function parseDotenv(text: string): { entries: DotenvEntry[]; problems: DotenvProblem[] } {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const entries: DotenvEntry[] = [];
  const problems: DotenvProblem[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const line = index + 1;
    const body = (lines[index] as string).trim();
    if (body === "" || body.startsWith("#")) continue;
    const match = ASSIGNMENT.exec(body);
    if (!match) {
      problems.push({ line, message: 'expected KEY=value with KEY of letters, digits, "_", "." and "-"' });
      continue;
    }
    const key = match[1] as string;
    const rest = body.slice(match[0].length);
    const quote = rest[0];
    if (quote !== '"' && quote !== "'") {
      const comment = rest.search(/\s#/);
      entries.push({ key, value: (comment === -1 ? rest : rest.slice(0, comment)).trimEnd(), line });
      continue;
    }
    const raw = lines[index] as string;
    const quoted = readQuoted(lines, index, raw.length - raw.trimStart().length + match[0].length + 1, quote);
    if ("problem" in quoted) {
      problems.push({ line, message: quoted.problem });
      continue;
    }
    const after = (lines[quoted.endLine] as string).slice(quoted.endColumn).trim();
    if (after !== "" && !after.startsWith("#")) {
      problems.push({ line: quoted.endLine + 1, message: `unexpected text after the closing ${quote} quote` });
    } else {
      entries.push({ key, value: quoted.value, line });
    }
    index = quoted.endLine;
  }
  return { entries, problems };
}

/** A quoted value from `column` (just past the opening quote) to its closing quote, across lines. */
function readQuoted(lines: readonly string[], startLine: number, column: number, quote: string): { value: string; endLine: number; endColumn: number } | { problem: string } {
  let value = "";
  for (let at = startLine, from = column; at < lines.length; at += 1, from = 0) {
    const text = lines[at] as string;
    for (let index = from; index < text.length; index += 1) {
      const char = text[index] as string;
      if (char === quote) return { value, endLine: at, endColumn: index + 1 };
      if (quote === '"' && char === "\\" && index + 1 < text.length) {
        const next = text[(index += 1)] as string;
        value += ESCAPES[next] ?? `\\${next}`;
      } else value += char;
    }
    value += "\n";
  }
  return { problem: `unterminated ${quote} quote` };
}
