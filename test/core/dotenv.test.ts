import { describe, expect, it } from "vitest";
import { parseDotenv } from "../../core/dotenv.ts";
import { parseEnvFile as parseExecEnvFile } from "../../scripts/exec/environment.ts";
import { parseEnvFile as parseLegacyEnvFile } from "../../scripts/migrate/legacy.ts";

/** The cases where `exec --env-file` and migrate's vault `.env` reader used to disagree. */
const FILE = [
  "\uFEFF# comment",
  "export DB_PASSWORD='p@ss word'",
  "export\tTABBED=tab-export",
  "API_KEY=abc123 # trailing",
  "HASH=abc#123",
  'ESCAPED="a\\nb\\t\\"c\\" \\\\ \\$HOME \\x"',
  "SINGLE='no \\n escape # kept'",
  'MULTI="line one',
  "  line two",
  'line three" # closed here',
  "SPACED = spaced value  ",
  "PEM='-----BEGIN KEY-----",
  "abc",
  "-----END KEY-----'",
  "EMPTY=",
  "",
].join("\r\n");

const EXPECTED = [
  { key: "DB_PASSWORD", value: "p@ss word", line: 2 },
  { key: "TABBED", value: "tab-export", line: 3 },
  { key: "API_KEY", value: "abc123", line: 4 },
  { key: "HASH", value: "abc#123", line: 5 },
  { key: "ESCAPED", value: 'a\nb\t"c" \\ $HOME \\x', line: 6 },
  { key: "SINGLE", value: "no \\n escape # kept", line: 7 },
  { key: "MULTI", value: "line one\n  line two\nline three", line: 8 },
  { key: "SPACED", value: "spaced value", line: 11 },
  { key: "PEM", value: "-----BEGIN KEY-----\nabc\n-----END KEY-----", line: 12 },
  { key: "EMPTY", value: "", line: 15 },
];

describe("one dotenv reader for exec, import and migrate", () => {
  it("reads quotes, export, comments, escapes and multi-line values one way", () => {
    expect(parseDotenv(FILE)).toEqual({ entries: EXPECTED, problems: [] });
  });

  it("exec --env-file and migrate's vault .env reader give the same keys, values and lines", () => {
    expect(parseExecEnvFile(FILE, "app.env").map(({ key, value, line }) => ({ key, value, line }))).toEqual(EXPECTED);
    // An empty value holds nothing to migrate.
    expect(parseLegacyEnvFile(FILE)).toEqual(EXPECTED.filter((entry) => entry.value !== "").map((entry) => ({ format: "env", ...entry })));
  });

  it("a line it cannot read is an error naming the line for exec, and passed over by migrate", () => {
    for (const [text, message] of [
      ['A=ok\nTOKEN="abc" junk\n', 'app.env:2: unexpected text after the closing " quote'],
      ["A=ok\nTOKEN='abc\n", "app.env:2: unterminated ' quote"],
      ["A=ok\njust words\n", 'app.env:2: expected KEY=value with KEY of letters, digits, "_", "." and "-"'],
    ] as const) {
      expect(() => parseExecEnvFile(text, "app.env"), text).toThrow(message);
      expect(parseLegacyEnvFile(text), text).toEqual([{ format: "env", line: 1, key: "A", value: "ok" }]);
    }
  });

  it("a dotted key is a vault key for migrate, and no variable name for exec", () => {
    expect(parseLegacyEnvFile("spring.mail.password=m4il-pa55\n")).toEqual([{ format: "env", line: 1, key: "spring.mail.password", value: "m4il-pa55" }]);
    expect(() => parseExecEnvFile("spring.mail.password=m4il-pa55\n", "app.env")).toThrow('app.env:1: spring.mail.password is not an environment variable name (letters, digits and "_")');
  });
});
