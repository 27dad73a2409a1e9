import { describe, expect, it } from "vitest";
import { DEFAULT_SAMPLE_PATHS } from "../../core/config.ts";
import { samplePathMatcher, wholeLiteral } from "../../scripts/migrate/collect.ts";
import { detectFormat, parseEnvFile, parseKeyValueDocument, parseLegacy, parsePythonCalls, parseTerraform, updaterScope } from "../../scripts/migrate/legacy.ts";

describe("python vault scripts", () => {
  it("reads put_ssm_parameter positional and keyword arguments", () => {
    const text = [
      "from vault import put_ssm_parameter",
      "",
      "def put_ssm_parameter(name, value, value_type='String'):",
      "    ssm.put_parameter(Name=name, Value=value, Type=value_type, Overwrite=True)",
      "",
      "put_ssm_parameter('/prod/payments/db_password', 'S3cr3t-db-pa55')",
      'put_ssm_parameter("/prod/payments/api_key", "ak_live_12345", value_type="SecureString")',
      "put_ssm_parameter(",
      "    name='/prod/payments/multi',  # a comment, with a comma",
      "    value='line\\nbreak',",
      ")",
      "put_ssm_parameter('/prod/payments/from_env', os.environ['X'])",
      "put_ssm_parameter('/prod/payments/fstring', f'{prefix}-x')",
    ].join("\n");
    expect(parsePythonCalls(text)).toEqual([
      { format: "python", line: 6, originalName: "/prod/payments/db_password", value: "S3cr3t-db-pa55" },
      { format: "python", line: 7, originalName: "/prod/payments/api_key", type: "SecureString", value: "ak_live_12345" },
      { format: "python", line: 10, originalName: "/prod/payments/multi", value: "line\nbreak" },
    ]);
  });

  it("reads boto3 put_parameter(Name=, Value=) in any order", () => {
    const text = "ssm = boto3.client('ssm')\nssm.put_parameter(Type='SecureString', Value=r'raw\\value', Name='/legacy/token', Overwrite=True)\n";
    expect(parsePythonCalls(text)).toEqual([{ format: "python", line: 2, originalName: "/legacy/token", type: "SecureString", value: "raw\\value" }]);
  });
});

describe("terraform literals", () => {
  const text = `
resource "aws_secretsmanager_secret" "db" {
  name = "prod/payments/db-credentials"
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = jsonencode({
    username = "app"
    "password" = "hunter2-but-longer"
    port = 5432
  })
}

resource "aws_secretsmanager_secret_version" "templated" {
  secret_id     = "prod/other"
  secret_string = "\${var.password}"
}

# resource "aws_ssm_parameter" "commented" { value = "nope" }
resource "aws_ssm_parameter" "api_key" {
  name  = "/prod/payments/api_key"
  type  = "SecureString"
  value = "sk_live_abcdef123456" // inline comment
  tags  = { team = "payments" }
}

resource "aws_ssm_parameter" "from_var" {
  name  = "/prod/payments/from_var"
  value = var.api_key
}
`;
  it("reads secret_string jsonencode objects (keys sorted like Terraform) and ssm values", () => {
    expect(parseTerraform(text)).toEqual([
      {
        format: "terraform",
        line: 8,
        key: "db",
        originalName: "prod/payments/db-credentials",
        value: '{"password":"hunter2-but-longer","port":5432,"username":"app"}',
      },
      { format: "terraform", line: 24, key: "api_key", originalName: "/prod/payments/api_key", type: "SecureString", value: "sk_live_abcdef123456" },
    ]);
  });
});

describe("key/value files", () => {
  it("reads .env files with quotes, export and comments", () => {
    const text = "# comment\nexport DB_PASSWORD='p@ss word'\nAPI_KEY=abc123 # trailing\nEMPTY=\nQUOTED=\"a\\nb\"\n";
    expect(parseEnvFile(text)).toEqual([
      { format: "env", line: 2, key: "DB_PASSWORD", value: "p@ss word" },
      { format: "env", line: 3, key: "API_KEY", value: "abc123" },
      { format: "env", line: 5, key: "QUOTED", value: "a\nb" },
    ]);
  });

  it("reads JSON leaves by dotted path and name/value records", () => {
    const text = '{\n  "database": {\n    "password": "pw-123456"\n  },\n  "/prod/x/token": "tok-1",\n  "params": [{"name": "/prod/y", "value": "v-2"}]\n}\n';
    expect(parseKeyValueDocument(text, "json")).toEqual([
      { format: "json", line: 3, key: "database.password", value: "pw-123456" },
      { format: "json", line: 5, originalName: "/prod/x/token", value: "tok-1" },
      { format: "json", line: 6, originalName: "/prod/y", value: "v-2" },
    ]);
  });

  it("reads YAML the same way", () => {
    expect(parseLegacy("vault/app.yaml", "stripe:\n  secret_key: sk_test_1\n")).toEqual([{ format: "yaml", line: 2, key: "stripe.secret_key", value: "sk_test_1" }]);
  });

  it("detects formats by name, then by content", () => {
    expect(detectFormat("a/ssm-db.py", "")).toBe("python");
    expect(detectFormat("prod.env", "")).toBe("env");
    expect(detectFormat("push-secrets", "put_ssm_parameter('/a', 'b')")).toBe("python");
    expect(detectFormat("README.md", "hello")).toBeUndefined();
  });
});

describe("history and object versions", () => {
  it("marks values replaced later in git history or in the working tree as superseded", async () => {
    const { supersedeHistory, candidatesFromVault } = await import("../../scripts/migrate/collect.ts");
    const { makeCandidate } = await import("../../scripts/migrate/candidate.ts");
    const at = (fingerprint: string, value: string, extra: Record<string, string> = {}) => makeCandidate({ fingerprint, file: ".env", line: 1, ruleId: "dotenv", key: "DB_PASSWORD", ...extra }, value);
    const marked = supersedeHistory([
      at("tree", "current"),
      at("old", "older", { commit: "a1", date: "2020-01-01" }),
      at("same", "current", { commit: "a2", date: "2021-01-01" }),
      at("gone-old", "v1", { commit: "b1", date: "2020-01-01", file: "deleted.env" }),
      at("gone-new", "v2", { commit: "b2", date: "2022-01-01", file: "deleted.env" }),
    ]);
    expect(marked.map((candidate) => [candidate.fingerprint, Boolean(candidate.superseded)])).toEqual([
      ["tree", false],
      ["old", true],
      ["same", false],
      ["gone-old", true],
      ["gone-new", false],
    ]);
    const vault = candidatesFromVault([
      { path: "s3://v/a.env", key: "a.env", source: "s3", content: Buffer.from("K=new\n"), isLatest: true, versionId: "2" },
      { path: "s3://v/a.env", key: "a.env", source: "s3", content: Buffer.from("K=old\n"), isLatest: false, versionId: "1" },
      { path: "s3://v/a.env", key: "a.env", source: "s3", content: Buffer.from("K=new\n"), isLatest: false, versionId: "0" },
    ]);
    expect(vault.map((candidate) => [candidate.versionId, Boolean(candidate.superseded)])).toEqual([
      ["2", false],
      ["1", true],
      ["0", false],
    ]);
    expect(new Set(vault.map((candidate) => candidate.fingerprint)).size).toBe(3);
  });
});

describe("whole values", () => {
  it("reads Kubernetes Secrets: data decoded from base64, stringData as is", () => {
    const text = [
      "apiVersion: v1",
      "kind: Secret",
      "metadata:",
      "  name: orders-db",
      "data:",
      `  password: ${Buffer.from("p@ss:w0rd/with-bytes").toString("base64")}`,
      "stringData:",
      "  url: postgres://orders:x@db/orders",
      "",
    ].join("\n");
    expect(detectFormat("k8s/secret.yaml", text)).toBe("kubernetes");
    expect(parseLegacy("k8s/secret.yaml", text)).toEqual([
      { format: "kubernetes", line: 6, key: "orders-db.password", value: "p@ss:w0rd/with-bytes" },
      { format: "kubernetes", line: 8, key: "orders-db.url", value: "postgres://orders:x@db/orders" },
    ]);
  });

  it("reads the types and the app and environment a vault script states", () => {
    const text = "u = SsmParameterUpdater('myapp-dev', region='eu-west-1')\nu.put_ssm_parameter('/cicd/deployed/color', 'blue', value_type='String')\n";
    expect(updaterScope(text)).toEqual({ app: "myapp", env: "dev" });
    expect(parsePythonCalls(text)).toEqual([{ format: "python", line: 2, originalName: "/cicd/deployed/color", type: "String", value: "blue", scope: { app: "myapp", env: "dev" } }]);
  });

  it("takes the whole literal a connection-string password sits in, plain or percent-encoded, quoted or not", () => {
    const finding = (line: number, secret: string, file = "app/settings.py") => ({ ruleId: "uri-password", file, line, column: 1, secret });
    const text = ['DATABASE_URL = "mysql://orders:p%40ss%2Fw0rd@orders-db:3306/orders"', "REDIS_URL=redis://:r3dis-pass@cache:6379/0 # cache", ""].join("\n");
    expect(wholeLiteral(finding(1, "p%40ss%2Fw0rd"), text)).toBe("mysql://orders:p%40ss%2Fw0rd@orders-db:3306/orders");
    expect(wholeLiteral(finding(2, "r3dis-pass"), text)).toBe("redis://:r3dis-pass@cache:6379/0");
    expect(wholeLiteral({ ...finding(1, "tok"), ruleId: "github-pat" }, text)).toBe("tok");
    expect(wholeLiteral(finding(1, "x1y2", "config.json"), '{"url": "postgres://u:x1y2@h/d?sslmode=require\\u0026a=b"}')).toBe("postgres://u:x1y2@h/d?sslmode=require&a=b");
    const dotenv = 'DATABASE_URL="postgres://api:pa55w0rd-9x@db:5432/app?application_name=\\"api\\"" # main\n';
    expect(wholeLiteral(finding(1, "pa55w0rd-9x", ".env"), dotenv)).toBe('postgres://api:pa55w0rd-9x@db:5432/app?application_name="api"');
  });

  it("knows test fixtures, examples and documentation samples by path", () => {
    const isSample = samplePathMatcher(DEFAULT_SAMPLE_PATHS);
    for (const file of ["test/fixtures/db.env", "src/__tests__/x.ts", "config.env.example", "docs/setup.md", "s3://vault/examples/ssm-demo.py", "README.md"]) expect(isSample(file), file).toBe(true);
    for (const file of [".env", "app/settings.py", "s3://vault/ssm-prod.py", "k8s/secret.yaml"]) expect(isSample(file), file).toBe(false);
  });
});
