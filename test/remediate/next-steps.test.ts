import { describe, expect, it } from "vitest";
import { parseConfig } from "../../core/config.ts";
import { makeCandidate, type Candidate } from "../../scripts/migrate/candidate.ts";
import { createValueHasher } from "../../scripts/migrate/hash.ts";
import { planMigration, planToJson } from "../../scripts/migrate/plan.ts";
import { nextSteps } from "../../scripts/remediate/next-steps.ts";

const config = parseConfig(
  ["org: acme", "region: eu-west-1", "environments: [prod]", "kms: { alias: alias/acme-secrets }", "state: { bucket: acme-state }", "teams: [{ name: payments }]"].join("\n"),
  "vaultlift.yaml",
);
const hasher = createValueHasher(Buffer.alloc(32, 9));
const candidate = (fingerprint: string, value: string, extra: Partial<Candidate>) => makeCandidate({ fingerprint, file: ".env", line: 1, ruleId: "generic-api-key", ...extra }, value);

describe("values migrate leaves out because they are exposed", () => {
  const plan = planMigration(
    [
      candidate("now", "Current-Token-Value-91", { key: "API_TOKEN" }),
      candidate("gone", "Deleted-Token-Value-17", { file: "old.env", key: "OLD_TOKEN", commit: "a".repeat(40), historyOnly: true }),
      candidate("gone-again", "Deleted-Token-Value-17", { file: "old.env", key: "OLD_TOKEN", commit: "b".repeat(40), historyOnly: true }),
      candidate("older", "Older-Search-Key-Value-3", { file: "s3://vault/search.env", key: "SEARCH_KEY", versionId: "v1", superseded: true }),
    ],
    { config, parts: { team: "payments", env: "prod", app: "api" }, hasher, now: new Date("2026-12-01T00:00:00Z") },
  );

  it("are skipped with the name they would have had and their keyed hash, never their value", () => {
    expect(plan.targets.map((target) => target.name)).toEqual(["/acme/payments/prod/api/api-token"]);
    const exposed = plan.skipped.map((skip) => skip.exposed);
    expect(exposed).toEqual([
      { name: "/acme/payments/prod/api/old-token", store: "secretsmanager", valueHash: hasher.hash("Deleted-Token-Value-17"), why: "history" },
      { name: "/acme/payments/prod/api/old-token", store: "secretsmanager", valueHash: hasher.hash("Deleted-Token-Value-17"), why: "history" },
      { name: "/acme/payments/prod/api/search-key", store: "secretsmanager", valueHash: hasher.hash("Older-Search-Key-Value-3"), why: "version" },
    ]);
    expect(planToJson(plan)).not.toContain("Deleted-Token-Value-17");
  });

  it("count once each among the secrets to rotate in the next steps", () => {
    expect(nextSteps(plan, ["."])).toContain("  rotate 2 exposed secret(s) (1 in git history, 1 in older object versions), and any in files ever committed");
  });
});
