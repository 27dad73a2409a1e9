/** The detector on small, readable inputs: what fires once, what never fires, and what it reports. */
import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { createFingerprinter } from "../../core/fingerprint.ts";
import { Detector } from "../../scripts/scan/index.ts";
import type { Finding } from "../../scripts/scan/types.ts";

const detector = new Detector(undefined, createFingerprinter(randomBytes(32)));

function detect(text: string, file = "app.py"): Finding[] {
  return detector.detect({ path: file, content: Buffer.from(text), source: "file" });
}

const BODY = Array.from({ length: 6 }, (_, i) => `MIIEowIBAAKCAQEAx${i}Zb7kQm2vJ9pLr8sT4uW6yA1cE3gH5iK7mN9oP0qR2sT4uV6wX8yZ0aB2c`).join("\n");

describe("Detector", () => {
  it("reports a private key once per block, from its first line", () => {
    const pem = `-----BEGIN RSA PRIVATE KEY-----\n${BODY}\n-----END RSA PRIVATE KEY-----`;
    const findings = detect(`# deploy key\n${pem}\n\nother = 1\n${pem.replace("x0", "x9")}\n`, "keys/id_rsa");
    expect(findings.map((f) => [f.ruleId, f.line, f.column])).toEqual([
      ["private-key", 2, 1],
      ["private-key", 12, 1],
    ]);
    expect(findings[0]?.secret).toBe(pem);
  });

  it("finds a private key inside a JSON string with escaped newlines", () => {
    const escaped = `-----BEGIN PRIVATE KEY-----\\n${BODY.replace(/\n/g, "\\n")}\\n-----END PRIVATE KEY-----\\n`;
    expect(detect(`{"private_key": "${escaped}"}`, "sa.json").map((f) => f.ruleId)).toEqual(["private-key"]);
  });

  it("ignores placeholders, references and documented examples", () => {
    const text = [
      'password = "changeme"',
      "DB_PASSWORD=${DB_PASSWORD}",
      'password: "{{ vault_password }}"',
      'password = os.environ["DB_PASSWORD"]',
      "api_key = '<your-api-key>'",
      'aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
      'key_id = "AKIAIOSFODNN7EXAMPLE"',
      'token = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"',
      'KEYS = ["password", "passphrase"]',
      "password: DB_PASSWORD",
    ].join("\n");
    expect(detect(text, "settings.yaml").map((f) => `${f.ruleId}:${f.line}`)).toEqual([]);
  });

  it("an unquoted password is a password, an unquoted identifier is a reference", () => {
    const findings = detect("DB_PASSWORD=Hist0ry-new-Passw0rd-2\nDB_PASS=db_pass\npassword=user_password,\n", ".env");
    expect(findings.map((f) => [f.ruleId, f.line, f.key])).toEqual([["password-assignment", 1, "DB_PASSWORD"]]);
  });

  it("skips a line marked vaultlift:allow", () => {
    expect(detect('t = "ghp_Q8wZ3kLm9Pz2xY7vB3nR5tW1aC6dE0fG4hJ8"  # vaultlift:allow\n')).toEqual([]);
  });

  it("honours the allow comments of other scanners on the same line only", () => {
    const token = "ghp_Q8wZ3kLm9Pz2xY7vB3nR5tW1aC6dE0fG4hJ8";
    const text = `a = "${token}"  # pragma: allowlist secret\nb = "${token}"  // gitleaks:allow\nc = "${token}"  # trufflehog:ignore\nd = "${token}"\n`;
    expect(detect(text).map((f) => f.line)).toEqual([4]);
  });

  it("reports a known format instead of the generic rule on the same value, with the variable name", () => {
    const findings = detect('STRIPE_API_KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dcA9xQ"\n');
    expect(findings.map((f) => [f.ruleId, f.key, f.column])).toEqual([["stripe-secret-key", "STRIPE_API_KEY", 19]]);
  });

  it("reads legacy vault calls and Terraform literals with the parameter name as key", () => {
    const python = "ssm.put_parameter(\n    Name='/acme/prod/db/password',\n    Type='SecureString',\n    Value='n0t-in-git-anymore',\n)\n";
    expect(detect(python).map((f) => [f.ruleId, f.line, f.key, f.secret])).toEqual([["ssm-put-parameter", 4, "/acme/prod/db/password", "n0t-in-git-anymore"]]);
    const terraform = 'resource "aws_db_instance" "main" {\n  password = "Db-Passw0rd-2024"\n}\n';
    expect(detect(terraform, "main.tf").map((f) => [f.ruleId, f.key])).toEqual([["password-assignment", "password"]]);
  });

  it("never serialises the value; fingerprints name the rule, file and key, not the value", () => {
    const [finding] = detect('GITHUB_TOKEN = "ghp_Q8wZ3kLm9Pz2xY7vB3nR5tW1aC6dE0fG4hJ8"\n');
    expect(finding?.secret).toBe("ghp_Q8wZ3kLm9Pz2xY7vB3nR5tW1aC6dE0fG4hJ8");
    expect(JSON.stringify(finding)).not.toContain("Q8wZ3kLm9Pz2");
    expect({ ...finding }).not.toHaveProperty("secret");
    expect(finding?.redacted).toBe("ghp_********(33-64)");
    const [rotated] = detect('GITHUB_TOKEN = "ghp_Z9yX8wV7uT6sR5qP4oN3mL2kJ1iH0gF9eD8c"\n');
    expect(rotated?.fingerprint).toBe(finding?.fingerprint);
    expect(detect('GITHUB_TOKEN = "ghp_Q8wZ3kLm9Pz2xY7vB3nR5tW1aC6dE0fG4hJ8"\n', "other.py")[0]?.fingerprint).not.toBe(finding?.fingerprint);
    expect(detect('OTHER_TOKEN = "ghp_Q8wZ3kLm9Pz2xY7vB3nR5tW1aC6dE0fG4hJ8"\n')[0]?.fingerprint).not.toBe(finding?.fingerprint);
  });

  it("tells apart two values whose key is unknown by their line, and repeated lines by their order", () => {
    const pem = `-----BEGIN RSA PRIVATE KEY-----\n${BODY}\n-----END RSA PRIVATE KEY-----`;
    const [first, second] = detect(`${pem}\n${pem.replace("x0", "x9")}\n`, "keys/id_rsa");
    expect(first?.fingerprint).not.toBe(second?.fingerprint);
    const [rotated] = detect(`${pem.replace("x1", "x7")}\n`, "keys/id_rsa");
    expect(rotated?.fingerprint).toBe(first?.fingerprint);
  });

  it("searches only around keywords on very long lines", () => {
    const minified = `${"a=b;".repeat(5000)}var t="ghp_Q8wZ3kLm9Pz2xY7vB3nR5tW1aC6dE0fG4hJ8";${"c=d;".repeat(5000)}`;
    expect(detect(minified, "bundle.min.js").map((f) => [f.ruleId, f.column])).toEqual([["github-pat", 20008]]);
  });
});

describe("Detector: encoded text", () => {
  it("decodes base64 and reports the decoded value at the encoded text", () => {
    const blob = Buffer.from(JSON.stringify({ db: { password: "Enc0ded-Pa55-w0rd" } })).toString("base64");
    const findings = detect(`config:\n  blob: ${blob}\n`, "values.yaml");
    expect(findings.map((f) => [f.ruleId, f.line, f.column, f.secret, f.decoded])).toEqual([["password-assignment", 2, 9, "Enc0ded-Pa55-w0rd", "base64"]]);
    expect(JSON.stringify(findings)).not.toContain("Enc0ded");
  });

  it("decodes base64 inside base64 once more, no deeper than the bound", () => {
    const inner = Buffer.from('{"token": "ghp_Q8wZ3kLm9Pz2xY7vB3nR5tW1aC6dE0fG4hJ8"}').toString("base64");
    const outer = Buffer.from(`{"secret_blob": "${inner}"}`).toString("base64");
    expect(detect(`x = "${outer}"\n`).map((f) => [f.ruleId, f.secret])).toEqual([["github-pat", "ghp_Q8wZ3kLm9Pz2xY7vB3nR5tW1aC6dE0fG4hJ8"]]);
  });

  it("reads percent-encoded, JSON-escaped and XML-escaped values at their own column", () => {
    const percent = detect("callback=https%3A%2F%2Fdeploy%3AUrl-Enc0ded-Pw%40git.acme.io%2Frepo\n", "hooks.txt");
    expect(percent.map((f) => [f.ruleId, f.column, f.secret, f.decoded])).toEqual([["uri-password", 33, "Url-Enc0ded-Pw", "percent"]]);
    const xml = detect('<setting value="&lt;password&gt;Xml-Esc4ped-Pw&lt;/password&gt;" />\n', "app.config");
    expect(xml.map((f) => [f.ruleId, f.secret])).toEqual([["xml-password-element", "Xml-Esc4ped-Pw"]]);
    const json = detect('{"config": "{\\"api_key\\": \\"q8wz3klm9pz2xy7vb3nr5tw1\\"}"}\n', "payload.json");
    expect(json.map((f) => [f.ruleId, f.secret])).toEqual([["high-entropy-secret", "q8wz3klm9pz2xy7vb3nr5tw1"]]);
  });
});

describe("Detector: generic assignments and noise", () => {
  it("finds lower-case random values under secret-ish names in many syntaxes", () => {
    const value = "a8k2m9x4q7w1z5r3t6y0";
    const lines = [
      `datadogToken: "${value}"`,
      `jfrog_api_key => '${value}'`,
      `client_secret := "${value}"`,
      `  <add key="ApiToken" value="${value}" />`,
      `export SIGNING_KEY="${value}"`,
      `auth -> "${value}"`,
    ];
    const findings = detect(lines.join("\n"), "mixed.txt");
    expect(findings.map((f) => f.line)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("drops placeholders, references, words holding pass and documented example keys", () => {
    const text = [
      'bypass = "Zq8wLm3Rt9Kp"',
      'passed: "Zq8wLm3Rt9Kp"',
      'api_key = "abcdef1234567890abcdef"',
      'secret = "somefakekey123456"',
      'password = "!!!!@@@@####"',
      'token = "{{ secrets.DEPLOY_TOKEN }}"',
      "storage = DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;",
      'stripe = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"',
    ].join("\n");
    expect(detect(text, "settings.txt").map((f) => `${f.ruleId}:${f.line}`)).toEqual([]);
  });

  it("resolves overlaps among 20,000 candidates in one file: the specific rule wins on each line, a generic-only line keeps the generic rule", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let state = 12345;
    const token = (length: number) =>
      Array.from({ length }, () => {
        state = (state * 1103515245 + 12345) % 2147483648;
        return alphabet[(state >> 8) % 62];
      }).join("");
    // Each github line is matched by github-pat and by the generic token assignment rule; each password line by the generic password rule only.
    const lines = Array.from({ length: 10_000 }, (_, i) => [`GITHUB_TOKEN_${i} = "ghp_${token(36)}"`, `db_password_${i} = "Zq${token(10)}9K"`]).flat();
    const started = Date.now();
    const findings = detect(lines.join("\n"), "big.py");
    process.stderr.write(`detector, 20,000 lines: ${Date.now() - started} ms\n`);
    const byLine = new Map(findings.map((finding) => [finding.line, finding.ruleId]));
    expect(findings).toHaveLength(byLine.size);
    for (const line of [1, 2, 9_999, 10_000, 19_999, 20_000]) expect(byLine.get(line), String(line)).toBe(line % 2 === 1 ? "github-pat" : "password-assignment");
    expect([...byLine.values()].filter((rule) => rule === "github-pat")).toHaveLength(10_000);
  });

  it("marks findings in test, fixture, example and documentation paths", () => {
    const line = 'TOKEN = "ghp_Q8wZ3kLm9Pz2xY7vB3nR5tW1aC6dE0fG4hJ8"\n';
    const contexts = ["src/app.py", "tests/test_app.py", "pkg/app_test.go", "spec/fixtures/tokens.py", "examples/app.py", "docs/setup.md", "README.md"].map((file) => detect(line, file)[0]?.context ?? "-");
    expect(contexts).toEqual(["-", "test", "test", "fixture", "example", "docs", "docs"]);
  });

  it("explains which rule matched and which filter dropped a candidate", () => {
    const fragment = { path: "app.py", content: Buffer.from('bypass = "Zq8wLm3Rt9Kp"\npassword = "changeme"\nDB_PASSWORD = "Zq8wLm3Rt9Kp"\n'), source: "file" as const };
    const verdicts = (line: number) => detector.explain(fragment, line).map((e) => `${e.ruleId}: ${e.verdict}`);
    expect(verdicts(1)).toContain('password-assignment: dropped: "bypass" is not a name of this kind (e.g. bypass, passed)');
    expect(verdicts(2)).toContain("password-assignment: dropped: a placeholder, reference or masked value");
    expect(verdicts(3)).toContain("password-assignment: reported");
    expect(JSON.stringify(detector.explain(fragment, 3))).not.toContain("Zq8wLm3Rt9Kp");
  });
});

describe("Detector: hostile input", () => {
  it("reports nothing for a BEGIN marker without an END, however many escapes follow", () => {
    const text = `const doc = "-----BEGIN RSA PRIVATE KEY-----${"\\\\n".repeat(400)}";\nPuTTY-User-Key-File-3: ssh-rsa\nPrivate-Lines: 4\n${"\\\\n ".repeat(400)}\n`;
    expect(detect(text, "docs.ts")).toEqual([]);
  });
});
