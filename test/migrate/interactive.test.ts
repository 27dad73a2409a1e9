import { PassThrough, Writable } from "node:stream";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { makeCandidate } from "../../scripts/migrate/candidate.ts";
import { confirmApply, decideInteractively, isPromptExit, type InteractiveOptions } from "../../scripts/migrate/interactive.ts";

/** A terminal for the real prompts: keys go in through `input`, the screen collects in `text`. */
function terminal() {
  const input = new PassThrough();
  let text = "";
  const output = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  // Each prompt ends its output stream when done; the terminal stays open for the next one.
  output.end = (() => output) as typeof output.end;
  return {
    context: { input, output },
    screen: () => stripVTControlCharacters(text),
    async waitFor(needle: string, from = 0) {
      const deadline = Date.now() + 5_000;
      while (!stripVTControlCharacters(text.slice(from)).includes(needle)) {
        if (Date.now() > deadline) throw new Error(`never saw "${needle}" on screen:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return text.length;
    },
    press(keys: string) {
      input.write(keys);
    },
  };
}

const DOWN = "\x1b[B";
const ENTER = "\r";

const candidates = [
  makeCandidate({ fingerprint: "fp-db", file: "s3://vault/ssm-db.py", line: 3, ruleId: "legacy-python", originalName: "/prod/db_password" }, "S3cr3t-db-pa55"),
  makeCandidate({ fingerprint: "fp-db-env", file: ".env", line: 1, ruleId: "dotenv", key: "DB_PASSWORD" }, "S3cr3t-db-pa55"),
  makeCandidate({ fingerprint: "fp-api", file: ".env", line: 2, ruleId: "dotenv", key: "API_KEY" }, "ak_live_0123456789"),
  makeCandidate({ fingerprint: "fp-test", file: "test/fixture.env", line: 1, ruleId: "dotenv", key: "FAKE" }, "not-a-real-secret-00"),
];

const options = (context: InteractiveOptions["context"]): InteractiveOptions => ({
  suggest: (candidate) => ({ name: `/acme/payments/prod/api/${(candidate.key ?? "db-password").toLowerCase().replace(/_/g, "-")}`, store: "secretsmanager" }),
  checkName: (name) => (/^[a-z-]+$/.test(name) || name.startsWith("/acme/") ? undefined : "letters and - only"),
  context,
});

describe("interactive decisions through the real prompts", () => {
  it("asks once per value, shows only redacted values, and supports import, rename and allowlist", async () => {
    const tty = terminal();
    const answers = decideInteractively(candidates, options(tty.context));
    let at = await tty.waitFor("[1/3]");
    expect(tty.screen()).toContain("********(8-16)");
    expect(tty.screen()).toContain("found in s3://vault/ssm-db.py:3");
    expect(tty.screen()).toContain("found in .env:1");
    tty.press(ENTER);
    at = await tty.waitFor("[2/3]", at);
    tty.press(`${DOWN}${DOWN}${ENTER}`);
    at = await tty.waitFor("Name (a full name", at);
    tty.press("Bad Name!");
    tty.press(ENTER);
    at = await tty.waitFor("letters and - only", at);
    tty.press("\x7f".repeat(9));
    tty.press(`stripe-key${ENTER}`);
    await tty.waitFor("[3/3]", at);
    tty.press(`${DOWN}${DOWN}${DOWN}${ENTER}`);
    const result = await answers;
    expect(Object.fromEntries(result.decisions)).toEqual({
      "fp-db": { action: "import", name: "/acme/payments/prod/api/db-password", store: "secretsmanager" },
      "fp-db-env": { action: "import", name: "/acme/payments/prod/api/db-password", store: "secretsmanager" },
      "fp-api": { action: "import", name: "stripe-key", store: "secretsmanager" },
      "fp-test": { action: "allowlist" },
    });
    expect(result.allowlisted.map((candidate) => candidate.fingerprint)).toEqual(["fp-test"]);
    for (const candidate of candidates) expect(tty.screen()).not.toContain(candidate.value);
  });

  it("Ctrl-C ends the session with a prompt-exit error and no decisions", async () => {
    const tty = terminal();
    const answers = decideInteractively(candidates, options(tty.context)).catch((error: unknown) => error);
    await tty.waitFor("[1/3]");
    tty.press("\x03");
    expect(isPromptExit(await answers)).toBe(true);
  });

  it("the confirmation defaults to no", async () => {
    const tty = terminal();
    const answer = confirmApply("Write 2 secret(s) to AWS now?", tty.context);
    await tty.waitFor("Write 2 secret(s)");
    tty.press(ENTER);
    expect(await answer).toBe(false);
  });
});
