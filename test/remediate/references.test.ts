import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import type { MigratedSecret, WorkingTreeHit } from "../../scripts/remediate/evidence.ts";
import { fileKind } from "../../scripts/remediate/references.ts";
import { formatEdits, planEdits } from "../../scripts/remediate/rewrite.ts";

const VALUE = "Rf7kQ2mZ9xLp4Wn8";
const SM: MigratedSecret = { name: "/acme/payments/prod/api/db-password", store: "secretsmanager" };
const SSM: MigratedSecret = { name: "/acme/payments/prod/api/db-password", store: "ssm" };
const dir = mkdtempSync(path.join(tmpdir(), "vaultlift-references-"));

/** Rewrites `text` saved as `file`, replacing every occurrence of VALUE (or its base64) for `target`. */
function rewrite(file: string, text: string, target: MigratedSecret = SM): string {
  const absolute = path.join(dir, file.replace(/\//g, "_"));
  writeFileSync(absolute, text);
  const kind = fileKind(file, text);
  const hits: WorkingTreeHit[] = [];
  for (const literal of [VALUE, Buffer.from(VALUE).toString("base64")]) {
    for (let start = text.indexOf(literal); start !== -1; start = text.indexOf(literal, start + 1)) {
      hits.push({ root: dir, file, absolute, kind, start, end: start + literal.length, line: 1, valueHash: "h", committed: false });
    }
  }
  const edits = planEdits(hits.map((hit) => ({ hit, target })), new Map([["h", VALUE]]));
  expect(formatEdits(edits, [VALUE])).not.toContain(VALUE);
  return edits[0]?.after ?? text;
}

describe("the reference each file kind gets", () => {
  it("JSON, YAML and properties get an environment placeholder inside the quotes", () => {
    expect(rewrite("config/app.json", `{"db": {"password": "${VALUE}"}}\n`)).toBe('{"db": {"password": "${DB_PASSWORD}"}}\n');
    expect(rewrite("config/app.yaml", `db:\n  password: ${VALUE}\n`)).toBe("db:\n  password: ${DB_PASSWORD}\n");
    expect(rewrite("application.properties", `db.password=${VALUE}\n`)).toBe("db.password=${DB_PASSWORD}\n");
  });

  it("source code reads the environment variable in its own language", () => {
    expect(rewrite("Main.java", `String password = "${VALUE}";\n`)).toBe('String password = System.getenv("DB_PASSWORD");\n');
    expect(rewrite("main.go", `package main\n\nvar password = "${VALUE}"\n`)).toBe('package main\n\nimport "os"\n\nvar password = os.Getenv("DB_PASSWORD")\n');
    expect(rewrite("db.py", `#!/usr/bin/env python3\nimport os\nPASSWORD = '${VALUE}'\n`)).toBe('#!/usr/bin/env python3\nimport os\nPASSWORD = os.environ["DB_PASSWORD"]\n');
    expect(rewrite("db.ts", `const password = \`${VALUE}\`;\n`)).toBe("const password = process.env.DB_PASSWORD;\n");
  });

  it("a value inside a longer string literal is concatenated or interpolated, never left inside the quotes", () => {
    expect(rewrite("settings.py", `import os\nURL = "postgres://app:${VALUE}@db:5432/app"\n`)).toBe('import os\nURL = "postgres://app:" + os.environ["DB_PASSWORD"] + "@db:5432/app"\n');
    expect(rewrite("db.js", `const url = \`postgres://app:${VALUE}@db\`;\n`)).toBe("const url = `postgres://app:${process.env.DB_PASSWORD}@db`;\n");
    expect(rewrite("run.sh", `psql "postgres://app:${VALUE}@db"\n`)).toBe('psql "postgres://app:${DB_PASSWORD:?}@db"\n');
    expect(rewrite("db.tf", `locals {\n  url = "postgres://app:${VALUE}@db"\n}\n`)).toContain('url = "postgres://app:${data.aws_secretsmanager_secret_version.db_password.secret_string}@db"');
  });

  it("Terraform gets an SSM data source for an SSM target", () => {
    const out = rewrite("main.tf", `locals {\r\n  password = "${VALUE}"\r\n}\r\n`, SSM);
    expect(out).toBe(`locals {\r\n  password = data.aws_ssm_parameter.db_password.value\r\n}\r\n\r\ndata "aws_ssm_parameter" "db_password" {\r\n  name            = "${SSM.name}"\r\n  with_decryption = true\r\n}\r\n`);
  });

  it("CloudFormation gets a dynamic reference, quoted where YAML needs it", () => {
    const template = `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MasterUserPassword: ${VALUE}\n`;
    expect(fileKind("stack.yaml", template)).toBe("cloudformation");
    expect(rewrite("stack.yaml", template)).toContain(`MasterUserPassword: '{{resolve:secretsmanager:${SM.name}:SecretString}}'`);
    expect(rewrite("stack.json", `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"P": {"Properties": {"Value": "${VALUE}"}}}}`, SSM)).toContain(`"Value": "{{resolve:ssm-secure:${SSM.name}}}"`);
  });

  it("a Kubernetes Secret becomes an ExternalSecret; keys that were not migrated stay in the Secret", () => {
    const manifest = [
      "apiVersion: v1",
      "kind: Secret",
      "metadata:",
      "  name: payments-db",
      "  namespace: payments",
      "data:",
      `  password: ${Buffer.from(VALUE).toString("base64")}`,
      "  username: cGF5bWVudHM=",
      "",
    ].join("\n");
    expect(fileKind("k8s/secret.yaml", manifest)).toBe("kubernetes");
    const docs = parseAllDocuments(rewrite("k8s/secret.yaml", manifest)).map((doc) => doc.toJS());
    expect(docs[0]).toEqual({ apiVersion: "v1", kind: "Secret", metadata: { name: "payments-db", namespace: "payments" }, data: { username: "cGF5bWVudHM=" } });
    expect(docs[1]).toMatchObject({
      apiVersion: "external-secrets.io/v1beta1",
      kind: "ExternalSecret",
      metadata: { name: "payments-db", namespace: "payments" },
      spec: { secretStoreRef: { kind: "ClusterSecretStore", name: "aws-secrets-manager" }, target: { name: "payments-db", creationPolicy: "Merge" }, data: [{ secretKey: "password", remoteRef: { key: SM.name } }] },
    });
  });
});
