/**
 * What replaces a migrated literal, by the kind of file it sits in: a reference `vaultlift
 * exec` resolves (`.env`), an environment placeholder (JSON, YAML, properties), the
 * language's environment read (Python, JS/TS, Java, Go, shell), a data source
 * (Terraform), a dynamic reference (CloudFormation). Kubernetes Secrets become
 * ExternalSecret manifests (kubernetes.ts). Names only: a reference never holds a value.
 */
import path from "node:path";
import { isKubernetesSecret } from "../migrate/legacy.ts";
import type { Store } from "../../core/naming.ts";
import { formatReference, variableFor } from "../exec/reference.ts";

export type FileKind = "env" | "json" | "yaml" | "properties" | "python" | "javascript" | "java" | "go" | "shell" | "terraform" | "cloudformation" | "kubernetes" | "other";

export interface Target {
  name: string;
  store: Store;
}

export function fileKind(file: string, text: string): FileKind {
  const base = path.posix.basename(file).toLowerCase();
  const extension = path.posix.extname(base);
  if (base === ".env" || base.startsWith(".env.") || base.endsWith(".env")) return "env";
  if (/(?:^|[{,\s])"?AWSTemplateFormatVersion"?\s*:/.test(text) || /"?Type"?\s*:\s*["']?AWS::[A-Za-z0-9]+::/.test(text)) {
    if ([".json", ".yaml", ".yml", ".template"].includes(extension)) return "cloudformation";
  }
  if ((extension === ".yaml" || extension === ".yml") && isKubernetesSecret(text)) return "kubernetes";
  if (extension === ".json") return "json";
  if (extension === ".yaml" || extension === ".yml") return "yaml";
  if ([".properties", ".ini", ".cfg", ".conf", ".toml"].includes(extension)) return "properties";
  if (extension === ".py") return "python";
  if ([".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx"].includes(extension)) return "javascript";
  if ([".java", ".kt", ".scala"].includes(extension)) return "java";
  if (extension === ".go") return "go";
  if ([".sh", ".bash", ".zsh", ".ksh"].includes(extension) || /^#!.*\b(ba|z|k)?sh\b/.test(text)) return "shell";
  if (extension === ".tf") return "terraform";
  return "other";
}

export interface Replacement {
  /** Text that takes the place of the literal (and of its quotes when `withQuotes`). */
  text: string;
  withQuotes: boolean;
  /** What the user reads in the plan: the reference and what it needs. */
  describe: string;
  /** Declarations the file needs once (a Terraform data block, `import os`). */
  declaration?: Declaration;
}

export interface Declaration {
  /** Same id, same declaration: added once per file. */
  id: string;
  text: string;
  where: "top" | "bottom" | "after-package";
  /** Skip when the file already matches. */
  unlessPresent?: RegExp;
}

/** The replacement for one literal; `key` is the variable the file assigns it to, when known. */
export function replacementFor(kind: FileKind, target: Target, options: { quoted: boolean; key?: string; field?: string }): Replacement {
  const field = options.field;
  const variable = kind === "env" && options.key ? options.key : `${variableFor(target.name)}${field ? `_${variableFor(field)}` : ""}`;
  switch (kind) {
    case "env": {
      const reference = formatReference({ ...target, ...(field ? { field } : {}) });
      return { text: reference, withQuotes: true, describe: `${reference} (run with \`vaultlift exec --env-file\`)` };
    }
    case "python":
      return {
        text: `os.environ["${variable}"]`,
        withQuotes: options.quoted,
        describe: `os.environ["${variable}"]`,
        declaration: { id: "python-os", text: "import os", where: "top", unlessPresent: /^\s*import\s+os\b|^\s*import\s+.*,\s*os\b/m },
      };
    case "javascript":
      return { text: `process.env.${variable}`, withQuotes: options.quoted, describe: `process.env.${variable}` };
    case "java":
      return { text: `System.getenv("${variable}")`, withQuotes: options.quoted, describe: `System.getenv("${variable}")` };
    case "go":
      return {
        text: `os.Getenv("${variable}")`,
        withQuotes: options.quoted,
        describe: `os.Getenv("${variable}")`,
        declaration: { id: "go-os", text: 'import "os"', where: "after-package", unlessPresent: /"os"/ },
      };
    case "shell":
      return { text: `"\${${variable}:?}"`, withQuotes: true, describe: `"\${${variable}:?}" (run with \`vaultlift exec\`)` };
    case "terraform": {
      const id = variableFor(target.name).toLowerCase();
      const read = (expression: string) => (field ? `jsondecode(${expression})[${JSON.stringify(field)}]` : expression);
      if (target.store === "ssm") {
        return {
          text: read(`data.aws_ssm_parameter.${id}.value`),
          withQuotes: true,
          describe: read(`data.aws_ssm_parameter.${id}.value`),
          declaration: { id: `tf-${id}`, text: `data "aws_ssm_parameter" "${id}" {\n  name            = "${target.name}"\n  with_decryption = true\n}`, where: "bottom" },
        };
      }
      return {
        text: read(`data.aws_secretsmanager_secret_version.${id}.secret_string`),
        withQuotes: true,
        describe: read(`data.aws_secretsmanager_secret_version.${id}.secret_string`),
        declaration: { id: `tf-${id}`, text: `data "aws_secretsmanager_secret_version" "${id}" {\n  secret_id = "${target.name}"\n}`, where: "bottom" },
      };
    }
    case "cloudformation": {
      const reference = target.store === "ssm" ? `{{resolve:ssm-secure:${target.name}}}` : `{{resolve:secretsmanager:${target.name}:SecretString${field ? `:${field}` : ""}}}`;
      // Unquoted in YAML, `{{` would start a flow mapping.
      return { text: options.quoted ? reference : `'${reference}'`, withQuotes: false, describe: reference };
    }
    default:
      return { text: `\${${variable}}`, withQuotes: false, describe: `\${${variable}} (expanded by the app's loader; set it with \`vaultlift exec --prefix\`)` };
  }
}
