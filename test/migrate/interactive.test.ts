import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
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

  it("goes back one step, chooses store and type, raises a collision at once, defaults history-only values to rotate, and saves every answer", async () => {
    const tty = terminal();
    const answersFile = path.join(mkdtempSync(path.join(tmpdir(), "vaultlift-answers-")), "answers.json");
    const session = [
      makeCandidate({ fingerprint: "fp-a", file: "a.env", line: 1, ruleId: "legacy-env", key: "TOKEN" }, "token-value-one-111"),
      makeCandidate({ fingerprint: "fp-b", file: "b.env", line: 1, ruleId: "legacy-env", key: "TOKEN" }, "token-value-two-222"),
      makeCandidate({ fingerprint: "fp-old", file: "old.env", line: 1, ruleId: "legacy-env", key: "OLD_KEY", commit: "c0ffee", historyOnly: true }, "old-exposed-value-333"),
    ];
    const answers = decideInteractively(session, { ...options(tty.context), answersFile });
    let at = await tty.waitFor("[1/3]");
    tty.press(ENTER);
    at = await tty.waitFor("[2/3]", at);
    tty.press(`${DOWN.repeat(6)}${ENTER}`);
    at = await tty.waitFor("[1/3]", at);
    expect(existsSync(answersFile)).toBe(true);
    tty.press(`${DOWN.repeat(4)}${ENTER}`);
    at = await tty.waitFor("Where should it go?", at);
    tty.press(`${DOWN}${DOWN}${ENTER}`);
    at = await tty.waitFor("[2/3]", at);
    tty.press(ENTER);
    at = await tty.waitFor("from a.env:1. What now?", at);
    tty.press(`${DOWN}${ENTER}`);
    await tty.waitFor("[3/3]", at);
    expect(tty.screen()).toContain("found only in history: it is exposed");
    tty.press(ENTER);
    const result = await answers;
    expect(Object.fromEntries(result.decisions)).toEqual({
      "fp-a": { action: "import", store: "ssm", type: "String" },
      "fp-b": { action: "skip", reason: "merged into /acme/payments/prod/api/token" },
      "fp-old": { action: "skip", reason: "to rotate, not imported" },
    });
    const saved = readFileSync(answersFile, "utf8");
    for (const candidate of session) expect(saved).not.toContain(candidate.value);
    expect(JSON.parse(saved).answers["fp-b"]).toEqual({ action: "skip", reason: "merged into /acme/payments/prod/api/token" });
  });

  it("offers the structured database secret for a database URI", async () => {
    const tty = terminal();
    const uri = makeCandidate({ fingerprint: "fp-url", file: ".env", line: 1, ruleId: "uri-password", key: "DATABASE_URL" }, "postgres://app:Pa55-w0rd@db:5432/app");
    const answers = decideInteractively([uri], options(tty.context));
    const at = await tty.waitFor("[1/1]");
    tty.press(`${DOWN.repeat(4)}${ENTER}`);
    await tty.waitFor("structured database secret", at);
    tty.press(`${DOWN}${ENTER}`);
    expect((await answers).decisions.get("fp-url")).toEqual({ action: "import", store: "secretsmanager", format: "database-json" });
  });

  it("a second session asks only what the first left unanswered", async () => {
    const tty = terminal();
    const answersFile = path.join(mkdtempSync(path.join(tmpdir(), "vaultlift-answers-")), "answers.json");
    const first = decideInteractively(candidates, { ...options(tty.context), answersFile }).catch((error: unknown) => error);
    const at = await tty.waitFor("[1/3]");
    tty.press(ENTER);
    await tty.waitFor("[2/3]", at);
    tty.press("\x03");
    expect(isPromptExit(await first)).toBe(true);
    const again = terminal();
    const second = decideInteractively(candidates, { ...options(again.context), answersFile });
    await again.waitFor("[1/2]");
    expect(again.screen()).toContain("API_KEY");
    again.press(`${DOWN}${ENTER}`);
    await again.waitFor("[2/2]");
    again.press(`${DOWN}${ENTER}`);
    const result = await second;
    expect(result.resumed).toBe(1);
    expect(result.decisions.get("fp-db")).toEqual({ action: "import", name: "/acme/payments/prod/api/db-password", store: "secretsmanager" });
    expect(result.decisions.get("fp-api")).toEqual({ action: "skip", reason: "skipped interactively" });
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

  it("with 20,000 candidates, works out each answered target once: a collision is found by lookup, not by walking every answer", async () => {
    const distinct = Array.from({ length: 10_000 }, (_, index) =>
      makeCandidate({ fingerprint: `fp-${index}`, file: ".env", line: index + 1, ruleId: "dotenv", key: `KEY_${index}` }, `value-${index}-0123456789`),
    );
    // One value found in 10,000 places is one group.
    const shared = Array.from({ length: 10_000 }, (_, index) =>
      makeCandidate({ fingerprint: `fp-shared-${index}`, file: `app-${index}/.env`, line: 1, ruleId: "dotenv", key: "SHARED_TOKEN" }, "one-shared-value-0123456789"),
    );
    const answersFile = path.join(mkdtempSync(path.join(tmpdir(), "vaultlift-answers-")), "answers.json");
    const saved = Object.fromEntries(distinct.slice(3).map((candidate) => [candidate.fingerprint, { action: "import", name: `/acme/payments/prod/api/k-${candidate.key}`, store: "secretsmanager" }]));
    writeFileSync(answersFile, JSON.stringify({ version: 1, answers: saved }));
    let targets = 0;
    const tty = terminal();
    const started = Date.now();
    const answers = decideInteractively([...distinct, ...shared], {
      ...options(tty.context),
      // The first value's suggestion is the name the last resumed answer holds.
      suggest: (candidate) => ({ name: candidate.key === "KEY_0" ? "/acme/payments/prod/api/k-KEY_9999" : `/acme/payments/prod/api/fresh-${candidate.key}`, store: "secretsmanager" }),
      target: (_candidate, decision) => {
        targets += 1;
        return decision.action === "import" && decision.name ? { name: decision.name, store: decision.store ?? "secretsmanager" } : "not imported";
      },
      answersFile,
    });
    let at = await tty.waitFor("[1/4]");
    tty.press(ENTER);
    at = await tty.waitFor("k-KEY_9999 (secretsmanager) is already the name of a", at);
    expect(tty.screen()).toContain(".env:10000");
    tty.press(`${DOWN}${DOWN}${ENTER}`);
    for (const step of ["[2/4]", "[3/4]", "[4/4]"]) {
      at = await tty.waitFor(step, at);
      tty.press(ENTER);
    }
    const result = await answers;
    expect(result.resumed).toBe(9_997);
    expect(result.decisions.size).toBe(20_000);
    expect(result.decisions.get("fp-0")).toEqual({ action: "skip", reason: "skipped interactively" });
    expect(result.decisions.get("fp-shared-9999")).toEqual({ action: "import", name: "/acme/payments/prod/api/fresh-SHARED_TOKEN", store: "secretsmanager" });
    // Once per resumed group, and a few for each asked one: linear in the number of groups.
    expect(targets).toBeLessThanOrEqual(9_997 + 4 * 3);
    process.stderr.write(`interactive, 20,000 candidates (10,001 groups): ${Date.now() - started} ms\n`);
  });
});
