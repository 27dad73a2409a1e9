import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { REPO_ROOT } from "./run-cli.ts";

export interface InstalledPackage {
  /** The temporary folder holding the tarball and the project; remove it when done. */
  dir: string;
  /** The packed tarball. */
  tarball: string;
  /** Paths inside the tarball, without the leading `package/`. */
  files: string[];
  /** An empty project with the tarball installed (no dev dependencies, no peers). */
  project: string;
  /** Bytes under the project's node_modules. */
  installBytes: number;
}

/** Packs this repository (already built) and installs the tarball in a new empty project, as a user would. */
export function packAndInstall(): InstalledPackage {
  const work = mkdtempSync(path.join(tmpdir(), "vaultlift-pack-"));
  const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NPM_CONFIG_FUND: "false", NPM_CONFIG_AUDIT: "false" } });
  const packed = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", work], REPO_ROOT)) as { filename: string; files: { path: string }[] }[];
  const [first] = packed;
  if (!first) throw new Error("npm pack wrote nothing");
  const project = path.join(work, "app");
  mkdirSync(project);
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true }));
  const tarball = path.join(work, first.filename);
  npm(["install", "--omit=dev", "--omit=peer", "--prefer-offline", "--no-audit", "--no-fund", tarball], project);
  return { dir: work, tarball, files: first.files.map((file) => file.path), project, installBytes: sizeOf(path.join(project, "node_modules")) };
}

function sizeOf(target: string): number {
  const stat = statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(target).reduce((sum, entry) => sum + sizeOf(path.join(target, entry)), 0);
}
