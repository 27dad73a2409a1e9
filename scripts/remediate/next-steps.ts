/**
 * The "next steps" block that ends `migrate --apply`: what the migration left behind, from
 * the plan alone (no extra reads), and the `remediate` command that lists every location.
 */
import type { MigrationPlan, PlanSkip } from "../migrate/plan.ts";

export function nextSteps(plan: MigrationPlan, sources: readonly string[], options: { history?: boolean; journal?: string } = {}): string[] {
  const literals = new Set<string>();
  const files = new Set<string>();
  const objects = new Set<string>();
  const reasons = { history: 0, versions: 0, reused: 0 };
  let rotate = 0;
  for (const target of plan.targets) {
    let exposed = false;
    const versionsByObject = new Map<string, Set<string>>();
    for (const source of target.sources) {
      if (source.file.startsWith("s3://")) {
        objects.add(source.file);
        if (source.versionId) versionsByObject.set(source.file, (versionsByObject.get(source.file) ?? new Set()).add(source.versionId));
      } else if (source.commit === undefined) {
        literals.add(`${source.file}:${source.line}`);
        files.add(source.file);
      }
    }
    if (target.sources.some((source) => source.commit !== undefined)) {
      reasons.history += 1;
      exposed = true;
    }
    if ([...versionsByObject.values()].some((versions) => versions.size > 1)) {
      reasons.versions += 1;
      exposed = true;
    }
    if (new Set(target.sources.map((source) => source.file)).size > 1) {
      reasons.reused += 1;
      exposed = true;
    }
    if (exposed) rotate += 1;
  }
  // Left out because exposed (only in history, or an older value): never imported, still to rotate.
  const imported = new Set(plan.targets.map((target) => target.valueHash));
  const leftOut = new Map<string, PlanSkip>();
  for (const skip of plan.skipped) if (skip.exposed && !imported.has(skip.exposed.valueHash)) leftOut.set(skip.exposed.valueHash, skip);
  for (const skip of leftOut.values()) {
    rotate += 1;
    if (skip.exposed?.why === "history") reasons.history += 1;
    else reasons.versions += 1;
  }
  const why = [
    reasons.history > 0 ? `${reasons.history} in git history` : "",
    reasons.versions > 0 ? `${reasons.versions} in older object versions` : "",
    reasons.reused > 0 ? `${reasons.reused} found in more than one place` : "",
  ].filter(Boolean);
  const quote = (text: string) => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`);
  const quoted = [...sources.map(quote), ...(options.journal ? ["--journal", quote(options.journal)] : [])].join(" ");
  return [
    "next steps:",
    `  replace ${literals.size} literal(s) in ${files.size} working-tree file(s) with references (the values are still in the code)`,
    `  rotate ${rotate} exposed secret(s)${why.length > 0 ? ` (${why.join(", ")})` : ""}, and any in files ever committed`,
    `  clean the vault: ${objects.size} object(s) still hold the values`,
    `  run: vaultlift remediate ${quoted}${options.history ? " --history" : ""} --purge-file ~/vaultlift-purge.txt   (every location and its action; --apply rewrites the tree and cleans the bucket)`,
  ];
}
