import { describe, expect, it } from "vitest";
import { loadConfig } from "../../core/config.ts";
import { migratedFromJournal, type Evidence, type MigratedSecret } from "../../scripts/remediate/evidence.ts";
import type { JournalRecord } from "../../scripts/migrate/journal.ts";
import { formatRemediation, planRemediation } from "../../scripts/remediate/plan.ts";

const config = loadConfig("vaultlift.yaml");
const random = config.secrets.find((secret) => secret.kind === "random");

function evidence(partial: Partial<Evidence>): Evidence {
  return { workingTree: [], history: [], vault: [], repositories: [], values: new Map(), notes: [], ...partial };
}

describe("planRemediation", () => {
  it("a bootstrap random secret is rotated by bumping random.version; a third-party one at the provider", () => {
    expect(random).toBeDefined();
    const migrated = new Map<string, MigratedSecret[]>([
      ["h-random", [{ name: random?.fullName as string, store: "secretsmanager" }]],
      ["h-vendor", [{ name: "/acme/payments/prod/api/vendor-key", store: "secretsmanager" }]],
    ]);
    const plan = planRemediation(
      evidence({
        history: [
          { root: "repo", file: "a.env", line: 1, commit: "a".repeat(40), valueHash: "h-random" },
          { root: "repo", file: "b.env", line: 2, commit: "b".repeat(40), valueHash: "h-vendor" },
        ],
      }),
      migrated,
      config.secrets,
    );
    const rotate = plan.actions.filter((action) => action.action === "rotate");
    expect(rotate.find((action) => action.secret === random?.fullName)?.detail).toContain(`bump secrets[${random?.name}].random.version`);
    expect(rotate.find((action) => action.secret === "/acme/payments/prod/api/vendor-key")?.detail).toContain("issue a new value at the provider");
  });

  it("a value migrated under two names is marked reused; an object version with an unmigrated value is left alone", () => {
    const migrated = new Map<string, MigratedSecret[]>([["h", [{ name: "/acme/a/prod/x/key", store: "ssm" }, { name: "/acme/b/prod/y/key", store: "secretsmanager" }]]]);
    const plan = planRemediation(
      evidence({ vault: [{ root: "s3://v/", bucket: "v", key: "k.env", versionId: "1", isLatest: true, migrated: ["h"], unmigrated: ["other"], exposed: [] }] }),
      migrated,
    );
    expect(plan.deletions).toEqual([]);
    expect(plan.refused[0]?.location).toBe("s3://v/k.env (version 1, current)");
    expect(plan.actions.find((action) => action.action === "rotate")?.location).toContain("migrated under 2 names");
    expect(formatRemediation(plan, "markdown")).toContain("**Left alone:**");
  });

  it("a value migrate left out as exposed is rotated at the provider, and the object version holding it is left alone", () => {
    const at = { at: "2026-12-01T00:00:00.000Z", run: "r-1" };
    const records: JournalRecord[] = [
      { ...at, event: "exposed", store: "secretsmanager", name: "/acme/payments/prod/api/old-key", valueHash: "h-old", why: "version" },
      { ...at, event: "verified", store: "secretsmanager", name: "/acme/payments/prod/api/key", valueHash: "h-new" },
      { ...at, event: "exposed", store: "secretsmanager", name: "/acme/payments/prod/api/other", valueHash: "h-new", why: "history" },
    ];
    const migrated = migratedFromJournal(records);
    // Imported names come first: the reference written in the code is the secret that exists.
    expect(migrated.get("h-new")?.map((secret) => secret.name)).toEqual(["/acme/payments/prod/api/key", "/acme/payments/prod/api/other"]);
    const plan = planRemediation(
      evidence({ vault: [{ root: "s3://v/", bucket: "v", key: "k.env", versionId: "1", isLatest: false, migrated: ["h-new"], unmigrated: ["h-old"], exposed: ["h-old"] }] }),
      migrated,
    );
    expect(plan.deletions).toEqual([]);
    expect(plan.refused[0]?.reason).toContain("1 left out as exposed: rotate them first");
    const rotate = plan.actions.find((action) => action.action === "rotate" && action.secret === "/acme/payments/prod/api/old-key");
    expect(rotate?.location).toBe("only in an older object version (s3://v/k.env)");
    expect(rotate?.detail).toContain("never imported");
    expect(plan.actions.find((action) => action.action === "rotate" && action.secret === "/acme/payments/prod/api/key")?.detail).toContain("secrets update");
  });
});
