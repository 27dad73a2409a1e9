/**
 * Detection quality on a labelled evaluation set generated here from public format facts
 * (token prefixes and lengths, credential-file layouts, encodings), in styles the rules'
 * own samples do not use, with look-alikes that must stay silent. Scored per family:
 * recall = labelled values found / labelled values; precision = findings that are a
 * labelled value / findings in the family's files. Private keys are made by ssh-keygen,
 * openssl and puttygen when they are installed.
 *
 *   npx tsx bench/detection.ts [DIR]     (writes the set to DIR, default a temporary folder)
 */
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DirectorySource, scanSources, type Finding } from "../scripts/scan/index.ts";
import { CHARSETS, Gen, seeded } from "../test/scan/corpus.ts";

export const FAMILIES = ["generic", "vendor", "private-key", "credential-file", "encoded", "uri"] as const;
export type Family = (typeof FAMILIES)[number];

interface Label {
  family: Family;
  file: string;
  line: number;
  value: string;
}

interface EvalSet {
  labels: Label[];
  /** Every file, with the family whose precision its findings count against. */
  files: Map<string, { family: Family; content: string }>;
  notes: string[];
}

export interface FamilyScore {
  family: Family;
  labelled: number;
  found: number;
  findings: number;
  falsePositives: number;
  recall: number;
  precision: number;
  missed: string[];
  noise: string[];
}

const { alnum, hex, base64, urlsafe, digits, upper } = CHARSETS;
const lowerDigits = "abcdefghijklmnopqrstuvwxyz0123456789";
const b64 = (text: string) => Buffer.from(text).toString("base64");

class Builder {
  readonly labels: Label[] = [];
  readonly files = new Map<string, { family: Family; content: string }>();
  readonly notes: string[] = [];

  /** A file whose `⟦value⟧` markers are the labelled values (markers removed). */
  add(family: Family, file: string, template: string, label = true): void {
    let content = "";
    let rest = template;
    for (let at = rest.indexOf("⟦"); at !== -1; at = rest.indexOf("⟦")) {
      const close = rest.indexOf("⟧", at);
      content += rest.slice(0, at);
      const value = rest.slice(at + 1, close);
      if (label) this.labels.push({ family, file, line: content.split("\n").length, value: value.replace(/^(?:⦃)/, "") });
      content += value;
      rest = rest.slice(close + 1);
    }
    this.files.set(file, { family, content: content + rest });
  }

  /** A file of look-alikes: any finding in it is a false positive of the family. */
  negatives(family: Family, file: string, lines: string[]): void {
    this.files.set(file, { family, content: `${lines.join("\n")}\n` });
  }
}

function genericFamily(g: Gen, b: Builder): void {
  const names = ["secret", "token", "api_key", "apikey", "auth", "credential", "client_secret", "access_key", "private_key", "signing_key", "datadogToken", "jfrog_api_key", "sentryAuthToken", "webhookSecret", "slack_token", "mailerApiKey", "encryption_key", "app_secret"];
  const passwords = ["password", "db_password", "DB_PASS", "adminPassword", "smtp_passwd", "pwd", "redis_pass", "passphrase", "keystorePassword", "MYSQL_ROOT_PASSWORD"];
  const randomValue = () => g.pick([g.chars(lowerDigits, g.int(20, 40)), g.mixed(alnum, g.int(20, 40)), g.chars(hex, g.pick([32, 40, 64])), g.chars(upper + digits, 28), `${g.mixed(alnum, 6)}${g.pick(["!", "#", "@", "%", "^"])}${g.mixed(alnum, 6)}`]);
  const pw = () => `${g.pick(["Blue", "Winter", "Orbit", "Canyon", "Maple"])}${g.int(10, 99)}${g.pick(["!", "#", "-", "_", "."])}${g.chars(alnum, g.int(4, 8))}`;
  const styles: ((n: string, v: string) => [string, string])[] = [
    (n, v) => ["py", `${n} = "⟦${v}⟧"`],
    (n, v) => ["js", `const config = { ${n}: '⟦${v}⟧' };`],
    (n, v) => ["go", `\t${n.replace(/[^A-Za-z0-9]/g, "")} := "⟦${v}⟧"`],
    (n, v) => ["rb", `  :${n.toLowerCase()} => "⟦${v}⟧",`],
    (n, v) => ["php", `$settings['${n}'] = '⟦${v}⟧';`],
    (n, v) => ["yaml", `  ${n}: ⟦${v}⟧`],
    (n, v) => ["yml", `  ${n}: "⟦${v}⟧"`],
    (n, v) => ["json", `  "${n}": "⟦${v}⟧",`],
    (n, v) => ["xml", `  <${n}>⟦${v}⟧</${n}>`],
    (n, v) => ["config", `  <add key="${n}" value="⟦${v}⟧" />`],
    (n, v) => ["ini", `${n} = ⟦${v}⟧`],
    (n, v) => ["properties", `app.${n}=⟦${v}⟧`],
    (n, v) => ["sh", `export ${n.toUpperCase()}="⟦${v}⟧"`],
    (n, v) => ["tf", `  ${n.toLowerCase()} = "⟦${v}⟧"`],
    (n, v) => ["kt", `val ${n.replace(/[^A-Za-z0-9]/g, "")} = "⟦${v}⟧"`],
    (n, v) => ["yaml", `  ${n}:\n    ⟦${v}⟧`],
    (n, v) => ["json", `  "payload": "{\\"${n}\\": \\"⟦${v}⟧\\"}",`],
    (n, v) => ["xml", `  <entry value="&lt;${n}&gt;⟦${v}⟧&lt;/${n}&gt;" />`],
  ];
  for (let i = 0; i < 360; i += 1) {
    const usePassword = i % 3 === 0;
    const style = styles[i % styles.length] as (typeof styles)[number];
    const [ext, line] = style(usePassword ? g.pick(passwords) : g.pick(names), usePassword ? pw() : randomValue());
    b.add("generic", `generic/${i}/settings.${ext}`, `# service settings\n${line}\nlog_level = "info"\n`);
  }
  const calls = [
    (v: string) => `client.login("deploy", "⟦${v}⟧")`,
    (v: string) => `conn = psycopg2.connect(host="db", user="app", password="⟦${v}⟧")`,
    (v: string) => `session.auth = ("svc", "⟦${v}⟧")`,
    (v: string) => `r = requests.post(url, auth=("ci", "⟦${v}⟧"))`,
    (v: string) => `user.setPassword("⟦${v}⟧");`,
  ];
  for (let i = 0; i < 40; i += 1) b.add("generic", `generic/calls/${i}.py`, `import db\n${(g.pick(calls) as (v: string) => string)(pw())}\n`);
  b.negatives("generic", "generic/negatives/settings.py", [
    'password = "changeme"',
    'secret = "xxxxxxxxxxxxxxxx"',
    'api_key = "abcdef1234567890"',
    'token = "1234567890123456"',
    'api_key = "somefakekey"',
    'password = "********"',
    'password = "$$$$$$$$"',
    "token = ${{ secrets.DEPLOY_TOKEN }}",
    "password = os.environ['DB_PASSWORD']",
    'secret = process.env.APP_SECRET || "dev"',
    "password: ${DB_PASSWORD}",
    'password: "{{ .Values.db.password }}"',
    "bypass = true",
    'passed = "all-tests-green"',
    'compass_heading = "north-north-west"',
    'token_url = "https://oauth2.googleapis.com/token"',
    'secret_name = "prod/db/password"',
    'api_key_header = "X-Api-Key"',
    'auth_method = "oauth2-client-credentials"',
    "password_min_length = 12",
    "if (password === confirmPassword) return true;",
    'const tokenType = "Bearer";',
    'access_key = "AKIAIOSFODNN7EXAMPLE"',
    'secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
    'token = getToken("api://default")',
    'author = "release-bot-2024-08-01"',
    'passwordField: "input[name=password]"',
    'client_secret: "<client-secret>"',
    'credential: "REPLACE_ME"',
    'signing_key = "your-signing-key-here"',
    ...Array.from({ length: 30 }, () => `request_id = "${g.uuid()}"`),
    ...Array.from({ length: 30 }, () => `  "integrity": "sha512-${g.chars(base64, 86)}==",`),
    ...Array.from({ length: 30 }, () => `commit_sha = "${g.chars(hex, 40)}"`),
    ...Array.from({ length: 20 }, () => `cache_key = "user:${g.int(1, 99999)}:profile"`),
  ]);
}

function vendorFamily(g: Gen, b: Builder): void {
  const tokens: (() => string)[] = [
    () => `ghp_${g.chars(alnum, 36)}`,
    () => `github_pat_${g.chars(alnum, 22)}_${g.chars(alnum, 59)}`,
    () => `glpat-${g.chars(urlsafe, 20)}`,
    () => `gldt-${g.chars(urlsafe, 20)}`,
    () => `glrt-${g.chars(urlsafe, 20)}`,
    () => `glptt-${g.chars(hex, 40)}`,
    () => `glcbt-${g.int(1, 9)}_${g.chars(urlsafe, 20)}`,
    () => `glft-${g.chars(urlsafe, 20)}`,
    () => `squ_${g.chars(hex, 40)}`,
    () => `sqp_${g.chars(hex, 40)}`,
    () => `${g.chars(digits, 9)}:AA${g.chars(urlsafe, 33)}`,
    () => `xoxb-${g.chars(digits, 12)}-${g.chars(digits, 13)}-${g.chars(alnum, 24)}`,
    () => `xoxp-${g.chars(digits, 12)}-${g.chars(digits, 12)}-${g.chars(digits, 12)}-${g.chars(hex, 32)}`,
    () => `xapp-1-A${g.chars(upper, 10)}-${g.chars(digits, 13)}-${g.chars(hex, 64)}`,
    () => `https://hooks.slack.com/services/T${g.chars(upper, 10)}/B${g.chars(upper, 10)}/${g.chars(alnum, 24)}`,
    () => `sk_live_${g.chars(alnum, 99)}`,
    () => `rk_live_${g.chars(alnum, 24)}`,
    () => `AKIA${g.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`,
    () => `AIza${g.chars(urlsafe, 35)}`,
    () => `GOCSPX-${g.chars(urlsafe, 28)}`,
    () => `ya29.${g.chars(urlsafe, 140)}`,
    () => `npm_${g.chars(alnum, 36)}`,
    () => `pypi-AgEIcHlwaS5vcmc${g.chars(urlsafe, 80)}`,
    () => `SG.${g.chars(urlsafe, 22)}.${g.chars(urlsafe, 43)}`,
    () => `key-${g.chars(hex, 32)}`,
    () => `${g.chars(hex, 32)}-us${g.int(1, 21)}`,
    () => `dop_v1_${g.chars(hex, 64)}`,
    () => `shpat_${g.chars(hex, 32)}`,
    () => `shpss_${g.chars(hex, 32)}`,
    () => `sk-proj-${g.chars(urlsafe, 58)}T3BlbkFJ${g.chars(urlsafe, 58)}`,
    () => `sk-ant-api03-${g.chars(urlsafe, 93)}AA`,
    () => `hvs.${g.chars(urlsafe, 100)}`,
    () => `${g.chars(alnum, 14)}.atlasv1.${g.chars(urlsafe, 67)}`,
    () => `ATATT3xFfGF0${g.chars(urlsafe, 180)}=${g.chars(upper, 7)}`.slice(0, 192),
    () => `AKCp8${g.chars(alnum, 68)}`,
    () => `cmVmdGtuOjAxOjE3${g.chars(alnum, 48)}`,
    () => `pscale_tkn_${g.chars(alnum, 43)}`,
    () => `pscale_pw_${g.chars(alnum, 43)}`,
    () => `access-production-${g.uuid()}`,
    () => `dckr_pat_${g.chars(urlsafe, 27)}`,
    () => `NRAK-${g.chars(upper, 27)}`,
    () => `glsa_${g.chars(alnum, 32)}_${g.chars(hex, 8)}`,
    () => `dt0c01.${g.chars(upper, 24)}.${g.chars(upper, 64)}`,
    () => `lin_api_${g.chars(alnum, 40)}`,
    () => `PMAK-${g.chars(hex, 24)}-${g.chars(hex, 34)}`,
    () => `sntryu_${g.chars(hex, 64)}`,
    () => `dp.st.${g.chars(alnum, 43)}`,
    () => `hf_${g.chars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 34)}`,
    () => `gsk_${g.chars(alnum, 52)}`,
    () => `r8_${g.chars(alnum, 37)}`,
    () => `figd_${g.chars(urlsafe, 40)}`,
    () => `tskey-auth-${g.chars(alnum, 12)}-${g.chars(alnum, 30)}`,
    () => `CCIPAT_${g.chars(alnum, 22)}_${g.chars(hex, 40)}`,
    () => `xkeysib-${g.chars(hex, 64)}-${g.chars(alnum, 16)}`,
    () => `EAAA${g.chars(urlsafe, 60)}`,
    () => `sq0csp-${g.chars(urlsafe, 43)}`,
    () => `LTAI${g.chars(alnum, 20)}`,
    () => `https://discord.com/api/webhooks/${g.chars(digits, 19)}/${g.chars(urlsafe, 68)}`,
    () => `dapi${g.chars(hex, 32)}`,
    () => `rubygems_${g.chars(hex, 48)}`,
    () => `pul-${g.chars(hex, 40)}`,
    () => `sbp_${g.chars(hex, 40)}`,
    () => `fo1_${g.chars(urlsafe, 43)}`,
    () => `AGE-SECRET-KEY-1${g.chars("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)}`,
    () => `eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI${g.chars(urlsafe, 60)}.${g.chars(urlsafe, 86)}`,
  ];
  const named: (() => [string, string])[] = [
    () => ["ETSY_API_KEY", g.chars(lowerDigits, 24)],
    () => ["MESSAGEBIRD_ACCESS_KEY", g.chars(alnum, 25)],
    () => ["TWITTER_API_SECRET", g.chars(alnum, 50)],
    () => ["twitter_access_token", `${g.chars(digits, 19)}-${g.chars(alnum, 40)}`],
    () => ["DATADOG_API_KEY", g.chars(hex, 32)],
    () => ["TWILIO_AUTH_TOKEN", g.chars(hex, 32)],
    () => ["HEROKU_API_KEY", g.uuid()],
    () => ["SNYK_TOKEN", g.uuid()],
    () => ["CLOUDFLARE_API_TOKEN", g.mixed(urlsafe, 40)],
    () => ["JIRA_API_TOKEN", g.chars(alnum, 24)],
    () => ["DISCORD_CLIENT_SECRET", g.chars(urlsafe, 32)],
    () => ["BUNDLE_ENTERPRISE__CONTRIBSYS__COM", `${g.chars(hex, 8)}:${g.chars(hex, 8)}`],
  ];
  const contexts = [
    (v: string, n = "UPSTREAM_CREDENTIAL") => ["env", `${n}=⟦${v}⟧`],
    (v: string, n = "upstream") => ["ts", `export const ${n.toLowerCase().replace(/[^a-z]/g, "")} = "⟦${v}⟧";`],
    (v: string, n = "upstream") => ["yaml", `  ${n}: ⟦${v}⟧`],
    (v: string, n = "upstream") => ["json", `{"${n}": "⟦${v}⟧"}`],
    (v: string, n = "upstream") => ["sh", `curl -H "X-Key: ⟦${v}⟧" https://api.example.org # ${n}`],
  ];
  for (let i = 0; i < 520; i += 1) {
    const context = contexts[i % contexts.length] as (v: string, n?: string) => string[];
    const [ext, line] = context((g.pick(tokens) as () => string)()) as [string, string];
    const file = ext === "env" ? `vendor/${i}/.env.production` : `vendor/${i}/client.${ext}`;
    b.add("vendor", file, `# client\n${line}\n`);
  }
  for (let i = 0; i < 120; i += 1) {
    const [name, value] = (g.pick(named) as () => [string, string])();
    const context = contexts[i % 4] as (v: string, n?: string) => string[];
    const [ext, line] = context(value, name) as [string, string];
    b.add("vendor", ext === "env" ? `vendor/named/${i}/.env` : `vendor/named/${i}/settings.${ext}`, `${line}\n`);
  }
  b.negatives("vendor", "vendor/negatives/docs.ts", [
    'const publishable = "pk_live_' + g.chars(alnum, 24) + '";',
    'const sample = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";',
    'const stripe = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";',
    'const aws = "AKIAIOSFODNN7EXAMPLE";',
    'const azurite = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";',
    'const prefix = "glpat-";',
    'const jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";',
    "// tokens look like xoxb-<team>-<bot>-<secret>",
    ...Array.from({ length: 40 }, () => `const id = "${g.chars(hex, 32)}"; // request id`),
    ...Array.from({ length: 40 }, () => `  image: registry.acme.io/api@sha256:${g.chars(hex, 64)}`),
    ...Array.from({ length: 20 }, () => `  "model": "gpt-${g.int(3, 5)}-turbo-${g.int(1000, 9999)}",`),
  ]);
}

interface ToolKey {
  name: string;
  tool: string;
  args: (file: string) => string[];
  extension?: string;
}

function privateKeyFamily(g: Gen, b: Builder, work: string): void {
  const tools: ToolKey[] = [
    { name: "openssh-ed25519", tool: "ssh-keygen", args: (f) => ["-q", "-t", "ed25519", "-N", "", "-f", f] },
    { name: "openssh-ed25519-encrypted", tool: "ssh-keygen", args: (f) => ["-q", "-t", "ed25519", "-N", "pass phrase", "-f", f] },
    { name: "openssh-rsa", tool: "ssh-keygen", args: (f) => ["-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", f] },
    { name: "openssh-ecdsa", tool: "ssh-keygen", args: (f) => ["-q", "-t", "ecdsa", "-N", "", "-f", f] },
    { name: "pkcs8-rsa", tool: "openssl", args: (f) => ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", f] },
    { name: "pkcs8-ec", tool: "openssl", args: (f) => ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", f] },
    { name: "pkcs8-encrypted", tool: "openssl", args: (f) => ["genpkey", "-algorithm", "ED25519", "-aes-256-cbc", "-pass", "pass:pass phrase", "-out", f] },
    { name: "sec1-ec", tool: "openssl", args: (f) => ["ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", f] },
    { name: "putty-ed25519", tool: "puttygen", args: (f) => ["-q", "-t", "ed25519", "-o", f, "--new-passphrase", "/dev/null"], extension: ".ppk" },
    { name: "putty-rsa", tool: "puttygen", args: (f) => ["-q", "-t", "rsa", "-b", "2048", "-o", f, "--new-passphrase", "/dev/null"], extension: ".ppk" },
  ];
  const missing = new Set<string>();
  for (let i = 0; i < 60; i += 1) {
    const kind = tools[i % tools.length] as ToolKey;
    if (missing.has(kind.tool)) continue;
    const target = path.join(work, `key-${i}${kind.extension ?? ""}`);
    try {
      execFileSync(kind.tool, kind.args(target), { stdio: ["ignore", "ignore", "ignore"] });
    } catch {
      missing.add(kind.tool);
      b.notes.push(`${kind.tool} not installed: its keys are left out`);
      continue;
    }
    const key = readFileSync(target, "utf8").trimEnd();
    const shape = i % 3;
    if (shape === 0) b.add("private-key", `keys/${i}/${kind.extension ? "deploy.ppk" : "id_deploy"}`, `⟦${key}⟧\n`);
    else if (shape === 1) b.add("private-key", `keys/${i}/service-account.json`, `{\n  "type": "service_account",\n  "private_key": "⟦${key.replace(/\n/g, "\\n")}⟧\\n",\n  "client_email": "ci@acme.iam"\n}\n`);
    else b.add("private-key", `keys/${i}/deploy.yaml`, `ssh:\n  key: |\n${`⟦${key}⟧`.split("\n").map((l) => `    ${l}`).join("\n")}\n`);
  }
  b.negatives("private-key", "keys/negatives/README.md", [
    "Put your key between the markers:",
    "-----BEGIN RSA PRIVATE KEY-----",
    "...",
    "-----END RSA PRIVATE KEY-----",
    `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${g.chars(base64, 43)} deploy@acme`,
    "-----BEGIN PUBLIC KEY-----",
    ...Array.from({ length: 4 }, () => g.chars(base64, 64)),
    "-----END PUBLIC KEY-----",
    "-----BEGIN CERTIFICATE-----",
    ...Array.from({ length: 8 }, () => g.chars(base64, 64)),
    "-----END CERTIFICATE-----",
  ]);
}

function credentialFileFamily(g: Gen, b: Builder): void {
  const pw = () => `${g.chars(alnum, 4)}${g.pick(["@", "#", "!", "%", "-"])}${g.chars(alnum, g.int(6, 10))}`;
  for (let i = 0; i < 25; i += 1) {
    b.add("credential-file", `home${i}/.pgpass`, `# hostname:port:database:username:password\n${g.pick(["*", "db.acme.internal", "10.1.2.3"])}:5432:${g.pick(["app", "*"])}:app:⟦${pw().replace(/:/g, "")}⟧\n`);
    b.add("credential-file", `home${i}/.git-credentials`, `https://${g.pick(["deploy", "ci", "oauth2"])}:⟦${g.pick([pw(), g.mixed(alnum, 24), `${g.chars(alnum, 5)}@${g.chars(alnum, 5)}#${g.chars(alnum, 3)}`])}⟧@${g.pick(["github.com", "gitlab.acme.io", "bitbucket.org"])}\n`);
    b.add("credential-file", `home${i}/.netrc`, `machine ${g.pick(["api.acme.io", "ftp.acme.io"])}\nlogin ops\npassword ⟦${pw()}⟧\n`);
    b.add("credential-file", `proj${i}/.npmrc`, `@acme:registry=https://npm.acme.io/\n//npm.acme.io/:_authToken=⟦${g.pick([`npm_${g.chars(alnum, 36)}`, g.uuid()])}⟧\n`);
    b.add("credential-file", `home${i}/.docker/config.json`, `{\n  "auths": {\n    "${g.pick(["ghcr.io", "registry.acme.io", "123456789012.dkr.ecr.eu-west-1.amazonaws.com"])}": {\n      "auth": "⟦${b64(`ci:${pw()}`)}⟧"\n    }\n  }\n}\n`);
    const zilla = pw();
    b.add("credential-file", `win${i}/FileZilla/${i % 2 ? "sitemanager" : "recentservers"}.xml`, `<?xml version="1.0" encoding="UTF-8"?>\n<FileZilla3>\n <Servers>\n  <Server>\n   <Host>ftp${i}.acme.io</Host>\n   <User>deploy</User>\n   ${i % 2 ? `<Pass encoding="base64">⟦${b64(zilla)}⟧</Pass>` : `<Pass>⟦${zilla}⟧</Pass>`}\n  </Server>\n </Servers>\n</FileZilla3>\n`);
    if (i % 2) b.labels[b.labels.length - 1] = { ...(b.labels[b.labels.length - 1] as Label), value: zilla };
    b.add("credential-file", `ws${i}/.dbeaver/data-sources.json`, `{\n  "connections": {\n    "mysql8-${g.chars(hex, 6)}": {\n      "provider": "mysql",\n      "configuration": {\n        "host": "db",\n        "user": "root",\n        "password": "⟦${pw()}⟧"\n      }\n    }\n  }\n}\n`);
    b.add("credential-file", `ff${i}/logins.json`, `{"logins":[{"hostname":"https://acme.io","encryptedUsername":"MDIEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECB${g.chars(base64, 20)}","encryptedPassword":"⟦MEIEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECN${g.chars(base64, 32)}⟧"}]}\n`);
    b.add("credential-file", `web${i}/.htpasswd`, `${g.pick(["admin", "ops"])}:⟦${g.pick([`$apr1$${g.chars(alnum, 8)}$${g.chars(alnum, 22)}`, `$2y$10$${g.chars(alnum + "./", 53)}`, `{SHA}${g.chars(base64, 27)}=`])}⟧\n`);
    b.add("credential-file", `etc${i}/shadow`, `root:⟦$6$${g.chars(alnum, 16)}$${g.chars(alnum + "./", 86)}⟧:19000:0:99999:7:::\nbin:*:19000:0:99999:7:::\n`);
    b.add("credential-file", `db${i}/seed.sql`, `INSERT INTO users (id, email, password_hash) VALUES (${i}, 'u${i}@acme.io', '⟦$2b$12$${g.chars(alnum + "./", 53)}⟧');\n`);
    b.add("credential-file", `wp${i}/wp-config.php`, `<?php\ndefine('DB_PASSWORD', '⟦${pw()}⟧');\ndefine('SECURE_AUTH_SALT', '⟦${g.chars(`${alnum}!@#%^&*()-_[]{}<>~+=,.;:/?|`, 64).replace(/'/g, "")}⟧');\n`);
    b.add("credential-file", `laravel${i}/.env`, `APP_ENV=production\nAPP_KEY=⟦base64:${g.chars(base64, 43)}=⟧\n`);
  }
  b.negatives("credential-file", "home-neg/.npmrc", ["//registry.npmjs.org/:_authToken=${NPM_TOKEN}", "always-auth=true"]);
  b.negatives("credential-file", "neg/wp-config.php", ["<?php", "define( 'AUTH_KEY', 'put your unique phrase here' );", "define( 'DB_PASSWORD', 'password_here' );"]);
  b.negatives("credential-file", "neg/shadow", ["root:*:19000:0:99999:7:::", "daemon:!:19000::::::"]);
  b.negatives("credential-file", "neg/.env.example", ["APP_KEY=", "DB_PASSWORD=", "MAIL_PASSWORD=null"]);
}

function encodedFamily(g: Gen, b: Builder): void {
  for (let i = 0; i < 40; i += 1) {
    const password = g.mixed(alnum, 16);
    b.add("encoded", `k8s/${i}/secret.yaml`, `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-${i}\ntype: Opaque\ndata:\n  DB_PASSWORD: ⟦${b64(password)}⟧\n`);
    b.labels[b.labels.length - 1] = { ...(b.labels[b.labels.length - 1] as Label), value: password };
    const token = `ghp_${g.chars(alnum, 36)}`;
    const blob = b64(JSON.stringify({ registry: "ghcr.io", token }));
    b.add("encoded", `blobs/${i}/values.yaml`, `app:\n  bootstrap: ⟦${blob}⟧\n`);
    b.labels[b.labels.length - 1] = { ...(b.labels[b.labels.length - 1] as Label), value: token };
    const secret = g.mixed(alnum, 20);
    const encodedUri = encodeURIComponent(`postgres://app:${secret}@db.acme.internal:5432/app`);
    b.add("encoded", `percent/${i}/hook.txt`, `callback=${encodedUri.replace(secret, `⟦${secret}⟧`)}\n`);
    const pwd = g.mixed(alnum, 14);
    b.add("encoded", `escaped/${i}/app.config`, `<setting name="Legacy" value="&lt;password&gt;⟦${pwd}⟧&lt;/password&gt;" />\n`);
  }
  b.negatives("encoded", "encoded-neg/images.css", Array.from({ length: 30 }, () => `.logo { background: url("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA${g.chars(base64, 300)}="); }`));
  b.negatives("encoded", "encoded-neg/cm.yaml", ["kind: ConfigMap", "data:", `  greeting: ${b64("hello world from the config map")}`, `  passwordPolicy: ${b64("min-length=12")}`]);
}

function uriFamily(g: Gen, b: Builder): void {
  const schemes = ["postgres", "postgresql", "mysql", "mongodb", "mongodb+srv", "redis", "rediss", "amqp", "amqps", "https", "ftp", "smtp", "ldap", "sqlserver"];
  for (let i = 0; i < 140; i += 1) {
    const user = i % 5 === 0 ? "" : g.pick(["app", "admin", "svc_billing", "guest-user"]);
    const secret = g.pick([g.mixed(alnum, g.int(10, 24)), `${g.chars(alnum, 6)}-${g.chars(alnum, 6)}`, g.chars(lowerDigits, 16)]);
    const uri = `${g.pick(schemes)}://${user}:⟦${secret}⟧@${g.pick(["db", "cache", "mq", "10.0.0.7", "cluster0.ab1cd.mongodb.net"])}:${g.int(1000, 9999)}/${g.pick(["app", "0", "vhost", ""])}`;
    const line = g.pick([`DATABASE_URL=${uri}`, `url: "${uri}"`, `const url = \`${uri}\`;`, `"connection": "${uri}",`]);
    b.add("uri", `uri/${i}/${line.startsWith("DATABASE") ? ".env" : "config.yaml"}`, `${line}\n`);
  }
  b.negatives("uri", "uri-neg/config.yaml", [
    "url: postgres://app@db:5432/app",
    "url: postgres://app:${DB_PASSWORD}@db:5432/app",
    "url: redis://localhost:6379/0",
    "url: https://user:password@example.com/path",
    "url: mysql://root:<password>@localhost/db",
    "url: http://[::1]:8080/health",
    "url: https://api.acme.io:443/v1",
    "url: amqp://guest:guest@localhost:5672/",
    "proxy: http://proxy.internal:3128",
  ]);
}

export async function generateDetectionSet(root: string, seed = 16): Promise<EvalSet> {
  const g = new Gen(seeded(seed));
  const b = new Builder();
  genericFamily(g, b);
  vendorFamily(g, b);
  const work = await mkdtemp(path.join(tmpdir(), "vaultlift-detection-keys-"));
  try {
    privateKeyFamily(g, b, work);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  credentialFileFamily(g, b);
  encodedFamily(g, b);
  uriFamily(g, b);
  for (const [file, { content }] of b.files) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  }
  return { labels: b.labels, files: b.files, notes: [...new Set(b.notes)] };
}

function matches(finding: Finding, label: Label): boolean {
  if (finding.file !== label.file || finding.line !== label.line) return false;
  return finding.secret === label.value || finding.secret.includes(label.value) || (finding.secret.length >= 8 && label.value.includes(finding.secret));
}

export function score(set: EvalSet, findings: readonly Finding[]): FamilyScore[] {
  return FAMILIES.map((family) => {
    const labels = set.labels.filter((label) => label.family === family);
    const inFamily = findings.filter((finding) => set.files.get(finding.file)?.family === family);
    const found = labels.filter((label) => inFamily.some((finding) => matches(finding, label)));
    const noise = inFamily.filter((finding) => !labels.some((label) => matches(finding, label)));
    const hits = inFamily.length - noise.length;
    return {
      family,
      labelled: labels.length,
      found: found.length,
      findings: inFamily.length,
      falsePositives: noise.length,
      recall: labels.length === 0 ? 1 : found.length / labels.length,
      precision: inFamily.length === 0 ? 1 : hits / inFamily.length,
      missed: labels.filter((label) => !found.includes(label)).map((label) => `${label.file}:${label.line}`),
      noise: noise.map((finding) => `${finding.ruleId} ${finding.file}:${finding.line} ${finding.redacted}`),
    };
  });
}

export interface DetectionBench {
  families: FamilyScore[];
  notes: string[];
}

export async function benchDetection(dir?: string): Promise<DetectionBench> {
  const root = dir ?? (await mkdtemp(path.join(tmpdir(), "vaultlift-detection-")));
  try {
    const set = await generateDetectionSet(root);
    const report = await scanSources([new DirectorySource(root, { maxFileBytes: 5 * 1024 * 1024 })], { workers: 0, hashKey: randomBytes(32) });
    return { families: score(set, report.findings), notes: set.notes };
  } finally {
    if (!dir) await rm(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ? path.resolve(process.argv[2]) : undefined;
  if (dir) await mkdir(dir, { recursive: true });
  const result = await benchDetection(dir);
  console.log("family           labelled  found  findings  false+  recall  precision");
  for (const f of result.families) {
    console.log(`${f.family.padEnd(16)} ${String(f.labelled).padStart(8)} ${String(f.found).padStart(6)} ${String(f.findings).padStart(9)} ${String(f.falsePositives).padStart(7)} ${f.recall.toFixed(3).padStart(7)} ${f.precision.toFixed(3).padStart(10)}`);
  }
  for (const f of result.families) {
    for (const missed of f.missed.slice(0, 8)) console.log(`missed ${f.family}: ${missed}${dir ? ` ${JSON.stringify((await readFile(path.join(dir, missed.split(":")[0] as string), "utf8")).split("\n")[Number(missed.split(":")[1]) - 1]?.slice(0, 160))}` : ""}`);
    for (const noise of f.noise.slice(0, 8)) console.log(`noise ${f.family}: ${noise}`);
  }
  for (const note of result.notes) console.log(`note: ${note}`);
}
