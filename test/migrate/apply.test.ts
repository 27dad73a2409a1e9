import { appendFileSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../core/config.ts";
import { applyChanges, diffPlan, formatChanges, planId } from "../../scripts/migrate/apply.ts";
import { makeCandidate } from "../../scripts/migrate/candidate.ts";
import { createValueHasher } from "../../scripts/migrate/hash.ts";
import { openJournal, readJournal, resumeState } from "../../scripts/migrate/journal.ts";
import { planMigration } from "../../scripts/migrate/plan.ts";
import { MemoryStore } from "./memory-store.ts";

const config = parseConfig("org: acme\nregion: eu-west-1\nkms: { alias: alias/k }\nstate: { bucket: acme-state }\nteams: [{ name: payments }]\n", "vaultlift.yaml");
const hasher = createValueHasher(Buffer.alloc(32, 1));
const candidates = ["alpha", "beta", "gamma"].map((key, index) =>
  makeCandidate({ fingerprint: `fp-${key}`, file: ".env", line: index + 1, ruleId: "env", key }, `value-of-${key}-0123456789`),
);
const plan = planMigration(candidates, { config, parts: { env: "prod", app: "api" }, hasher, now: new Date(0) });

function setup() {
  const stores = { secretsmanager: new MemoryStore("secretsmanager"), ssm: new MemoryStore("ssm") };
  const dir = mkdtempSync(path.join(tmpdir(), "vaultlift-apply-"));
  return { stores, journalFile: path.join(dir, "journal.jsonl") };
}

describe("apply", () => {
  it("creates, then a re-run of the same plan writes nothing", async () => {
    const { stores, journalFile } = setup();
    const first = await diffPlan(plan, stores);
    expect(formatChanges(first)).toBe("[create] /acme/payments/prod/api/alpha\n[create] /acme/payments/prod/api/beta\n[create] /acme/payments/prod/api/gamma\n");
    const report = await applyChanges(first, plan, { stores, hasher, concurrency: 2, journal: openJournal(journalFile, "r1") });
    expect(report).toMatchObject({ created: 3, modified: 0, unchanged: 0, verified: 3, failed: [] });
    stores.secretsmanager.calls.length = 0;
    const second = await diffPlan(plan, stores);
    expect(second.map((change) => change.kind)).toEqual(["no change", "no change", "no change"]);
    await applyChanges(second, plan, { stores, hasher, concurrency: 2 });
    expect(stores.secretsmanager.calls).toEqual(["readMany:3"]);
    const journal = readFileSync(journalFile, "utf8");
    for (const candidate of candidates) expect(journal).not.toContain(candidate.value);
    expect(statSync(journalFile).mode & 0o777).toBe(0o600);
  });

  it("marks a changed value [modified] and a retried write reuses its token", async () => {
    const { stores } = setup();
    await stores.secretsmanager.write("/acme/payments/prod/api/beta", "old", { clientRequestToken: "t".repeat(32) });
    const changes = await diffPlan(plan, stores);
    expect(changes.map((change) => change.kind)).toEqual(["create", "modified", "create"]);
    const token = hasher.token("/acme/payments/prod/api/beta", plan.targets[1]!.valueHash, "t".repeat(32));
    expect(token).toMatch(/^[0-9a-f]{40}$/);
    await applyChanges(changes, plan, { stores, hasher, concurrency: 1 });
    // The same write again (a retry after a lost response) is the same version.
    await stores.secretsmanager.write("/acme/payments/prod/api/beta", plan.targets[1]!.value, { clientRequestToken: token });
    expect(stores.secretsmanager.history.get("/acme/payments/prod/api/beta")?.map((version) => version.versionId)).toEqual(["t".repeat(32), token]);
  });

  it("reports failures with reasons, stops on abort, and the journal tells what is left", async () => {
    const { stores, journalFile } = setup();
    stores.secretsmanager.failWrites.add("/acme/payments/prod/api/alpha");
    const controller = new AbortController();
    const journal = openJournal(journalFile, "r1");
    const report = await applyChanges(await diffPlan(plan, stores), plan, {
      stores,
      hasher,
      concurrency: 1,
      journal,
      signal: controller.signal,
      onProgress: (done) => {
        if (done === 2) controller.abort();
      },
    });
    expect(report.failed).toEqual([{ name: "/acme/payments/prod/api/alpha", store: "secretsmanager", reason: "InternalServiceError: simulated failure" }]);
    expect(report).toMatchObject({ created: 1, interrupted: true, notStarted: 1 });
    const state = resumeState(readJournal(journalFile), planId(plan));
    expect(state.verified.size).toBe(1);
    expect(state.inFlight.size).toBe(0);
  });

  it("a journal torn by a crash mid-line still tells what was verified and what was in flight", async () => {
    const { stores, journalFile } = setup();
    const journal = openJournal(journalFile, "r1");
    journal.record({ event: "start", plan: planId(plan), targets: 3 });
    for (const [index, target] of plan.targets.entries()) {
      const at = { store: target.store, name: target.name, valueHash: target.valueHash };
      journal.record({ event: "write", ...at, token: "t" });
      if (index === 0) journal.record({ event: "verified", ...at });
    }
    appendFileSync(journalFile, '{"at":"2026-01-01T00:00:00Z","run":"r1","event":"writ');
    const state = resumeState(readJournal(journalFile), planId(plan));
    expect(state).toMatchObject({ run: "r1" });
    expect([state.verified.size, state.inFlight.size]).toEqual([1, 2]);
    expect(resumeState(readJournal(journalFile), "another-plan").run).toBeUndefined();
    expect(stores.secretsmanager.calls).toEqual([]);
  });
});
