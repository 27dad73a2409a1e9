/**
 * The detection rules, written from the public format facts of each credential
 * (prefix, length, charset) and from the shapes of credential files. A rule's pattern
 * captures the value in the named group `secret` (or `bare`, an unquoted value only
 * trusted in config-like files) and, when it knows it, the variable name in `key`.
 * Known token formats live in vendor-rules.ts; each rule carries its own samples.
 */
import { ASSIGN_NO_COMMA, CHARS, IDENT, TYPE_ANNOTATION, ci, fake as f, re, type Rule, type RuleMatch, type Sample } from "./rule-kit.ts";
import { entropy } from "../../core/entropy.ts";
import { VENDOR_RULES } from "./vendor-rules.ts";

export { type Rule, type RuleMatch, type Sample } from "./rule-kit.ts";

const { hex, alnum, base64, lower } = CHARS;
const file = (path: string, text: string): Sample => ({ path, text });
const pem = (label: string) => `-----BEGIN ${label}-----\n${Array.from({ length: 6 }, () => f(base64, 64)).join("\n")}\n${f(base64, 20)}==\n-----END ${label}-----`;

const PEM_LABEL = "(?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP |SSH2 ENCRYPTED |ANY )?PRIVATE KEY(?: BLOCK)?";

const privateKeys: Rule[] = [
  {
    id: "private-key",
    description: "Private key (PEM, PKCS#8, OpenSSH or PGP block)",
    keywords: ["-----begin", "---- begin ssh2"],
    multiline: true,
    // One way to match each character: an alternation like `\\n|[\s\S]` backtracks exponentially on a BEGIN without an END.
    pattern: re(
      `(?<secret>-----BEGIN[ A-Z0-9]*? ${PEM_LABEL}-----[\\s\\S]{64,16384}?-----END[ A-Z0-9]*? ${PEM_LABEL}-----|---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----[\\s\\S]{64,16384}?---- END SSH2 ENCRYPTED PRIVATE KEY ----)`,
    ),
    samples: {
      tps: [pem("RSA PRIVATE KEY"), pem("OPENSSH PRIVATE KEY").replace(/^(.{90})/m, "$1AAAAAAAAAAAAAAAA"), pem("ENCRYPTED PRIVATE KEY"), `{"private_key": "${pem("PRIVATE KEY").replace(/\n/g, "\\n")}"}`],
      fps: ["-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----", "-----BEGIN PUBLIC KEY-----\n" + f(base64, 64) + "\n" + f(base64, 64) + "\n-----END PUBLIC KEY-----"],
    },
  },
  {
    id: "putty-private-key",
    description: "PuTTY private key file",
    keywords: ["putty-user-key-file-"],
    multiline: true,
    // Also inside JSON strings (`\\n`) and indented YAML blocks.
    pattern: re("(?<secret>PuTTY-User-Key-File-\\d: [\\s\\S]{0,4096}?Private-Lines: \\d+(?:\\\\r|\\r)?(?:\\\\n|\\n)[\\s\\S]{16,16384}?(?:\\\\n|\\n)[ \\t]*Private-(?:MAC|Hash): [0-9a-f]+)"),
    samples: {
      tps: [`PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy\nPublic-Lines: 2\n${f(base64, 64)}\n${f(base64, 20)}\nPrivate-Lines: 1\n${f(base64, 44)}\nPrivate-MAC: ${f(hex, 64)}`],
      fps: ["PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: see the docs\n"],
    },
  },
];

const uriPassword = "[^@/?#\\s\"'`:<>{}]{1,128}";

const connections: Rule[] = [
  {
    id: "uri-password",
    description: "URI or connection string with an embedded password",
    keywords: ["://"],
    // Starts at the literal `://` (found by a fast string search), a scheme's letter behind it.
    pattern: re(`(?<=[a-zA-Z])://[^:/?#@\\s"'\`<>]{0,64}:(?<secret>${uriPassword})@(?<host>[A-Za-z0-9._-]+)`),
    // Hosts under the documentation domains of RFC 2606 (`example.com`) hold sample credentials.
    refine: (match) => {
      const span = match.indices?.groups?.secret;
      if (!span || /(?:^|\.)example\.(?:com|org|net)$|\.(?:example|test|invalid)$/i.test(match.groups?.host ?? "")) return undefined;
      return { start: span[0], end: span[1] };
    },
    generic: true,
    placeholders: true,
    minLength: 3,
    // A port (`host:8080@`) or RabbitMQ's built-in `guest` account.
    validate: (v) => !/^\d{1,5}$|^guest$/.test(v),
    samples: {
      tps: [`DATABASE_URL=postgres://app:${f(alnum, 16)}@db.internal:5432/app`, `REDIS_URL=redis://:${f(alnum, 20)}@cache.internal:6379/0`],
      fps: ["postgres://app:${DB_PASSWORD}@db/app", "redis://:password@localhost:6379", "https://user:<password>@host", `new URL("https://abc:${f(alnum, 12)}@sub.example.com")`],
    },
  },
  {
    id: "connection-string-password",
    description: "Password parameter of a JDBC, ODBC or ADO.NET connection string",
    keywords: ["password=", "pwd=", "pass="],
    // After `;`, `?`, `&` or an opening quote: `password=None,` in a call's keyword arguments is code.
    pattern: re(`(?:[;?&"']|;\\s{1,4})(?<key>${ci("password")}|${ci("pwd")}|${ci("pass")})=(?=(?<secret>[^;&"'\`\\s<>{}()]{3,128}))\\k<secret>(?!\\()`),
    generic: true,
    placeholders: true,
    validate: (v) => !/^\$|^%/.test(v),
    samples: {
      tps: [`"Server=tcp:db.acme.io,1433;Database=app;User Id=sa;Password=${f(alnum, 14)};"`, `jdbc:mysql://db:3306/app?user=app&password=${f(alnum, 12)}&useSSL=true`],
      fps: ["jdbc:postgresql://db:5432/app?user=app&password=${DB_PASSWORD}", "Server=db;Password=%DB_PASS%;", 'ARG PASSWORD=ENV.fetch("DB_PASSWORD")', "    def open(self, mode='r', *args, pwd=None, **kwargs):", "        password=password,"],
    },
  },
  {
    id: "basic-auth-command",
    description: "Password on a curl, wget, mysql or sshpass command line",
    keywords: ["curl", "wget", "mysql", "sshpass", "psql", "--password", "--passwd", "docker login", "sudo -s"],
    pattern: re(
      `(?:(?:curl|wget|http)[^\\n]*?\\s(?:-u|--user)[ =]["']?[^:\\s"']+:(?<secret>[^\\s"']{3,128})|mysql(?:dump|admin)?\\b[^\\n]*?\\s-p(?:(?<p2>[^\\s'"-][^\\s'"]{3,127})|'(?<p2q>[^'\\n]{3,128})'|"(?<p2d>[^"\\n]{3,128})")|sshpass\\s+-p\\s*["']?(?<p3>[^\\s"']{3,128})|docker\\s+login\\b[^\\n]*?\\s(?:-p|--password)[ =]["']?(?<p4>[^\\s"']{3,128})|echo\\s+["']?(?<p5>[^\\s"'|]{3,128})["']?\\s*\\|\\s*sudo\\s+(?:-\\w+\\s+)*-S\\b|\\s--(?:password|passwd)[ =]["']?(?<p6>[^\\s"'$-][^\\s"']{2,127}))`,
    ),
    refine: (match) => {
      const groups = match.indices?.groups;
      const span = groups?.secret ?? groups?.p2 ?? groups?.p2q ?? groups?.p2d ?? groups?.p3 ?? groups?.p4 ?? groups?.p5 ?? groups?.p6;
      // `--username and --password options`: prose about the flag, not a value given to it.
      if (span === groups?.p6 && span && /^[a-z]+$/.test(match.input.slice(span[0], span[1]))) return undefined;
      return span ? { start: span[0], end: span[1] } : undefined;
    },
    generic: true,
    placeholders: true,
    samples: {
      tps: [
        `curl -u deploy:${f(alnum, 14)} https://api.acme.io/v1/jobs`,
        `mysqldump -u root -p${f(alnum, 12)} app > app.sql`,
        `mysql -u root -p'${f(alnum, 6)}!${f(alnum, 6)}' -h db shop`,
        `sshpass -p '${f(alnum, 12)}' ssh deploy@host`,
        `docker login -u ci -p ${f(alnum, 14)} registry.acme.io`,
        `echo '${f(alnum, 12)}' | sudo -S systemctl restart api`,
        `vault login -method=userpass username=ci --password ${f(alnum, 14)}`,
      ],
      fps: ["curl -u $USER:$TOKEN https://api.acme.io", "mysql -u root -p app", 'docker login -u ci -p "$REGISTRY_PASSWORD" registry.acme.io', "echo $PW | sudo -S true", "mysqladmin --password=${DB_PASSWORD} status", "pass --username and --password options instead of via the URL."],
    },
  },
  {
    id: "authorization-header",
    description: "Credentials in an Authorization header (Basic, Bearer or Token)",
    keywords: ["authorization", "basic ", "bearer "],
    pattern: re(`(?<key>${ci("authorization")})["'\\]]{0,2}\\s*[:=,]\\s*["']?(?:${ci("basic")}|${ci("bearer")}|${ci("token")})\\s+(?:${ci("token")}=)?(?<secret>[A-Za-z0-9._~+/=-]{16,2048})`),
    generic: true,
    placeholders: true,
    validate: (v) => looksRandom(v.replace(/=+$/, "")) || /^[A-Za-z0-9+/]+=*$/.test(v) && /^[ -~]+:[ -~]+$/.test(Buffer.from(v, "base64").toString("latin1")),
    samples: {
      tps: [`headers = {"Authorization": "Bearer ${f(alnum, 40)}"}`, `Authorization: Basic ${Buffer.from(`deploy:${f(alnum, 12)}`).toString("base64")}`],
      fps: ['headers = {"Authorization": "Bearer " + token}', "Authorization: Bearer ${TOKEN}"],
    },
  },
];

const HEADER_OPTION = ["-H", "--header"].flatMap((flag) => [`${flag} "`, `${flag} '`, `${flag}="`, `${flag}='`]);

const headers: Rule[] = [
  {
    id: "http-header-secret",
    description: "Token or API key in an HTTP header given on a command line (curl -H \"X-Api-Key: ...\")",
    keywords: HEADER_OPTION.map((option) => option.toLowerCase()),
    pattern: re(`(?:-H|--header)[ =]["'](?<key>[A-Za-z0-9_-]{1,60}):[ \\t]*(?:(?:${ci("bearer")}|${ci("token")})[ \\t]+)?(?<secret>[A-Za-z0-9+/=_.~:-]{16,512})["']`),
    generic: true,
    placeholders: true,
    validKey: (key) => isSecretName(key) || /^x-(?:[a-z]+-)?(?:key|auth)$/i.test(key),
    validate: (v) => looksRandom(v) || isUuid(v),
    samples: {
      tps: [`curl -X POST -H "X-Api-Key: ${f(hex, 32)}" https://api.acme.io/v1/jobs`, `curl --header 'X-Auth-Token: ${f(alnum, 40)}' https://api.acme.io`, `http -h --header="PRIVATE-TOKEN: ${f(alnum, 24)}" gitlab.acme.io/api/v4/projects`],
      fps: ['curl -H "X-Api-Key: $API_KEY" https://api.acme.io', 'curl -H "Content-Type: application/json"', `curl -H "X-Request-Id: ${f(alnum, 32)}"`],
    },
  },
];

const PASSWORD_SETTING =
  /(?:pass(?:word|wd)?|pwd)(?:(?:[_.-]?|(?<=[a-z]))(?:file|files|dir|name|arn|ref|id|source|command|cmd|param|parameter|var|env|policy|policies|hint|reset|length|len|field|regex|pattern|rules?|strength|expiry|expires|expiration|min|max|label|placeholder|prompt|input|confirm\w*|required|changed|updated|history|validator|visible|toggle|mode|type|format|complexity|age|count|attempts|enabled|chars|salt_rounds|rounds|hash(?:er|ing)?|encoder|encoding|provider|manager|service|helper|utils?|selector|xpath|locator|button|link|url|uri|path|route|endpoint|page|view|form|screen|template|error|message|msg|text|title)s?)+$/i;

/** `pass` as a word of a name: `DB_PASS`, `dbPass`, `redispassword`, `passphrase`; not `bypass`, `passed`, `compass`. */
export function isPasswordName(key: string): boolean {
  // `passwordPolicy`, `PASSWORD_MIN_LENGTH`, `password_reset_url`: settings about passwords, not passwords.
  if (PASSWORD_SETTING.test(key) || /pass-?(?:through|thru)/i.test(key)) return false;
  if (/pass(?:word|wd|wrd|phrase)/i.test(key)) return true;
  for (const match of key.matchAll(/pass|pwd/gi)) {
    const word = match[0];
    const before = key[match.index - 1];
    const after = key[match.index + word.length];
    const camelStart = word[0] === word[0]?.toUpperCase() && before !== undefined && /[a-z0-9]/.test(before);
    if (before !== undefined && /[A-Za-z]/.test(before) && !camelStart) continue;
    const upper = word === word.toUpperCase();
    if (after !== undefined && (upper ? /[A-Z]/.test(after) : /[a-z]/.test(after))) continue;
    return true;
  }
  return false;
}

const PASSWORD_NAME = `(?:${ci("pass")}(?:${ci("word")}|${ci("wd")}|${ci("wrd")}|${ci("phrase")})?|${ci("pwd")})`;
const KEY_KINDS = ["api", "access", "private", "signing", "master", "encryption", "app", "client", "auth", "account", "service", "license", "webhook", "session", "consumer", "shared", "secret", "jwt", "hmac"];
const SECRET_NAME = `(?:${ci("secret")}|${ci("token")}|${ci("credential")}s?|${ci("creds")}|${ci("salt")}|${ci("auth")}(?![a-np-z])|(?:${KEY_KINDS.map(ci).join("|")})[_.-]?${ci("key")})`;
/** Built once: validKey runs per candidate. */
const SECRET_NAME_PATTERN = new RegExp(SECRET_NAME);
/** `api_key`, `apikey`, ...: a bare `key` (cacheKey, primary key) is too common to send every line holding it to the pattern. */
const KEY_NAMES = KEY_KINDS.flatMap((kind) => ["", "_", ".", "-"].map((separator) => `${kind}${separator}key`));

/** Values no password holds: paths, selectors, regexes, calls. */
const notCode = (v: string) => !/^[/#.^]|[()[\]{}]|\\[dwsb]|:\/\/|^\w+\.\w+\(/.test(v);

/** What may stand before a string literal: Python's r/b/u/f, Objective-C's and C#'s `@`, C's `L`. */
const STRING_PREFIX = "(?:[rbufRBUF]{1,2}|@|L)?";

/**
 * `Ipv6CidrAssociations`, `fs.s3.enableServerSideEncryption`, `aws_secret_access_key`,
 * `_inc_changes_count`: two or more pronounceable words joined as code joins them, where
 * random text splits into one- and two-letter pieces or long runs of consonants.
 */
export function readsAsIdentifier(value: string): boolean {
  // Words with a number at the end (`orbit.lantern7`) are how people make passwords.
  if (!/^[A-Za-z_][A-Za-z0-9_.:-]*$/.test(value) || /\d$/.test(value)) return false;
  const words = (value.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g) ?? []).map((word) => word.toLowerCase());
  if (words.length < 2) return false;
  const letters = words.join("");
  if (letters.length / words.length < 4 || value.replace(/[^0-9]/g, "").length > 2) return false;
  return words.every((word) => word.length <= 3 || (/[aeiouy]/.test(word) && !/[^aeiouy]{5}/.test(word))) && (letters.match(/[aeiouy]/g)?.length ?? 0) >= letters.length * 0.25;
}

/** `random_password`, `MasterUserPassword`, `passed`, `overEvery`: a name or a word in code, not a password (random letters may hold `pWd`). */
const isNameLike = (v: string) => (/^[a-z_]+$/.test(v) && /pass|pwd/.test(v)) || (/^[A-Za-z_]+$/.test(v) && isPasswordName(v)) || /^[a-z]+(?:[A-Z][a-z]+)+$/.test(v);

/** `moto-password-123`, `Password1!`, `test_passwd`: the word password with a label or a counter, as samples are written. */
const namesItself = (v: string) => /pass(?:word|wd)/i.test(v) && v.replace(/pass(?:word|wd)|[\d\W_]/gi, "").length <= 6;

/** Base64 of a sample (`AWS:012345678910-auth-token`), not of key material. */
const encodesPlaceholder = (v: string) => {
  if (!/^[A-Za-z0-9+/]{16,}={0,2}$/.test(v)) return false;
  const decoded = decodeBase64Text(v);
  return decoded !== undefined && /^[ -~]+$/.test(decoded) && isPlaceholder(decoded);
};

/** A lookup whose literal default follows: `os.getenv("X") or "..."`, `process.env.X || "..."`, `config.secret ?? "..."`. */
const FALLBACK = "(?:[A-Za-z_$][\\w.$]{0,60}(?:\\[[^\\]\\n]{0,60}\\]|\\([^()\\n]{0,80}\\))?\\s*(?:\\|\\||\\?\\?|or(?= ))\\s*)?";

/** Assignments in code and config: `NAME = "value"`, `name: value`, `"name": "value"`, `NAME=value`, `\"name\": \"value\"`, `NAME = env("NAME") or "value"`. */
function assignment(id: string, description: string, name: string, value: string, extra: Partial<Rule> & Pick<Rule, "samples">): Rule {
  const source = `(?<key>${name}${IDENT}{0,40})${TYPE_ANNOTATION}${ASSIGN_NO_COMMA}` + `(?:${FALLBACK}${STRING_PREFIX}(?:""|'')?\\\\?["'\`](?<secret>${value})\\\\?["'\`]|(?<bare>${value})(?=\\s|$|;|\`))`;
  return { id, description, pattern: re(source), generic: true, placeholders: true, extendKey: true, keywords: [], ...extra };
}

/** Letters, digits and symbols with the entropy of a generated one, not a URL, path or format string. */
function strongSecret(v: string): boolean {
  return /[^A-Za-z0-9+/=_.~-]/.test(v) && characterClasses(v) >= 3 && entropy(v) >= 3 && notCode(v) && !/^[a-z][\w+.-]*:|[\\/]|^\W|%[sd]|\$\w/i.test(v);
}

const PASSWORD_VALUE = "[^\\s\"'`\\\\]{4,200}";
/** No brackets, commas or semicolons: code (`jwt.encode(claims, key)`) fails in the pattern, before any check runs. */
const SECRET_VALUE = "[^\\s\"'`\\\\(){}\\[\\]<>,;]{10,512}";
const passwordBare = (v: string) => entropy(v) >= 2.5 && characterClasses(v) >= 2 && !/[,;]$/.test(v) && !(/pass|pwd/i.test(v) && /^[A-Za-z_$][\w.$]*$/.test(v));

/** The words of a name: `algoliaAdminKey`, `ALGOLIA_ADMIN_KEY` and `algolia-admin-key` are `algolia admin key`. */
function nameWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    // An acronym before a word: `AWSKey`, `FINICITYKey` are `aws key`, `finicity key`.
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** Last words that make a secret-ish name a setting about the secret (`token_url`, `secretName`, `api_key_header`) or a digest of it (`SECRET_HASH`). */
const DIGEST_WORDS = new Set(["hash", "digest", "checksum", "fingerprint"]);
const SETTING_WORDS = new Set([...DIGEST_WORDS, "id", "ids", "arn", "name", "names", "url", "uri", "path", "file", "dir", "type", "ttl", "ref", "length", "len", "size", "format", "endpoint", "header", "version", "prefix", "suffix", "count", "enabled", "mode", "expiry", "expires", "expiration", "scope", "scopes", "policy", "field", "label", "hint", "pattern", "regex", "method", "location", "provider", "store", "source", "env", "var"]);
/** Words before `key` that name something other than a secret (`cacheKey`, `public_key`, `sortKey`). */
const NON_SECRET_KEYS = new Set(["public", "publishable", "pub", "site", "cache", "partition", "sort", "primary", "foreign", "object", "idempotency", "bucket", "file", "lookup", "map", "hash", "row", "column", "unique", "lock", "queue", "metric", "label", "tag", "event", "field", "header", "param", "query", "route", "cookie", "i18n", "translation", "message", "state", "hot", "short", "group", "shard", "list", "item", "index", "dict", "redis", "s3", "element", "child", "parent", "react", "storage", "local", "session", "config", "setting", "settings", "foo", "test", "my", "the", "data", "default", "kms"]);

/** A name that holds a secret, token or key (`datadogToken`, `jfrog_api_key`, `SENTRY_KEY`), not one about it. */
export function isSecretName(key: string): boolean {
  const words = nameWords(key);
  const last = words[words.length - 1];
  if (last === undefined || SETTING_WORDS.has(last)) return false;
  if (/secret|token|credential|creds|apikey|passphrase/i.test(key) || words.includes("auth")) return true;
  if (last === "key") {
    const before = words[words.length - 2];
    return before !== undefined && !NON_SECRET_KEYS.has(before);
  }
  // One word (`apikey`, `masterkey`): only the kinds of keys that are secrets, not `monkey` or `hotkey`.
  return last.endsWith("key") && KEY_KINDS.includes(last.slice(0, -3));
}

/** How often letters and digits alternate: generated strings switch often, words with a version number rarely. */
function digitTransitions(v: string): number {
  let transitions = 0;
  for (let i = 1; i < v.length; i += 1) if (/[0-9]/.test(v[i] as string) !== /[0-9]/.test(v[i - 1] as string)) transitions += 1;
  return transitions;
}

/** A value fit for its name: a password name takes a human-made password, any other secret name a machine-made key. */
function fitsName(key: string, value: string): boolean {
  if (isPasswordName(key)) return notCode(value) && passwordBare(value);
  return looksRandom(value) || isUuid(value) || strongSecret(value);
}

const APPSETTING_NAME = /(?:pass(?:word|wd|phrase)?|pwd|secret|token|api_?key)$/i;

/** Call arguments split at top-level commas, each with its offset. */
function splitArguments(args: string): { text: string; at: number }[] {
  const out: { text: string; at: number }[] = [];
  let depth = 0;
  let quote = "";
  let start = 0;
  for (let i = 0; i < args.length; i += 1) {
    const c = args[i] as string;
    if (quote) {
      if (c === "\\") i += 1;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "(" || c === "[" || c === "{") depth += 1;
    else if (c === ")" || c === "]" || c === "}") depth -= 1;
    else if (c === "," && depth === 0) {
      out.push({ text: args.slice(start, i), at: start });
      start = i + 1;
    }
  }
  out.push({ text: args.slice(start), at: start });
  return out;
}

/** Which argument of a well-known login or connect call is the password. */
const PASSWORD_ARGUMENT: Record<string, number> = {
  mysqli_connect: 2,
  mysqli: 2,
  mysql_connect: 2,
  pdo: 2,
  getconnection: 2,
  plainauth: 2,
  networkcredential: 1,
  simple_bind_s: 1,
  simple_bind: 1,
  bind_s: 1,
  httpbasicauth: 1,
  httpdigestauth: 1,
  usernamepasswordcredentials: 1,
  passwordauthentication: 1,
  setbasicauth: 1,
};

const calls: Rule[] = [
  {
    id: "c-define-secret",
    description: "Password or secret in a C/C++/Objective-C #define",
    keywords: ["#define"],
    pattern: re(`#[ \\t]*define[ \\t]+(?<key>[A-Za-z_]\\w{0,60})[ \\t]+[@L]?"(?<secret>[^"\\\\\\n]{4,200})"`),
    refine: (match) => {
      const span = match.indices?.groups?.secret;
      const key = match.groups?.key;
      if (!span || key === undefined || !(isPasswordName(key) || isSecretName(key)) || !fitsName(key, match.input.slice(span[0], span[1]))) return undefined;
      return { start: span[0], end: span[1], key };
    },
    generic: true,
    placeholders: true,
    samples: {
      tps: [`#define DB_PASSWORD "${f(alnum, 6)}-${f(alnum, 6)}"`, `#define API_TOKEN @"${f(alnum, 32)}"`],
      fps: ['#define PASSWORD_PROMPT "Password: "', '#define DB_PASSWORD "changeme"', `#define TOKEN_HEADER "X-Auth-Token"`],
    },
  },
  {
    id: "credential-call-position",
    description: "Password literal in its known position of a login or connect call (PDO, mysqli_connect, getConnection, NetworkCredential, PlainAuth, LDAP bind)",
    keywords: ["mysqli_connect(", "mysqli(", "mysql_connect(", "pdo(", "getconnection(", "networkcredential(", "plainauth(", "bind_s(", "simple_bind(", "httpbasicauth(", "httpdigestauth(", "usernamepasswordcredentials(", "passwordauthentication(", "setbasicauth("],
    pattern: re(
      `(?<fn>${["mysqli_connect", "mysqli", "mysql_connect", "PDO", "getConnection", "NetworkCredential", "PlainAuth", "simple_bind_s", "simple_bind", "bind_s", "HTTPBasicAuth", "HTTPDigestAuth", "UsernamePasswordCredentials", "PasswordAuthentication", "SetBasicAuth"].map(ci).join("|")})\\s*\\((?<args>(?:[^()\\n]|\\([^()\\n]{0,80}\\)){0,400})\\)`,
    ),
    refine: (match) => {
      const args = match.groups?.args;
      const at = match.indices?.groups?.args;
      const index = PASSWORD_ARGUMENT[(match.groups?.fn ?? "").toLowerCase()];
      if (args === undefined || !at || index === undefined) return undefined;
      const arg = splitArguments(args)[index];
      const literal = arg && /^\s*[@$]?(["'`])((?:(?!\1)[^\\]|\\.){1,128})\1/d.exec(arg.text);
      const span = literal?.indices?.[2];
      return span && arg ? { start: at[0] + arg.at + span[0], end: at[0] + arg.at + span[1] } : undefined;
    },
    generic: true,
    placeholders: true,
    minEntropy: 1.5,
    validate: (v) => notCode(v) && characterClasses(v) >= 2,
    samples: {
      tps: [
        `$link = mysqli_connect("localhost", "shop", "${f(alnum, 12)}", "shop");`,
        `$db = new mysqli("localhost", "shop", "${f(alnum, 12)}", "shop");`,
        `$pdo = new PDO('mysql:host=db;dbname=shop', 'app', '${f(alnum, 14)}');`,
        `Connection c = DriverManager.getConnection(url, "app", "${f(alnum, 14)}");`,
        `var credential = new NetworkCredential("ci@acme.io", "${f(alnum, 12)}");`,
        `auth := smtp.PlainAuth("", "mailer", "${f(alnum, 12)}", "smtp.acme.io")`,
        `conn.simple_bind_s("cn=admin,dc=acme,dc=io", "${f(alnum, 12)}")`,
        `new PasswordAuthentication("ci", "${f(alnum, 12)}".toCharArray());`,
      ],
      fps: ['$link = mysqli_connect($host, $user, $password, "shop");', "DriverManager.getConnection(url, user, password)", 'new NetworkCredential("ci", Environment.GetEnvironmentVariable("SMTP_PASSWORD"))', 'mysqli_connect("localhost", "root", "changeme")'],
    },
  },
  {
    id: "name-value-pair",
    description: "Secret in a name/value pair over two lines (Kubernetes env, ECS container definitions)",
    keywords: ["name:", '"name":'],
    path: /\.(?:ya?ml|json)$/i,
    nextLine: "always",
    pattern: re(`(?:^|[\\s{,-])["']?name["']?\\s*:\\s*["']?(?<key>[A-Za-z_][\\w.-]{0,80})["']?\\s*,?[ \\t]*\\r?\\n[ \\t]*["']?value["']?\\s*:\\s*(?<q>["']?)(?<secret>[^\\s"'\\\\]{4,512})\\k<q>[ \\t]*[,}\\]]*[ \\t]*(?:\\r?\\n|$)`),
    refine: (match) => {
      const span = match.indices?.groups?.secret;
      const key = match.groups?.key;
      const value = match.groups?.secret;
      if (!span || key === undefined || value === undefined || !fitsName(key, value)) return undefined;
      return { start: span[0], end: span[1], key };
    },
    validKey: (key) => isPasswordName(key) || isSecretName(key),
    generic: true,
    placeholders: true,
    samples: {
      tps: [
        file("k8s/deployment.yaml", `env:\n  - name: DB_PASSWORD\n    value: "${f(alnum, 6)}-${f(alnum, 6)}"\n  - name: STRIPE_TOKEN\n    value: ${f(alnum, 32)}\n`),
        file("task-definition.json", `{"environment": [\n  {"name": "API_KEY",\n   "value": "${f(lower, 32)}"}\n]}`),
      ],
      fps: [
        file("k8s/deployment.yaml", "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: db\n  - name: TOKEN_URL\n    value: https://auth.acme.io/token\n"),
        file("k8s/deployment.yaml", "env:\n  - name: LOG_LEVEL\n    value: " + f(alnum, 32) + "\n  - name: API_KEY\n    value: changeme\n"),
      ],
    },
  },
  {
    id: "name-value-call",
    description: "Secret passed with its name to a call or index (os.Setenv, props.put, Headers.Add, ENV[...] =, setApiKey(...))",
    // The name's last word right before its closing quote or the setter's `(`: far fewer lines than every `key` or `auth`.
    keywords: ["secret", "token", "key", "pass", "password", "passwd", "pwd", "credential", "credentials", "creds", "auth"].flatMap((word) => [`${word}"`, `${word}'`, `${word}("`, `${word}('`]),
    pattern: re(
      `(?:[([]\\s*[rbuf@]?["'](?<key>[A-Za-z_][\\w.:-]{0,60})["']\\s*(?:,|\\]\\s*=)\\s*[rbuf@]?["'](?<secret>[^"'\\s\\\\]{8,512})["']|(?<![A-Za-z0-9_])set(?<key2>[A-Z][A-Za-z0-9]{0,40})\\s*\\(\\s*["'](?<s2>[^"'\\s\\\\]{8,512})["']\\s*\\))`,
    ),
    refine: (match) => {
      const span = match.indices?.groups?.secret ?? match.indices?.groups?.s2;
      const key = match.groups?.key ?? match.groups?.key2;
      if (!span || key === undefined || !(isPasswordName(key) || isSecretName(key))) return undefined;
      if (!fitsName(key, match.input.slice(span[0], span[1]))) return undefined;
      return { start: span[0], end: span[1], key };
    },
    generic: true,
    placeholders: true,
    samples: {
      tps: [
        `\tos.Setenv("SIGNING_KEY", "${f(alnum, 24)}")`,
        `        props.put("circleci.token", "${f(lower, 24)}");`,
        `        request.Headers.Add("X-API-KEY", "${f(alnum, 32)}");`,
        `config.set("deploy_token", "${f(alnum, 24)}")`,
        `        client.setMasterKey("${f(alnum, 24)}");`,
      ],
      fps: [
        'os.Setenv("TOKEN_URL", "https://auth.acme.io/token")',
        'config.get("api_key", "default-api-key")',
        'request.Headers.Add("X-Request-Id", "' + f(alnum, 32) + '")',
        'client.setCacheKey("' + f(alnum, 24) + '");',
        'ENV["SECRET_KEY"] = ENV.fetch("SECRET")',
      ],
    },
  },
  {
    id: "named-key-assignment",
    description: "Machine-made value assigned to a name ending in `key` (SENTRY_KEY, algoliaAdminKey, writeKey)",
    keywords: ["key=", "key =", "key:", "key :", 'key":', "key':", 'key"]', "key']", "key?=", "key <-", "key[]", "key string =", "key: &"],
    // Starts at `key` itself; the detector extends the name back, and the name check turns away cacheKey, publicKey, sortKey.
    pattern: re(
      `(?<key>[kK][eE][yY])(?<=[A-Za-z0-9][_.-]?[kK][eE][yY])${TYPE_ANNOTATION}${ASSIGN_NO_COMMA}(?:${STRING_PREFIX}\\\\?["'\`](?<secret>[A-Za-z0-9+/=_.~-]{16,512})\\\\?["'\`]|(?<bare>[A-Za-z0-9+/=_.~-]{16,512})(?=\\s|$|;))`,
    ),
    extendKey: true,
    generic: true,
    placeholders: true,
    validKey: isSecretName,
    validate: (v) => looksRandom(v) && !readsAsIdentifier(v),
    samples: {
      tps: [`SENTRY_KEY = "${f(alnum, 30)}"`, `app.algoliaAdminKey = ${f(lower, 31)}`, `export const writeKey: string = "${f(alnum, 32)}";`, `var FINICITYKey string = \`${f(alnum, 32)}\``, file("gradle.properties", `mapsServerKey=${f(alnum, 32)}\n`)],
      fps: [`cacheKey = "${f(alnum, 32)}"`, `publicKey = "${f(base64, 44)}"`, `sortKey: "created-at-descending"`, `monkey = "${f(alnum, 32)}"`, `key = "${f(alnum, 32)}"`, "EMRFS_SSE_KEY = 'fs.s3.enableServerSideEncryption'", '"result_key": "Ipv6CidrAssociations"'],
    },
  },
  {
    id: "cli-secret-flag",
    description: "Token, key or secret given on a command line (--api-key=..., --token ...)",
    keywords: ["--token", "--api-key", "--apikey", "--secret", "--client-secret", "--auth-token", "--access-token", "--access-key", "--secret-key", "--private-token", "--key"],
    pattern: re(`(?<=\\s)--(?<key>[a-z0-9-]{0,30}(?:token|api-?key|secret|access-key|secret-key|auth|key))[ =](?<q>["']?)(?<secret>[A-Za-z0-9+/=_.~:-]{16,512})\\k<q>(?=\\s|$|\\\\)`),
    generic: true,
    placeholders: true,
    validKey: isSecretName,
    validate: looksRandom,
    samples: {
      tps: [`./deploy --api-key ${f(alnum, 32)} --env prod`, `cli login --token ${f(lower, 40)}`],
      fps: ["./deploy --api-key=$API_KEY --env prod", `cli --token-file ${f(alnum, 32)}`, `ssh-add --key ${f(alnum, 20)}`],
    },
  },
  {
    id: "url-query-secret",
    description: "Secret, token or API key in a URL query string",
    keywords: ["secret=", "token=", "apikey=", "api_key=", "api-key=", "access_key=", "auth="],
    // A name with a `.` (`a&&e.token=x`) is minified code, not a query parameter.
    pattern: re(`(?<=[\\w/%.-])[?&](?<key>[A-Za-z0-9_-]{0,30}(?:${ci("secret")}|${ci("token")}|${ci("apikey")}|${ci("api_key")}|${ci("api-key")}|${ci("access_key")}|${ci("auth")}))=(?<secret>[^&\\s"'#<>;()[\\]\\\\]{8,512})`),
    generic: true,
    placeholders: true,
    validKey: isSecretName,
    validate: (v) => looksRandom(v.replace(/%[0-9A-Fa-f]{2}/g, "")) || strongSecret(v),
    samples: {
      tps: [`TOKEN_URL="https://auth.acme.io/oauth/token?grant_type=client_credentials&client_id=web&client_secret=${f(alnum, 32)}"`, `fetch("https://api.acme.io/v1/items?api_key=${f(lower, 32)}")`],
      fps: [
        "https://api.acme.io/v1/items?api_key=YOUR_API_KEY",
        "https://auth.acme.io/authorize?response_type=token&token_type=bearer",
        `https://acme.io/reset?token=\${token}`,
        `[![codecov](https://codecov.io/gh/acme/api/graph/badge.svg?token=${f(alnum, 10)})](https://codecov.io/gh/acme/api)`,
        `if(a&&e.token=${f(alnum, 20)})return`,
      ],
    },
  },
  {
    id: "terraform-variable-default",
    description: "Literal default of a Terraform variable whose name says it is a password or secret",
    keywords: ["variable"],
    path: /\.tf$/,
    multiline: true,
    pattern: re(`variable\\s+"(?<key>[^"]+)"\\s*\\{(?<args>(?:[^{}]|\\{(?:[^{}]|\\{[^{}]*\\})*\\})*)\\}`),
    refine: (match) => {
      const key = match.groups?.key;
      const args = match.groups?.args;
      const at = match.indices?.groups?.args;
      if (key === undefined || args === undefined || !at) return undefined;
      const value = /(?:^|\n)\s*default\s*=\s*"((?:[^"\\]|\\.)*)"/d.exec(args);
      const span = value?.indices?.[1];
      if (!span || value?.[1] === undefined || !fitsName(key, value[1])) return undefined;
      return { start: at[0] + span[0], end: at[0] + span[1], key };
    },
    validKey: (key) => isPasswordName(key) || isSecretName(key),
    generic: true,
    placeholders: true,
    samples: {
      tps: [file("variables.tf", `variable "db_password" {\n  type      = string\n  sensitive = true\n  default   = "${f(alnum, 6)}-${f(alnum, 6)}"\n}\n`), file("variables.tf", `variable "datadog_api_token" {\n  default = "${f(hex, 32)}"\n}\n`)],
      fps: [file("variables.tf", 'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n'), file("variables.tf", 'variable "token_ttl" {\n  default = "3600"\n}\n'), file("variables.tf", 'variable "db_password" {\n  default = ""\n}\n')],
    },
  },
  {
    id: "go-sql-dsn",
    description: "Password in a Go database/sql DSN (user:password@tcp(host:3306)/db)",
    keywords: ["@tcp(", "@unix("],
    pattern: re(`(?<![\\w@:/%.-])[\\w.%-]{1,64}:(?<secret>[^@\\s"'\`/:]{1,128})@(?:tcp|unix|udp)\\(`),
    generic: true,
    placeholders: true,
    minLength: 3,
    samples: {
      tps: [`dsn := "app:${f(alnum, 14)}@tcp(db.internal:3306)/shop?parseTime=true"`],
      fps: ['dsn := "app:password@tcp(db:3306)/shop"', 'dsn := fmt.Sprintf("%s:%s@tcp(%s)/%s", user, pw, host, db)'],
    },
  },
];

const assignments: Rule[] = [
  assignment("password-assignment", "Password assigned in code or config", PASSWORD_NAME, PASSWORD_VALUE, {
    keywords: ["pass", "pwd"],
    minEntropy: 1.5,
    validKey: isPasswordName,
    validate: (v) => notCode(v) && !isNameLike(v) && !namesItself(v),
    // Unquoted, an identifier like `db_pass` or `password_id,` is a reference to a variable, not a password;
    // `Hist0ry-new-Passw0rd-2` in a .env file is a password.
    bareValue: passwordBare,
    samples: {
      tps: [`DB_PASSWORD = "${f(alnum, 14)}"`, `admin_password = "${f(alnum.replace(/[0-9]/g, ""), 6)}pWD${f(alnum.replace(/[0-9]/g, ""), 10)}"`, `spring.datasource.password=${f(alnum, 12)}`, `{"password": "${f(alnum, 10)}"}`, `<add name="x" password="${f(alnum, 12)}" />`, `"{\\"password\\": \\"${f(alnum, 12)}\\"}"`, `$password := "${f(alnum, 12)}"`,
        file(".env", `DB_PASSWORD="$${f(alnum, 6)}-${f(alnum, 4)}1!"\n`),
        file("NOTES.md", `Run it with \`DB_PASSWORD=${f(alnum, 12)}\` against staging.`),
        `db_password <- "${f(alnum, 12)}"`, `Dim password As String = "${f(alnum, 12)}"`, `char password[] = "${f(alnum, 12)}";`, `NSString *password = @"${f(alnum, 12)}";`, file("Makefile", `DB_PASSWORD ?= ${f(alnum, 12)}\n`)],
      fps: ['bypass = "abcdef123456"', 'password = "changeme"', 'FILTER_PASSWORD = "MasterUserPassword"', '"MasterUserPassword": "moto-password-123",', '$password = "$env:DB_PASSWORD"', 'my %c = (password => "$ENV{DB_PASSWORD}");', 'Password.tfResourceType = "random_password"', "allPass: 'overEvery',", 'messagePassThrough = "' + f(alnum, 20) + '"', "password: ${DB_PASSWORD}", 'passed = "yes-it-did"', 'password = os.environ["DB_PASSWORD"]', 'password = "123456789"', 'password = "*********"'],
    },
  }),
  assignment("high-entropy-secret", "High-entropy value assigned to a secret, token or key name", SECRET_NAME, SECRET_VALUE, {
    keywords: ["secret", "token", "credential", "creds", "salt", "auth", ...KEY_NAMES],
    // `SECRET_HASH`, `token_digest`: a digest of the secret, random-looking but no credential.
    validKey: (key) => !DIGEST_WORDS.has(nameWords(key).at(-1) ?? ""),
    // Random-looking keys, or generated values with symbols: one pattern, so lines are searched once.
    validate: (v) => ((/^[A-Za-z0-9+/=_.~-]{16,}$/.test(v) && (looksRandom(v) || isUuid(v))) || strongSecret(v)) && !encodesPlaceholder(v),
    bareValue: (v) => /^[A-Za-z0-9+/=_.~-]+$/.test(v) || characterClasses(v) >= 4,
    samples: {
      tps: [
        `client_secret = "${f(lower, 32)}"`,
        `datadogToken: ${f(lower, 40)}`,
        `deploy_api_key = "${f(lower, 64)}"`,
        `SIGNING_KEY=${f(alnum, 32)}`,
        `auth: "${f(alnum, 24)}"`,
        `"access_key": "${f(hex, 40)}"`,
        `const ENCRYPTION_KEY: &'static str = "${f(lower, 36)}";`,
        `api_token = os.getenv("API_TOKEN") or "${f(lower, 32)}"`,
        `acme_api_token ::= "${f(lower, 32)}"`,
        `acme_token = """${f(lower, 32)}"""`,
        `const apiKey = process.env.API_KEY || "${f(alnum, 32)}";`,
        `APP_SECRET = "${f(alnum, 5)}#${f(alnum, 5)}!${f(alnum, 5)}"`,
        `"client_secret": "${f(alnum, 4)}!${f(alnum, 4)}^${f(alnum, 6)}"`,
      ],
      fps: [
        'api_key = "your-api-key-here"',
        'token = "abcdefghijklmnop1234"',
        'client_secret = "{{ secrets.CLIENT_SECRET }}"',
        'author = "jdoe-2024-release-notes"',
        `secret_name = "prod/db/password"`,
        'secret_format = "%s-%d-%s-token"',
        'token_url = "https://auth.acme.io/token"',
        'secret_ref = "vault:kv/app#key"',
        'token = os.getenv("TOKEN") or ""',
        `payload = {"SECRET_HASH": "${f(hex, 32)}"}`,
        `"authorizationToken": "${Buffer.from("AWS:012345678910-auth-token").toString("base64")}",`,
        "const secret = config.secret ?? 'your-secret-here';",
      ],
    },
  }),
  {
    id: "password-next-line",
    description: "Password or secret on the line after its name (YAML block, XML element, continuation)",
    keywords: ["pass", "pwd", "secret", "token"],
    nextLine: true,
    pattern: re(
      `(?<key>(?:${PASSWORD_NAME}|${ci("secret")}|${ci("token")})${IDENT}{0,40})(?:["']?\\s*[:=]\\s*(?:[|>][-+]?|\\()?|>)[ \\t]*\\r?\\n[ \\t]*["']?(?<secret>[^\\s"'<>:=,]{6,200})["']?,?[ \\t]*(?:\\r?\\n|$|</)`,
    ),
    extendKey: true,
    generic: true,
    placeholders: true,
    minEntropy: 2.5,
    validKey: (key) => isPasswordName(key) || /secret|token/i.test(key),
    // `name =` then `other.field;` on the next line is code continuing, not a value.
    validate: (v) => notCode(v) && !/[;,)]$/.test(v) && (characterClasses(v) >= 3 || looksRandom(v) || (characterClasses(v) === 2 && digitTransitions(v) >= 4 && entropy(v) >= 3)),
    samples: {
      tps: [`db:\n  password:\n    ${f(alnum, 14)}\n`, `<password>\n  ${f(alnum, 14)}\n</password>`, `{\n  "password":\n    "${f(alnum, 14)}",\n  "user": "app"\n}`],
      fps: ["password:\n  secretKeyRef:\n    name: app", "token:\n  - read\n", "const totalTokenCount =\n  commentsBeforeToken.length;"],
    },
  },
  {
    id: "xml-password-element",
    description: "Password in an XML element (<Pass>, <password>, <keystorePassword>)",
    keywords: ["pass>", "word>", "wd>", "phrase>"],
    pattern: re(`<(?<key>[\\w:.-]{0,30}(?:${PASSWORD_NAME})[\\w:.-]{0,30})(?:\\s[^<>]*)?>[ \\t]*(?<secret>[^<>\\s]{4,200})[ \\t]*</\\k<key>>`),
    generic: true,
    placeholders: true,
    minEntropy: 1.5,
    validKey: isPasswordName,
    validate: notCode,
    samples: {
      tps: [`<server><id>nexus</id><password>${f(alnum, 14)}</password></server>`, `<Password>${f(alnum, 12)}</Password>`],
      fps: ["<password>${env.NEXUS_PASSWORD}</password>", "<bypass>enabled-always</bypass>", "<passwordPolicy>strict-mode</passwordPolicy>"],
    },
  },
  {
    id: "xml-secret-element",
    description: "Random-looking secret, token or key in an XML element (<apiKey>, <signing_key>, <auth>)",
    keywords: ["secret>", "token>", "key>", "credential>", "auth>", "creds>"],
    pattern: re(`<(?<key>[\\w:.-]{0,30}(?:${SECRET_NAME}|${ci("key")})[\\w:.-]{0,30})(?:\\s[^<>]*)?>[ \\t]*(?<secret>[^<>\\s]{10,512})[ \\t]*</\\k<key>>`),
    generic: true,
    placeholders: true,
    // Any `...Key` element (`<SearchAdminKey>`) but not `<PublicKey>` or `<CacheKey>`.
    validKey: (key) => SECRET_NAME_PATTERN.test(key) || isSecretName(key),
    validate: (v) => looksRandom(v) || isUuid(v) || strongSecret(v),
    samples: {
      tps: [`<apiKey>${f(alnum, 32)}</apiKey>`, `<signing_key>${f(lower, 28)}</signing_key>`, `<auth>${f(hex, 40)}</auth>`, `<SearchAdminKey>${f(hex, 32)}</SearchAdminKey>`],
      fps: ["<token>changeme</token>", "<secretName>prod-db-password</secretName>", "<authMethod>oauth2-client-credentials</authMethod>"],
    },
  },
  {
    id: "credential-call-argument",
    description: "Password passed as a literal to a login, connect or set-password call",
    keywords: ["login(", "authenticate(", "connect(", "auth=(", "auth = (", "basicauth(", "basic_auth(", "signin(", "sign_in(", "setpassword(", "set_password(", "withcredentials(", "securestring"],
    pattern: re(
      `(?:(?<![A-Za-z0-9_])(?<fn>${ci("login")}|${ci("authenticate")}|${ci("connect")}|${ci("signIn")}|${ci("sign_in")}|${ci("basicAuth")}|${ci("basic_auth")}|${ci("withCredentials")})\\s*\\(\\s*(?:[^,()]{1,80},\\s*){1,3}|${ci("auth")}\\s*=\\s*\\(\\s*["'][^"']{1,80}["']\\s*,\\s*|${ci("set")}_?${ci("password")}\\s*\\(\\s*(?:[^,()]{1,80},\\s*)?|${ci("ConvertTo-SecureString")}\\s+)[rbuf]?["'](?<secret>[^"'\\s]{4,128})["']`,
    ),
    generic: true,
    placeholders: true,
    minEntropy: 1.5,
    // Host, port and database names share those calls' argument lists.
    validate: (v) => notCode(v) && characterClasses(v) >= 2 && !readsAsIdentifier(v) && !/^[a-z]+:\/\/|^(?:postgres|mysql|localhost|guest|user|default)$/i.test(v),
    samples: {
      tps: [`client.login("deploy", "${f(alnum, 12)}")`, `requests.get(url, auth=("deploy", "${f(alnum, 12)}"))`, `user.set_password("${f(alnum, 12)}")`, `pg.connect(host, "app", "${f(alnum, 14)}")`, `$pw = ConvertTo-SecureString "${f(alnum, 12)}" -AsPlainText -Force`],
      fps: ["client.login(user, password)", 'client.login("deploy", os.environ["PW"])', 'connect("localhost", 5432, "postgres")', 'self.connect("cache_post_open", "_inc_changes_count")', 'auth._parse_www_authenticate(response, "www-authenticate")'],
    },
  },
  {
    id: "xml-named-element-text",
    description: "Secret as the text of an element named by its attribute (<entry key=\"db.password\">, <Setting name=\"Proxy password\">, <param name=\"token\">)",
    keywords: ["<entry ", "<setting ", "<param ", "<property "],
    pattern: re(`<(?<el>entry|[Ss]etting|param|property)\\s+(?:key|name)\\s*=\\s*"(?<key>[^"<>]{1,80})"\\s*>[ \\t]*(?<secret>[^<>\\s]{4,200})[ \\t]*</\\k<el>>`),
    refine: (match) => {
      const span = match.indices?.groups?.secret;
      const key = match.groups?.key;
      if (!span || key === undefined || !fitsName(key, match.input.slice(span[0], span[1]))) return undefined;
      return { start: span[0], end: span[1], key };
    },
    generic: true,
    placeholders: true,
    validKey: (key) => isPasswordName(key) || isSecretName(key),
    samples: {
      tps: [`<properties>\n  <entry key="db.password">${f(alnum, 6)}-${f(alnum, 6)}</entry>\n</properties>`, `<Setting name="Proxy password">${f(alnum, 12)}</Setting>`, `<param name="api_token">${f(lower, 32)}</param>`],
      fps: ['<entry key="db.password">${DB_PASSWORD}</entry>', '<Setting name="Proxy password"></Setting>', '<entry key="password.policy">strict</entry>', `<param name="cache_key">${f(alnum, 32)}</param>`],
    },
  },
  {
    id: "appsettings-key-value",
    description: "Secret in a key/value pair (<add key=\"Password\" value=\"...\"/>, {\"name\": \"password\", \"value\": ...})",
    keywords: ["value=\"", "value = \"", "\"value\": \""],
    pattern: re(
      `(?:key|name|Key|Name)\\s*=\\s*"(?<key>[^"]{0,40}(?:${ci("pass")}|${ci("pwd")}|${ci("secret")}|${ci("token")}|${ci("key")})[^"]{0,40})"\\s+(?:value|Value)\\s*=\\s*"(?<secret>[^"]{4,200})"|"(?:name|key|Name|Key)"\\s*:\\s*"(?<key2>[^"]{0,40}(?:${ci("pass")}|${ci("secret")}|${ci("token")})[^"]{0,40})"\\s*,\\s*"(?:value|Value)"\\s*:\\s*"(?<s2>[^"]{4,200})"`,
    ),
    refine: (match) => {
      const groups = match.indices?.groups;
      const span = groups?.secret ?? groups?.s2;
      const key = match.groups?.key ?? match.groups?.key2;
      if (!span || key === undefined) return undefined;
      const value = match.input.slice(span[0], span[1]);
      if (isPasswordName(key) ? !APPSETTING_NAME.test(key) : !fitsName(key, value)) return undefined;
      return { start: span[0], end: span[1], key };
    },
    generic: true,
    placeholders: true,
    minEntropy: 2,
    validKey: (key) => APPSETTING_NAME.test(key) || isSecretName(key),
    validate: notCode,
    samples: {
      tps: [`<add key="SmtpPassword" value="${f(alnum, 12)}" />`, `{"name": "DB_PASSWORD", "value": "${f(alnum, 14)}"}`, `<add key="MasterKey" value="${f(lower, 22)}" />`],
      fps: ['<add key="PasswordPolicy" value="strict" />', '<add key="ApiKey" value="encryptionKeyId" />', '{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {}}}', '<add key="CacheKey" value="users-by-region" />', '<add key="PublicKey" value="' + f(alnum, 40) + '" />'],
    },
  },
  {
    id: "env-file-secret",
    description: "High-entropy value in a .env file",
    keywords: [],
    // .env.example and friends hold placeholders by design.
    path: /(?:^|\/)\.env(?:\.(?!(?:example|sample|template|dist)$)[\w.-]+)?$/,
    pattern: re(`^\\s*(?:export\\s+)?(?<key>[A-Za-z_][A-Za-z0-9_.]*)\\s*=\\s*["']?(?<secret>[A-Za-z0-9+/=_.~-]{20,512})["']?\\s*$`, "m"),
    generic: true,
    placeholders: true,
    requireDigit: true,
    // A commit, digest or build id is random-looking and public.
    validKey: (key) => !/(?:^|_)(?:REVISION|REV|COMMIT|COMMIT_SHA|SHA|SHA1|SHA256|DIGEST|CHECKSUM|ETAG|VERSION|BUILD|BUILD_ID|ID|UUID|GUID)$/i.test(key),
    validate: looksRandom,
    samples: { tps: [file(".env", `NODE_ENV=production\nUPSTREAM=${f(alnum, 32)}\n`)], fps: [file(".env.example", `UPSTREAM=${f(alnum, 32)}\n`), file(".env", "BUILD=release-2024-01-01-final\n"), file(".env", `GIT_REVISION=${f(hex, 40)}\n`)] },
  },
];

/** Call arguments `Name=..., Value=...` in any order, in Python, JavaScript or the AWS CLI. */
function argument(args: string, name: string): { index: number; value: string } | undefined {
  const match = new RegExp(`(?<![A-Za-z0-9_])["']?${name}["']?\\s*[=:]\\s*[rbuf]?(["'\`])((?:(?!\\1)[^\\\\]|\\\\.)*)\\1`, "d").exec(args);
  if (!match?.indices?.[2] || match[2] === undefined) return undefined;
  return { index: match.indices[2][0], value: match[2] };
}

function callArguments(valueName: string, keyName: string) {
  return (match: RegExpExecArray): RuleMatch | undefined => {
    const args = match.groups?.args;
    const at = match.indices?.groups?.args;
    if (args === undefined || !at) return undefined;
    const value = argument(args, valueName);
    if (!value) return undefined;
    const key = argument(args, keyName);
    return { start: at[0] + value.index, end: at[0] + value.index + value.value.length, key: key?.value };
  };
}

/** `resource "TYPE" "label" { ... attr = "literal" ... }` with one level of nested blocks. */
function terraformBlock(type: string) {
  const body = "(?:[^{}]|\\{(?:[^{}]|\\{[^{}]*\\})*\\})*";
  return re(`resource\\s+"${type}"\\s+"(?<label>[^"]+)"\\s*\\{(?<args>${body})\\}`);
}

function terraformAttribute(attr: string) {
  return (match: RegExpExecArray): RuleMatch | undefined => {
    const args = match.groups?.args;
    const at = match.indices?.groups?.args;
    if (args === undefined || !at) return undefined;
    const value = new RegExp(`(?:^|\\n)\\s*${attr}\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`, "d").exec(args);
    if (!value?.indices?.[1]) return undefined;
    const name = /(?:^|\n)\s*name\s*=\s*"([^"$]+)"/.exec(args)?.[1];
    return { start: at[0] + value.indices[1][0], end: at[0] + value.indices[1][1], key: name ?? match.groups?.label };
  };
}

const legacyVaults: Rule[] = [
  {
    id: "ssm-put-parameter-script",
    description: "Legacy vault script call put_ssm_parameter(name, value)",
    keywords: ["put_ssm_parameter"],
    multiline: true,
    pattern: re(
      `put_ssm_parameter\\(\\s*(?:name\\s*=\\s*)?[rbuf]?(?<q>["'])(?<key>[^"'\\n]+)\\k<q>\\s*,\\s*(?:value\\s*=\\s*)?[rbuf]?(?<q2>["'])(?<secret>(?:(?!\\k<q2>)[^\\\\\\n]|\\\\.)+)\\k<q2>`,
    ),
    placeholders: true,
    samples: { tps: [`put_ssm_parameter('/acme/prod/db_password', '${f(alnum, 16)}', 'SecureString')`], fps: ["put_ssm_parameter('/acme/prod/db_password', '${DB_PASSWORD}')"] },
  },
  {
    id: "ssm-put-parameter",
    description: "Value literal in an SSM PutParameter call (boto3, AWS SDK for JavaScript)",
    keywords: ["put_parameter", "putparameter"],
    multiline: true,
    pattern: re(`(?:put_parameter|putParameter|PutParameterCommand)\\(\\s*\\{?(?<args>[^()]{0,4000})\\)`),
    refine: callArguments("Value", "Name"),
    placeholders: true,
    samples: { tps: [`ssm.put_parameter(\n    Name="/acme/api_key",\n    Value="${f(alnum, 16)}",\n    Type="SecureString",\n)`], fps: ['ssm.put_parameter(Name="/acme/api_key", Value=value)'] },
  },
  {
    id: "ssm-put-parameter-cli",
    description: "Value of an `aws ssm put-parameter` command",
    keywords: ["put-parameter"],
    pattern: re(`put-parameter\\b(?<args>[^\\n]*)`),
    refine: (match) => {
      const args = match.groups?.args ?? "";
      const at = match.indices?.groups?.args;
      const value = /--value[ =](["']?)((?:(?!\1)[^\s\\]|\\.)+)\1/d.exec(args);
      if (!value?.indices?.[2] || !at) return undefined;
      const name = /--name[ =](["']?)([^\s"']+)\1/.exec(args)?.[2];
      return { start: at[0] + value.indices[2][0], end: at[0] + value.indices[2][1], key: name };
    },
    placeholders: true,
    samples: { tps: [`aws ssm put-parameter --name /acme/token --value '${f(alnum, 16)}' --type SecureString`], fps: ['aws ssm put-parameter --name /acme/token --value "$TOKEN"'] },
  },
  {
    id: "secretsmanager-secret-string",
    description: "SecretString literal in a Secrets Manager create/put call",
    keywords: ["create_secret", "put_secret_value", "createsecret", "putsecretvalue"],
    multiline: true,
    pattern: re(`(?:create_secret|put_secret_value|createSecret|putSecretValue|CreateSecretCommand|PutSecretValueCommand)\\(\\s*\\{?(?<args>[^()]{0,4000})\\)`),
    refine: (match) => callArguments("SecretString", "Name")(match) ?? callArguments("SecretString", "SecretId")(match),
    placeholders: true,
    samples: { tps: [`sm.create_secret(Name="acme/app", SecretString="${f(alnum, 16)}")`], fps: ['sm.create_secret(Name="acme/app", SecretString=json.dumps(value))'] },
  },
  {
    id: "terraform-secret-string",
    description: "Terraform aws_secretsmanager_secret_version secret_string literal",
    keywords: ["aws_secretsmanager_secret_version"],
    multiline: true,
    pattern: terraformBlock("aws_secretsmanager_secret_version"),
    refine: terraformAttribute("secret_string"),
    placeholders: true,
    samples: {
      tps: [file("main.tf", `resource "aws_secretsmanager_secret_version" "app" {\n  secret_id     = aws_secretsmanager_secret.app.id\n  secret_string = "${f(alnum, 16)}"\n}\n`)],
      fps: [file("main.tf", 'resource "aws_secretsmanager_secret_version" "app" {\n  secret_string = var.app_secret\n}\n')],
    },
  },
  {
    id: "terraform-ssm-parameter",
    description: "Terraform aws_ssm_parameter value literal",
    keywords: ["aws_ssm_parameter"],
    multiline: true,
    pattern: terraformBlock("aws_ssm_parameter"),
    refine: terraformAttribute("value"),
    placeholders: true,
    samples: {
      tps: [file("params.tf", `resource "aws_ssm_parameter" "token" {\n  name  = "/acme/token"\n  type  = "SecureString"\n  value = "${f(alnum, 16)}"\n}\n`)],
      fps: [file("params.tf", 'resource "aws_ssm_parameter" "token" {\n  name  = "/acme/token"\n  value = var.token\n}\n')],
    },
  },
];

const b64 = (text: string) => Buffer.from(text).toString("base64");

/** Base64 that decodes to printable UTF-8 text: the value a Kubernetes or FileZilla file really holds. */
export function decodeBase64Text(value: string): string | undefined {
  if (value.length % 4 === 1 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return undefined;
  const decoded = Buffer.from(value, /[-_]/.test(value) ? "base64url" : "base64").toString("utf8");
  if (decoded.length === 0 || decoded.includes("\uFFFD")) return undefined;
  let printable = 0;
  for (let i = 0; i < decoded.length; i += 1) {
    const code = decoded.charCodeAt(i);
    if ((code >= 0x20 && code !== 0x7f) || code === 0x09 || code === 0x0a || code === 0x0d) printable += 1;
  }
  return printable / decoded.length >= 0.95 ? decoded : undefined;
}

/** Each `name: base64` entry of a Kubernetes Secret's `data:` block, decoded. */
function kubernetesData(match: RegExpExecArray): RuleMatch[] {
  const block = match.groups?.data;
  const at = match.indices?.groups?.data;
  if (block === undefined || !at) return [];
  const found: RuleMatch[] = [];
  for (const entry of block.matchAll(/^[ \t]+["']?([\w.-]+)["']?:[ \t]*["']?([A-Za-z0-9+/]+={0,2})["']?[ \t]*$/dgm)) {
    const span = entry.indices?.[2];
    const decoded = decodeBase64Text(entry[2] as string);
    if (!span || decoded === undefined || decoded.trim().length < 3) continue;
    found.push({ start: at[0] + span[0], end: at[0] + span[1], key: entry[1], secret: decoded });
  }
  return found;
}

const credentialFiles: Rule[] = [
  {
    id: "kubernetes-secret-data",
    description: "Base64 value in a Kubernetes Secret's data block",
    keywords: ["kind: secret", "kind: \"secret\""],
    multiline: true,
    pattern: re(`^data:[ \\t]*\\r?\\n(?<data>(?:[ \\t]+[^\\n]*(?:\\n|$))+)`, "m"),
    refine: kubernetesData,
    placeholders: true,
    samples: {
      tps: [file("k8s/secret.yaml", `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  username: ${b64("app")}\n  password: ${b64(f(alnum, 16))}\n`)],
      fps: [file("k8s/secret.yaml", `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: ${b64("changeme")}\n`), file("k8s/cm.yaml", `kind: ConfigMap\ndata:\n  password: ${b64(f(alnum, 16))}\n`)],
    },
  },
  {
    id: "kubernetes-secret-data-json",
    description: "Base64 value in a Kubernetes Secret's data object (kubectl get secret -o json)",
    keywords: ['"kind": "secret"', '"kind":"secret"'],
    multiline: true,
    pattern: re(`"data"\\s*:\\s*\\{(?<data>[^{}]{1,65536})\\}`),
    refine: (match) => {
      const block = match.groups?.data;
      const at = match.indices?.groups?.data;
      if (block === undefined || !at) return [];
      const found: RuleMatch[] = [];
      for (const entry of block.matchAll(/"([\w.-]+)"\s*:\s*"([A-Za-z0-9+/]+={0,2})"/dg)) {
        const span = entry.indices?.[2];
        const decoded = decodeBase64Text(entry[2] as string);
        if (!span || decoded === undefined || decoded.trim().length < 3) continue;
        found.push({ start: at[0] + span[0], end: at[0] + span[1], key: entry[1], secret: decoded });
      }
      return found;
    },
    placeholders: true,
    samples: {
      tps: [file("secret.json", `{\n  "apiVersion": "v1",\n  "data": {\n    "password": "${b64(f(alnum, 16))}",\n    "token": "${b64(f(alnum, 32))}"\n  },\n  "kind": "Secret"\n}\n`)],
      fps: [file("secret.json", `{"apiVersion": "v1", "data": {"password": "${b64("changeme")}"}, "kind": "Secret"}`), file("cm.json", `{"kind": "ConfigMap", "data": {"password": "${b64(f(alnum, 16))}"}}`)],
    },
  },
  {
    id: "filezilla-password",
    description: "FileZilla saved password (<Pass>, plain or base64)",
    keywords: ["<pass"],
    pattern: re(`<Pass(?<encoded> encoding="base64")?>(?<secret>[^<]{1,512})</Pass>`),
    refine: (match) => {
      const span = match.indices?.groups?.secret;
      const value = match.groups?.secret ?? "";
      if (!span) return undefined;
      if (!match.groups?.encoded) return { start: span[0], end: span[1] };
      const decoded = decodeBase64Text(value);
      return decoded === undefined ? undefined : { start: span[0], end: span[1], secret: decoded };
    },
    placeholders: true,
    samples: {
      tps: [file("sitemanager.xml", `<Server><Host>ftp.acme.io</Host><User>deploy</User><Pass encoding="base64">${b64(f(alnum, 12))}</Pass></Server>`), file("recentservers.xml", `<Pass>${f(alnum, 12)}</Pass>`)],
      fps: [file("sitemanager.xml", `<Pass encoding="base64">${b64("changeme")}</Pass>`)],
    },
  },
  {
    id: "firefox-logins",
    description: "Firefox saved login (logins.json encryptedPassword)",
    keywords: ['"encryptedpassword"'],
    pattern: re(`"(?<key>encryptedPassword)"\\s*:\\s*"(?<secret>[A-Za-z0-9+/]{16,}={0,2})"`),
    samples: { tps: [file("logins.json", `{"logins":[{"hostname":"https://acme.io","encryptedUsername":"MDIEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECB${f(base64, 20)}","encryptedPassword":"MEIEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECN${f(base64, 40)}"}]}`)], fps: ['{"encryptedPassword": ""}'] },
  },
  {
    id: "npmrc-auth",
    description: "npm or yarn registry credentials in .npmrc / .yarnrc.yml",
    keywords: ["_auth", "_password", "npmauthtoken", "npmauthident"],
    path: /(?:^|\/)\.(?:npmrc|yarnrc\.ya?ml|yarnrc)$/,
    pattern: re(`(?<key>_authToken|_auth|_password|npmAuthToken|npmAuthIdent)["']?\\s*[=:]\\s*["']?(?<secret>[^\\s"']+)`),
    placeholders: true,
    samples: { tps: [file(".npmrc", `//npm.acme.io/:_auth=${b64(`ci:${f(alnum, 12)}`)}\n`), file(".yarnrc.yml", `npmRegistries:\n  "https://npm.acme.io":\n    npmAuthToken: "${f(alnum, 36)}"\n`)], fps: [file(".npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n")] },
  },
  {
    id: "netrc-password",
    description: "Password in .netrc",
    keywords: ["password"],
    path: /(?:^|\/)[._]?netrc$/,
    pattern: re("(?<![A-Za-z0-9_])(?<key>password)\\s+(?<secret>\\S+)"),
    placeholders: true,
    samples: { tps: [file(".netrc", `machine api.acme.io\n  login deploy\n  password ${f(alnum, 14)}\n`), file("_netrc", `machine git.acme.io login ci password ${f(alnum, 14)}\n`)], fps: [file(".netrc", "machine api.acme.io login deploy password changeme\n")] },
  },
  {
    id: "mail-client-password",
    description: "Password in a mail client's rc file (.esmtprc, .msmtprc, .fetchmailrc, .muttrc)",
    keywords: ["pass"],
    path: /(?:^|\/)(?:\.?esmtprc|\.?msmtprc|\.?fetchmailrc|\.?muttrc|msmtp\/config)$/,
    // `password "x"`, `password x`, `pass x` (fetchmail), `set smtp_pass = "x"` (mutt).
    pattern: re(`(?<![^\\s])(?<key>(?:set\\s+(?:smtp|imap|pop)_)?pass(?:word)?)(?:\\s*=\\s*|\\s+)(?:"(?<secret>[^"\\n]{1,200})"|'(?<sq>[^'\\n]{1,200})'|(?<plain>[^\\s"']{1,200}))`),
    refine: (match) => {
      const span = match.indices?.groups?.secret ?? match.indices?.groups?.sq ?? match.indices?.groups?.plain;
      return span ? { start: span[0], end: span[1], key: match.groups?.key } : undefined;
    },
    placeholders: true,
    samples: {
      tps: [file(".esmtprc", `identity "me@acme.io"\n  hostname smtp.acme.io:587\n  password "${f(alnum, 8)}!${f(alnum, 4)}"\n`), file(".msmtprc", `account default\nhost smtp.acme.io\npassword ${f(alnum, 14)}\n`), file(".muttrc", `set smtp_pass = "${f(alnum, 14)}"\n`)],
      fps: [file(".msmtprc", "account default\npasswordeval \"pass show mail\"\n"), file(".esmtprc", 'password "changeme"\n')],
    },
  },
  {
    id: "redis-requirepass",
    description: "Redis server password (requirepass / masterauth in redis.conf or on the command line)",
    keywords: ["requirepass", "masterauth"],
    pattern: re(`(?<![A-Za-z0-9_])-{0,2}(?<key>requirepass|masterauth)[ \\t]+(?<q>["']?)(?<secret>[^\\s"']{4,200})\\k<q>`),
    generic: true,
    placeholders: true,
    validate: (v) => !/^\$/.test(v),
    samples: {
      tps: [file("redis.conf", `bind 0.0.0.0\nrequirepass ${f(alnum, 18)}\n`), `    command: redis-server --requirepass ${f(alnum, 8)}!${f(alnum, 4)}`],
      fps: ["    command: redis-server --requirepass $REDIS_PASSWORD", file("redis.conf", "# requirepass foobared\n"), 'command: ["redis-server", "--requirepass", "${REDIS_PASSWORD}"]'],
    },
  },
  {
    id: "pgpass-password",
    description: "Password in .pgpass",
    keywords: [],
    path: /(?:^|\/)(?:\.pgpass|pgpass\.conf)$/,
    pattern: re("^[^#:\\n]+:[^:\\n]+:[^:\\n]+:(?:[^:\\n\\\\]|\\\\.)+:(?<secret>[^\\n]+)$", "m"),
    placeholders: true,
    samples: { tps: [file(".pgpass", `# host:port:db:user:password\ndb.acme.internal:5432:app:app_user:${f(alnum, 14)}\n*:*:*:postgres:${f(alnum, 12)}\n`)], fps: [file(".pgpass", "# hostname:port:database:username:password\n")] },
  },
  {
    id: "git-credentials",
    description: "Credentials in .git-credentials",
    keywords: [],
    path: /(?:^|\/)\.?git-credentials$/,
    // The password runs to the last `@` of the line: it may hold `@` or `#` itself.
    pattern: re("^[a-z][a-z0-9+.-]*://[^:\\n@/]*:(?<secret>[^\\n]+)@[^@\\s/]+(?:/\\S*)?$", "m"),
    samples: { tps: [file(".git-credentials", `https://deploy:${f(alnum, 10)}@#${f(alnum, 4)}@git.acme.io\nhttps://ci:${f(alnum, 24)}@github.com\n`)], fps: [file(".git-credentials", "# no credentials here\n")] },
  },
  {
    id: "htpasswd-hash",
    description: "Password hash in an htpasswd file",
    keywords: [],
    path: /(?:^|\/)\.?htpasswd[\w.-]*$|\.htpasswd$|(?:^|\/)\.?htdigest$/,
    pattern: re("^(?<key>[^:#\\s]+):(?<secret>\\$(?:apr1|2[abxy]|1|5|6)\\$\\S+|\\{SHA\\}[A-Za-z0-9+/=]+|[A-Za-z0-9./]{13})\\s*$", "m"),
    samples: { tps: [file(".htpasswd", `admin:$apr1$${f(alnum, 8)}$${f(alnum, 22)}\nops:{SHA}${b64(f(alnum, 20))}\n`)], fps: [file(".htpasswd", "# empty\n")] },
  },
  {
    id: "shadow-hash",
    description: "Password hash in a shadow file",
    keywords: [],
    path: /(?:^|\/)shadow-?$/,
    pattern: re("^(?<key>[a-z_][a-z0-9_-]*):(?<secret>\\$(?:1|2[aby]|5|6|y|gy|7)\\$[^:\\s]+):", "m"),
    samples: { tps: [file("etc/shadow", `root:$6$${f(alnum, 16)}$${f(alnum, 86)}:19500:0:99999:7:::\n`)], fps: [file("etc/shadow", "daemon:*:19500:0:99999:7:::\nroot:!:19500::::::\n")] },
  },
  {
    id: "password-hash",
    generic: true,
    placeholders: false,
    description: "Password hash (crypt, bcrypt, phpass, Django, MySQL) in a dump, seed or config",
    keywords: ["$1$", "$2a$", "$2b$", "$2y$", "$5$", "$6$", "$y$", "$apr1$", "$p$", "$h$", "$argon2", "pbkdf2_sha256$", "'*", "\"*"],
    pattern: re(
      `(?<secret>\\$(?:1|5|6|apr1)\\$[./A-Za-z0-9]{1,16}\\$[./A-Za-z0-9]{22,86}|\\$2[abxy]\\$\\d{2}\\$[./A-Za-z0-9]{53}|\\$y\\$[./A-Za-z0-9]+\\$[./A-Za-z0-9]{1,86}\\$[./A-Za-z0-9]{43}|\\$[PH]\\$[./A-Za-z0-9]{31}|\\$argon2(?:id|i|d)\\$v=\\d+\\$m=\\d+,t=\\d+,p=\\d+\\$[A-Za-z0-9+/]{16,}\\$[A-Za-z0-9+/]{22,}|pbkdf2_sha(?:256|1)\\$\\d{4,7}\\$[A-Za-z0-9]{8,32}\\$[A-Za-z0-9+/]{43}=|(?<=['"])\\*[0-9A-F]{40}(?=['"]))(?![./A-Za-z0-9])`,
    ),
    samples: {
      tps: [
        file("dump.sql", `INSERT INTO \`users\` VALUES (1,'admin','$2y$10$${f(alnum, 53)}');`),
        `root_password_hash: "$6$${f(alnum, 16)}$${f(alnum, 86)}"`,
        `INSERT INTO wp_users VALUES (1,'admin','$P$B${f(alnum, 30)}','admin');`,
        `"hash": "pbkdf2_sha256$600000$${f(alnum, 22)}$${f(base64, 43)}="`,
        `INSERT INTO mysql.user VALUES ('%','app','*${f(CHARS.upperHex, 40)}');`,
      ],
      fps: ['echo "$1$2$3"', "price: $5$ or less", "x = a * b"],
    },
  },
  {
    id: "sql-identified-by",
    description: "Password in a SQL CREATE/ALTER USER or ROLE statement",
    keywords: ["identified by", "password '", "password \""],
    pattern: re(`(?:${ci("identified")}\\s+(?:${ci("with")}\\s+\\w+\\s+)?${ci("by")}(?:\\s+${ci("password")})?|(?:${ci("with")}|${ci("login")}|${ci("user")}|${ci("role")}|,)\\s+(?:[^;\\n]*\\s)?${ci("password")})\\s+(?<q>['"])(?<secret>[^'"\\n]{4,128})\\k<q>`),
    generic: true,
    placeholders: true,
    minEntropy: 1.5,
    samples: {
      tps: [`CREATE USER 'app'@'%' IDENTIFIED BY '${f(alnum, 14)}';`, `CREATE ROLE app WITH LOGIN PASSWORD '${f(alnum, 14)}';`, `ALTER USER postgres WITH PASSWORD '${f(alnum, 12)}';`],
      fps: ["CREATE USER 'app'@'%' IDENTIFIED BY '${APP_PASSWORD}';", "ALTER USER app WITH PASSWORD 'changeme';"],
    },
  },
  {
    id: "s3cfg-secret",
    description: "Credentials in .s3cfg",
    keywords: ["secret_key", "access_token"],
    path: /(?:^|\/)\.s3cfg$/,
    pattern: re("^(?<key>secret_key|access_token)\\s*=\\s*(?<secret>\\S+)", "m"),
    placeholders: true,
    samples: { tps: [file(".s3cfg", `[default]\naccess_key = AKIAEXAMPLE\nsecret_key = ${f(base64, 40)}\n`)], fps: [file(".s3cfg", "[default]\nsecret_key = \n")] },
  },
  {
    id: "wordpress-config",
    description: "WordPress database password, keys and salts in wp-config.php",
    keywords: ["define"],
    path: /wp-config[\w.-]*\.php$/,
    pattern: re(
      `define\\(\\s*["'](?<key>DB_PASSWORD|(?:SECURE_)?AUTH_(?:KEY|SALT)|LOGGED_IN_(?:KEY|SALT)|NONCE_(?:KEY|SALT))["']\\s*,\\s*["'](?<secret>[^"'\\n]{4,})["']`,
    ),
    // Salts are random printable text: `<...>` or `${` inside one is chance, not a placeholder.
    validate: (v) => !/put your unique phrase here|^(?:password_here|changeme|database_password)$|^\$[A-Za-z_]\w*$|getenv/i.test(v),
    samples: {
      tps: [file("wp-config.php", `<?php\ndefine( 'DB_PASSWORD', '${f(alnum, 14)}' );\ndefine( 'AUTH_KEY', '${f(alnum, 20)}<{${f(alnum, 20)}>|${f(alnum, 20)}' );\ndefine( 'NONCE_KEY', '$${f(alnum, 30)}%^${f(alnum, 30)}' );\n`)],
      fps: [file("wp-config.php", "<?php\ndefine( 'AUTH_KEY', 'put your unique phrase here' );\ndefine( 'DB_PASSWORD', 'password_here' );\n")],
    },
  },
  {
    id: "magento-crypt-key",
    description: "Magento encryption key in app/etc/env.php",
    keywords: ["'crypt'", '"crypt"'],
    path: /(?:^|\/)env\.php$/,
    multiline: true,
    pattern: re(`["']crypt["']\\s*=>\\s*(?:\\[|array\\()\\s*["']key["']\\s*=>\\s*["'](?<secret>[^"'\\n]{16,})["']`),
    placeholders: true,
    samples: { tps: [file("app/etc/env.php", `<?php\nreturn [\n    'crypt' => [\n        'key' => '${f(hex, 32)}'\n    ],\n];\n`)], fps: [file("app/etc/env.php", "<?php\nreturn ['crypt' => ['key' => getenv('MAGENTO_CRYPT_KEY')]];\n")] },
  },
  {
    id: "laravel-app-key",
    description: "Laravel APP_KEY (base64: encryption key)",
    keywords: ["base64:"],
    pattern: re(`(?<secret>base64:[A-Za-z0-9+/]{43}=)`),
    samples: { tps: [file(".env", `APP_NAME=Acme\nAPP_KEY=base64:${f(base64, 43)}=\n`), `'key' => env('APP_KEY', 'base64:${f(base64, 43)}='),`], fps: ["APP_KEY=base64:", "APP_KEY="] },
  },
  {
    id: "rails-master-key",
    description: "Rails master key",
    keywords: [],
    path: /(?:^|\/)(?:master|credentials\/[\w-]+)\.key$/,
    pattern: re("^(?<secret>[0-9a-f]{32})\\s*$", "m"),
    samples: { tps: [file("config/master.key", `${f(hex, 32)}\n`)], fps: [file("config/master.key", "\n")] },
  },
  {
    id: "rails-secret-key-base",
    description: "Rails secret_key_base",
    keywords: ["secret_key_base", "secret_token"],
    pattern: re(`(?<key>secret_key_base|secret_token)["']?\\s*[:=]\\s*["']?(?<secret>[0-9a-f]{64,})`),
    samples: { tps: [`production:\n  secret_key_base: ${f(hex, 128)}`], fps: ["secret_key_base: <%= ENV['SECRET_KEY_BASE'] %>"] },
  },
  {
    id: "django-secret-key",
    description: "Django SECRET_KEY",
    keywords: ["secret_key"],
    path: /\.py$/,
    pattern: re(`(?<![A-Za-z0-9_])(?<key>SECRET_KEY)\\s*=\\s*[rbu]?["'](?<secret>[^"'\\n]{20,})["']`),
    placeholders: true,
    // `SECRET_KEY = 'aws_secret_access_key'`: a constant naming a setting.
    validate: (v) => !readsAsIdentifier(v),
    samples: { tps: [file("settings.py", `SECRET_KEY = 'django-insecure-${f(alnum, 50)}'\n`), file("settings.py", `SECRET_KEY = '@${f(lower, 20)}#)${f(lower, 20)}=%*'\n`)], fps: [file("settings.py", "SECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n"), file("credentials.py", "    SECRET_KEY = 'aws_secret_access_key'\n")] },
  },
  {
    id: "sftp-config-password",
    description: "Password in an editor SFTP/FTP deployment config",
    keywords: ["password", "passphrase"],
    path: /(?:^|\/)(?:sftp-config\.json|sftp\.json|\.ftpconfig|\.remote-sync\.json|ftp-sync\.json|deployment\.xml)$/,
    pattern: re(`["']?(?<key>password|passphrase)["']?\\s*[:=]\\s*["'](?<secret>[^"'\\n]+)["']`),
    placeholders: true,
    samples: { tps: [file("sftp-config.json", `{"type": "sftp", "host": "deploy.acme.io", "password": "${f(alnum, 12)}"}`)], fps: [file("sftp-config.json", '{"password": ""}')] },
  },
  {
    id: "docker-registry-auth",
    description: "Docker registry credentials (config.json / .dockercfg auth)",
    keywords: ['"auth"', '"identitytoken"'],
    pattern: re(`"(?<key>auth|identitytoken)"\\s*:\\s*"(?<secret>[A-Za-z0-9+/=._-]{8,})"`),
    validate: (v) => v.length >= 20 || Buffer.from(v, "base64").toString("latin1").includes(":"),
    samples: { tps: [file(".docker/config.json", `{"auths": {"registry.acme.io": {"auth": "${b64(`deploy:${f(alnum, 12)}`)}"}}}`)], fps: ['{"auths": {"registry.acme.io": {"auth": ""}}}'] },
  },
];

/** Every rule, specific ones first. */
export const RULES: readonly Rule[] = [...VENDOR_RULES, ...privateKeys, ...legacyVaults, ...credentialFiles, ...connections, ...headers, ...assignments, ...calls];

/** Rules that recognise a credential by its own format. */
export const KNOWN_FORMAT_RULE_IDS: readonly string[] = VENDOR_RULES.map((rule) => rule.id);

const PLACEHOLDER_WORDS =
  /example|placeholder|changeme|change_me|change-me|\*\*\*|\.\.\.|dummy|redacted|fake|sample|lorem|foobar|<[^>]*>|\$\{|\{\{|#\{|%\(|%s|\$\(|process\.env|os\.environ|getenv|^(?:var|local|data|module)\.[A-Za-z_][\w.-]*$|env\[|env\(|secrets\.|vault:|ssm:|arn:aws|enc\[|!vault|^\$[A-Za-z_]\w*(?:\.\w+|:\w+|->\w+|\{\w+\}|\[[^\]]*\])*$|^@[\w.-]+@?$|replace_?me|^none$|^null$|^nil$|^undefined$|^true$|^false$|^password\d*$|^passwd$|^secret$|^token$|^pass$|^string$|^value$|^name$|^required$|^optional$|^test$|^admin$|^root$/i;

/** Ascending or keyboard runs: `abcdef`, `123456`, `qwerty`. */
const SEQUENCES = /abcdef|bcdefg|cdefgh|123456|234567|345678|456789|987654|qwerty|asdfgh|zxcvbn/i;

/** Markers no real credential carries: documentation examples and masked values, for every rule. */
const FAKE_MARKERS = /example|placeholder|dummy|redacted|xxxx|\*\*\*\*/i;

/** Documentation keys published by their vendors: well known, never live. */
const KNOWN_EXAMPLES = new Set([
  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
  "AKIAIOSFODNN7EXAMPLE",
  "AKIAI44QH8DHBEXAMPLE",
  // Azurite's and the Cosmos DB emulator's fixed development keys.
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
  "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==",
  // Stripe's documentation test keys.
  "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
  "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
  "pk_test_TYooMQauvdEDq54NiTphI7jx",
  // The jwt.io sample token.
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
]);

export function isKnownExample(value: string): boolean {
  return KNOWN_EXAMPLES.has(value);
}

/** `changeme`, `${VAR}`, `<password>`, `xxxx`, `abcdef123`, `os.environ[...]` and friends. */
export function isPlaceholder(value: string): boolean {
  // `STRING_VALUE`, `DB_PASSWORD`: a constant's or a variable's name, not its value; `vaultlift:ssm:/a/b` names a secret (exec/reference.ts).
  return (
    /^vaultlift:(?:secretsmanager:|ssm:)?\//.test(value) ||
    PLACEHOLDER_WORDS.test(value) ||
    // Case-sensitive: `YOUR_TOKEN` and `your-key` are placeholders, `YoUR` inside a random key is chance.
    /your|YOUR|Your|enter|ENTER|Enter|insert|INSERT|Insert|%[A-Z_]+%/.test(value) ||
    // A Terraform resource attribute (`random_password.db.result`).
    /^[a-z][a-z0-9_]*\.[a-z0-9_-]+\.(?:result|value|secret_string|id|arn)$/.test(value) ||
    /^(.)\1+$/.test(value) ||
    /^[^A-Za-z0-9]+$/.test(value) ||
    SEQUENCES.test(value) ||
    isFake(value) ||
    /^[A-Z][A-Z0-9]*_[A-Z0-9_]*$/.test(value)
  );
}

/**
 * Masked or documentation values. A run of one character is a mask in a short value;
 * in a long one (an OpenSSH key's `AAAAAAAA`, a Twitter bearer token) only when it is a third of it.
 */
export function isFake(value: string): boolean {
  if (value.length > 200) {
    if (/EXAMPLE|PLACEHOLDER|REDACTED|\.\.\.\./.test(value)) return true;
  } else if (FAKE_MARKERS.test(value.replace(/x(?=X)|X(?=x)/g, "-"))) {
    return true;
  }
  for (const run of value.matchAll(/(.)\1{7,}/g)) if (value.length <= 40 || run[0].length * 3 >= value.length) return true;
  return false;
}

/** How many of lower case, upper case, digits and other characters the value holds. */
export function characterClasses(value: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((pattern) => pattern.test(value)).length;
}

/**
 * Entropy thresholds, tuned on generated random keys (test/scan/entropy.test.ts): at
 * least 99% of random hex (32+ characters) and base64/alphanumeric keys (16+) pass.
 * Longer strings carry more bits per character, so the bar rises with length up to a cap.
 */
export const ENTROPY = {
  hex: { minLength: 32, perLog2Length: 0.6, cap: 3.0 },
  mixed: { minLength: 16, perLog2Length: 0.8, cap: 3.5 },
} as const;

export function entropyThreshold(kind: keyof typeof ENTROPY, length: number): number {
  return Math.min(ENTROPY[kind].cap, ENTROPY[kind].perLog2Length * Math.log2(length));
}

/** Words a random string of this length almost never holds (p < 1e-6), and human-made names often do. */
const COMMON_WORDS = /token|session|secret|passw|client|access|header|param|value|default|bearer|example|sample|public|private|request|response|string|version|config|service/i;

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) && !/^0{8}-|^(.)\1{7}-/.test(value);
}

/**
 * A machine-made key: long hex; upper case, lower case and digits mixed; or one case
 * with digits scattered through it, with the entropy of a random string of its length.
 * Names like `bert-base-v2` or `release-2024-01` are none of these.
 */
export function looksRandom(value: string): boolean {
  if (COMMON_WORDS.test(value) || SEQUENCES.test(value)) return false;
  if (/^[0-9a-f]+$/i.test(value)) {
    return value.length >= ENTROPY.hex.minLength && /[a-f]/i.test(value) && /[0-9]/.test(value) && entropy(value) >= entropyThreshold("hex", value.length);
  }
  if (value.length < ENTROPY.mixed.minLength || !/[0-9]/.test(value)) return false;
  const mixedCase = /[A-Z]/.test(value) && /[a-z]/.test(value);
  if (!mixedCase) {
    // One case: only a run of letters and digits interleaved often, as random text is; `-`, `_` and `.` may join groups of it.
    const joined = value.replace(/[-_.]/g, "");
    if (!/^(?:[a-z0-9]+|[A-Z0-9]+)$/.test(joined)) return false;
    if (joined !== value) return digitTransitions(joined) * 6 >= joined.length && joined.replace(/[^0-9]/g, "").length >= 2;
    const digits = value.replace(/[^0-9]/g, "").length;
    if (value.length - digits < 2) return false;
    // Few digits, or digits bunched at the end: only as random as a long string of 36 symbols is.
    const scattered = digits >= 2 && digitTransitions(value) * 6 >= value.length;
    if (!scattered && !(value.length >= 20 && entropy(value) >= Math.min(4.3, 0.85 * Math.log2(value.length)))) return false;
  }
  return entropy(value) >= entropyThreshold("mixed", value.length);
}


/** Files where an unquoted value is a literal: env, ini, YAML, properties, shell. */
export function isConfigLike(path: string): boolean {
  const base = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  if (base.startsWith(".env") || base.startsWith("dockerfile") || base.startsWith("containerfile") || base.endsWith(".env")) return true;
  const dot = base.lastIndexOf(".");
  if (dot <= 0) return true;
  return /^(?:env|ini|cfg|conf|config|properties|ya?ml|toml|sh|bash|zsh|ksh|txt|cnf|npmrc|netrc|pgpass|s3cfg|dockercfg|htpasswd|tfvars|hcl|ps1|bat|cmd|pypirc|gradle|dockerfile|containerfile|mk|mak)$/.test(base.slice(dot + 1));
}

export { entropy };
