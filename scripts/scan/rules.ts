/**
 * The detection rules, written from the public format facts of each credential
 * (prefix, length, charset) and from the shapes of credential files. A rule's pattern
 * captures the value in the named group `secret` (or `bare`, an unquoted value only
 * trusted in config-like files) and, when it knows it, the variable name in `key`.
 */

export interface RuleMatch {
  /** Offsets in the searched text. */
  start: number;
  end: number;
  key?: string;
}

export interface Rule {
  id: string;
  description: string;
  /** Lowercase literals: only lines holding one reach the pattern. Empty: the rule runs on every file its `path` admits. */
  keywords: readonly string[];
  /** Global, with indices (`gd`). */
  pattern: RegExp;
  /** The pattern spans lines: it runs over the whole fragment when a keyword is present. */
  multiline?: boolean;
  /** Only files whose path matches. */
  path?: RegExp;
  /** Lowest Shannon entropy (bits per character) the value must reach. */
  minEntropy?: number;
  /** Shortest value. */
  minLength?: number;
  /** Generic rules give way to a specific rule that matched the same value. */
  generic?: boolean;
  /** Reject placeholder values such as `changeme`, `${VAR}`, `<password>`; on for generic rules. */
  placeholders?: boolean;
  /** Reject values that contain none of these character classes. */
  requireDigit?: boolean;
  /**
   * The `key` group starts at the distinctive word (`password`); the detector extends it
   * back to the start of the identifier (`DB_PASSWORD`). Patterns that begin with a
   * literal are much faster than ones that begin with `[A-Za-z0-9_]*`.
   */
  extendKey?: boolean;
  /** An extra check for unquoted (`bare`) values, which are easier to mistake. */
  bareValue?: (value: string) => boolean;
  /** A last check on the value. */
  validate?: (value: string) => boolean;
  /** Replaces the named groups when one match holds the value somewhere inside (blocks, call arguments). */
  refine?: (match: RegExpExecArray) => RuleMatch | undefined;
}

/** `ci("key")` -> `[kK][eE][yY]`: case-insensitive words in patterns whose values are case-sensitive. */
function ci(word: string): string {
  return word.replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}

const END = "(?![A-Za-z0-9_-])";
const START = "(?<![A-Za-z0-9_])";
const IDENT = "[A-Za-z0-9_.-]";
const ASSIGN = `["'\\]]?\\s*(?:=|:|=>|:=|,)\\s*`;
/** Generic names take no `,`: `["password", "passphrase"]` is a list of names, not a name and its value. */
const ASSIGN_NO_COMMA = `["'\\]]?\\s*(?:=|:|=>|:=)\\s*`;

function re(source: string, flags = ""): RegExp {
  return new RegExp(source, `gd${flags}`);
}

/** A token recognised by its own format, anywhere. */
function token(id: string, description: string, body: string, keywords: string[], extra: Partial<Rule> = {}): Rule {
  return { id, description, keywords, pattern: re(`${START}(?<secret>${body})${END}`), ...extra };
}

/** A value only recognisable next to a variable name that says what it is (`DATADOG_API_KEY = "..."`). */
function named(id: string, description: string, keyPattern: string, value: string, keywords: string[], extra: Partial<Rule> = {}): Rule {
  const source = `(?<key>${keyPattern}${IDENT}{0,40})${ASSIGN}(?:[A-Za-z]*\\(\\s*)?["'\`]?(?<secret>${value})(?![A-Za-z0-9_+/=-])`;
  return { id, description, keywords, pattern: re(source), extendKey: true, ...extra };
}


const BASE64 = "[A-Za-z0-9+/]";
const ALNUM = "[A-Za-z0-9]";
const URLSAFE = "[A-Za-z0-9_-]";

const knownFormats: Rule[] = [
  token("aws-access-key-id", "AWS access key id", "(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}", ["akia", "asia", "abia", "acca", "a3t"]),
  named(
    "aws-secret-access-key",
    "AWS secret access key",
    `(?:${ci("aws")}${IDENT}{0,30}${ci("secret")}|${ci("secret")}_?${ci("access")}_?${ci("key")})`,
    `${BASE64}{40}`,
    ["aws", "secret_access", "secretaccess"],
    { minEntropy: 3.5, placeholders: true },
  ),
  named("aws-session-token", "AWS session token", `${ci("aws")}_?${ci("session")}_?${ci("token")}`, `${BASE64}{100,}={0,2}`, ["aws_session", "awssession"], {
    placeholders: true,
  }),
  token("github-pat", "GitHub personal access token (classic)", `ghp_${ALNUM}{36}`, ["ghp_"]),
  token("github-fine-grained-pat", "GitHub fine-grained personal access token", "github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}", ["github_pat_"]),
  token("github-oauth-token", "GitHub OAuth access token", `gho_${ALNUM}{36}`, ["gho_"]),
  token("github-app-token", "GitHub App user-to-server or server-to-server token", `gh[us]_${ALNUM}{36}`, ["ghu_", "ghs_"]),
  token("github-refresh-token", "GitHub App refresh token", `ghr_${ALNUM}{36,76}`, ["ghr_"]),
  token("gitlab-pat", "GitLab personal access token", `glpat-${URLSAFE}{20}`, ["glpat-"]),
  token("gitlab-pipeline-trigger-token", "GitLab pipeline trigger token", "glptt-[0-9a-f]{40}", ["glptt-"]),
  token("gitlab-runner-token", "GitLab runner registration or authentication token", `(?:GR1348941|glrt-)${URLSAFE}{20}`, ["gr1348941", "glrt-"]),
  token("gitlab-deploy-token", "GitLab deploy token", `gldt-${URLSAFE}{20}`, ["gldt-"]),
  token("slack-bot-token", "Slack bot token", "xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24,34}", ["xoxb-"]),
  token("slack-user-token", "Slack user token", "xoxp-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[a-f0-9]{32}", ["xoxp-"]),
  token("slack-app-token", "Slack app-level token", "xapp-\\d-[A-Z0-9]{9,11}-[0-9]{10,13}-[a-f0-9]{64}", ["xapp-"]),
  token("slack-legacy-token", "Slack legacy or workspace token", "xox[aors]-(?:\\d+-){1,3}[A-Za-z0-9]{10,48}", ["xoxa-", "xoxo-", "xoxr-", "xoxs-"]),
  token("slack-webhook-url", "Slack incoming webhook", "https://hooks\\.slack\\.com/(?:services|workflows)/T[A-Z0-9]{8,12}/[AB][A-Z0-9]{8,12}/[A-Za-z0-9]{24,}", ["hooks.slack.com"]),
  token("stripe-secret-key", "Stripe secret key", "sk_(?:live|test)_[A-Za-z0-9]{24,99}", ["sk_live_", "sk_test_"]),
  token("stripe-restricted-key", "Stripe restricted key", "rk_(?:live|test)_[A-Za-z0-9]{24,99}", ["rk_live_", "rk_test_"]),
  token("stripe-webhook-secret", "Stripe webhook signing secret", "whsec_[A-Za-z0-9]{32,}", ["whsec_"]),
  token("google-api-key", "Google API key", `AIza${URLSAFE}{35}`, ["aiza"]),
  token("google-oauth-client-secret", "Google OAuth client secret", `GOCSPX-${URLSAFE}{28}`, ["gocspx-"]),
  {
    id: "gcp-service-account",
    description: "Google Cloud service-account key file",
    keywords: ['"private_key_id"'],
    pattern: re('"(?<key>private_key_id)"\\s*:\\s*"(?<secret>[a-f0-9]{40})"'),
  },
  token("azure-storage-account-key", "Azure storage account key in a connection string", `(?<=AccountKey=)${BASE64}{86}==`, ["accountkey="]),
  token("azure-shared-access-key", "Azure Service Bus / Event Hubs shared access key", `(?<=SharedAccessKey=)${BASE64}{43}=`, ["sharedaccesskey="]),
  token("azure-sas-token", "Azure shared access signature", "(?<=[?&]sig=)[A-Za-z0-9%+/]{43,}(?:%3D|=)?", ["sig="], { validate: (v) => /%2[BbFf]|%3[Dd]/.test(v) || v.length >= 43 }),
  token("azure-ad-client-secret", "Azure AD (Entra ID) client secret", "[A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}", ["q~"]),
  token("npm-token", "npm access token", `npm_${ALNUM}{36}`, ["npm_"]),
  token("pypi-token", "PyPI upload token", `pypi-AgEIcHlwaS5vcmc${URLSAFE}{50,}`, ["pypi-ageichlwas5vcmc"]),
  token("twilio-api-key", "Twilio API key", "SK[0-9a-f]{32}", ["sk"], { validate: (v) => /[a-f]/.test(v) && /[0-9]/.test(v.slice(2)) }),
  named("twilio-auth-token", "Twilio auth token", `${ci("twilio")}${IDENT}{0,20}${ci("token")}`, "[0-9a-f]{32}", ["twilio"]),
  token("sendgrid-api-key", "SendGrid API key", `SG\\.${URLSAFE}{22}\\.${URLSAFE}{43}`, ["sg."]),
  token("mailgun-api-key", "Mailgun private API key", "key-[0-9a-f]{32}", ["key-"]),
  token("mailchimp-api-key", "Mailchimp API key", "[0-9a-f]{32}-us[0-9]{1,2}", ["-us"]),
  token("heroku-api-key", "Heroku API key (new format)", `HRKU-AA${URLSAFE}{58}`, ["hrku-"]),
  named("heroku-api-key-legacy", "Heroku API key (UUID next to a Heroku name)", ci("heroku"), "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", ["heroku"]),
  token("digitalocean-token", "DigitalOcean personal, OAuth or refresh token", "do[opr]_v1_[a-f0-9]{64}", ["dop_v1_", "doo_v1_", "dor_v1_"]),
  named("datadog-api-key", "Datadog API key", `(?:${ci("datadog")}|${ci("dd")}_?${ci("api")})`, "[a-f0-9]{32}", ["datadog", "dd_api", "ddapi"]),
  named("datadog-app-key", "Datadog application key", `(?:${ci("datadog")}${IDENT}{0,10}|${ci("dd")}_?)${ci("app")}`, "[a-f0-9]{40}", ["datadog", "dd_app", "ddapp"]),
  token("shopify-token", "Shopify access, custom app, private app or shared secret", "shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}", ["shpat_", "shpca_", "shppa_", "shpss_"]),
  token("openai-api-key", "OpenAI API key", `sk-(?:proj-|svcacct-|admin-)?${URLSAFE}{20,}T3BlbkFJ${URLSAFE}{20,}`, ["t3blbkfj"]),
  token("anthropic-api-key", "Anthropic API key", `sk-ant-(?:api|admin)\\d{2}-${URLSAFE}{80,100}AA`, ["sk-ant-"]),
  token("jwt", "JSON Web Token", `eyJ${URLSAFE}{10,}\\.eyJ${URLSAFE}{10,}\\.${URLSAFE}{10,}`, ["eyj"]),
  {
    id: "docker-registry-auth",
    description: "Docker registry credentials (config.json / .dockercfg auth)",
    keywords: ['"auth"', '"identitytoken"'],
    pattern: re(`"(?<key>auth|identitytoken)"\\s*:\\s*"(?<secret>[A-Za-z0-9+/=._-]{8,})"`),
    validate: (v) => v.length >= 20 || Buffer.from(v, "base64").toString("latin1").includes(":"),
  },
  token("age-secret-key", "age encryption secret key", "AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}", ["age-secret-key-1"]),
  token("vault-token", "HashiCorp Vault service or batch token", `hv[sb]\\.${URLSAFE}{90,}`, ["hvs.", "hvb."]),
  token("terraform-cloud-token", "Terraform Cloud / Enterprise API token", `[A-Za-z0-9]{14}\\.atlasv1\\.${URLSAFE}{60,70}`, [".atlasv1."]),
  token("atlassian-api-token", "Atlassian API token", "ATATT3[A-Za-z0-9_\\-=]{186}", ["atatt3"]),
  token("linear-api-key", "Linear API key", `lin_api_${ALNUM}{40}`, ["lin_api_"]),
  token("postman-api-key", "Postman API key", "PMAK-[a-f0-9]{24}-[a-f0-9]{34}", ["pmak-"]),
  token("newrelic-key", "New Relic user, insert or browser key", "(?:NRAK-[A-Z0-9]{27}|NRII-[A-Za-z0-9_-]{32}|NRJS-[a-f0-9]{19})", ["nrak-", "nrii-", "nrjs-"]),
  token("sentry-token", "Sentry organisation or user auth token", `(?:sntrys_eyJ[A-Za-z0-9+/=_]{60,}|sntryu_[a-f0-9]{64})`, ["sntrys_", "sntryu_"]),
  token("grafana-token", "Grafana cloud API or service-account token", `(?:glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_${ALNUM}{32}_[a-f0-9]{8})`, ["glc_", "glsa_"]),
  token("doppler-token", "Doppler token", `dp\\.(?:pt|st|sa|ct|scim|audit)\\.${ALNUM}{40,44}`, ["dp.pt.", "dp.st.", "dp.sa.", "dp.ct.", "dp.scim.", "dp.audit."]),
  token("dynatrace-token", "Dynatrace API token", "dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}", ["dt0c01."]),
  token("pulumi-token", "Pulumi access token", "pul-[a-f0-9]{40}", ["pul-"]),
  token("rubygems-token", "RubyGems API key", "rubygems_[a-f0-9]{48}", ["rubygems_"]),
  token("huggingface-token", "Hugging Face access token", "hf_[A-Za-z]{34}", ["hf_"], { validate: (v) => /[A-Z]/.test(v.slice(3)) && /[a-z]/.test(v.slice(3)) }),
  token("square-token", "Square access token or OAuth secret", `(?:EAAA${URLSAFE}{60}|sq0atp-${URLSAFE}{22}|sq0csp-${URLSAFE}{43})`, ["eaaa", "sq0atp-", "sq0csp-"]),
  token("telegram-bot-token", "Telegram bot token", `[0-9]{8,10}:AA${URLSAFE}{33}`, [":aa"]),
  token("discord-webhook-url", "Discord webhook", `https://(?:canary\\.|ptb\\.)?discord(?:app)?\\.com/api/webhooks/[0-9]{17,20}/${URLSAFE}{60,68}`, ["discord"]),
  token("teams-webhook-url", "Microsoft Teams incoming webhook", "https://[a-z0-9-]+\\.webhook\\.office\\.com/webhookb2/[a-f0-9-]{36}@[a-f0-9-]{36}/IncomingWebhook/[a-f0-9]{32}/[a-f0-9-]{36}", ["webhook.office.com"]),
  token("alibaba-access-key-id", "Alibaba Cloud AccessKey id", `LTAI${ALNUM}{20}`, ["ltai"]),
  token("flyio-token", "Fly.io access token", `fo1_${URLSAFE}{43}`, ["fo1_"]),
  token("planetscale-token", "PlanetScale service token or password", "pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.-]{32,64}", ["pscale_"]),
  token("supabase-token", "Supabase personal access token", "sbp_[a-f0-9]{40}", ["sbp_"]),
  token("cloudflare-origin-ca-key", "Cloudflare Origin CA key", "v1\\.0-[a-f0-9]{24}-[a-f0-9]{146}", ["v1.0-"]),
  named("cloudflare-api-token", "Cloudflare API token or global key", ci("cloudflare"), `(?:${URLSAFE}{40}|[a-f0-9]{37})`, ["cloudflare"]),
  named("okta-api-token", "Okta API token", ci("okta"), `00${URLSAFE}{40}`, ["okta"]),
  token("databricks-token", "Databricks personal access token", "dapi[a-f0-9]{32}(?:-\\d)?", ["dapi"]),
  token("clojars-token", "Clojars deploy token", "CLOJARS_[a-z0-9]{60}", ["clojars_"]),
  token("airtable-pat", "Airtable personal access token", `pat${ALNUM}{14}\\.[a-f0-9]{64}`, ["pat"]),
  token("mapbox-secret-token", "Mapbox secret access token", `sk\\.eyJ${URLSAFE}{50,}\\.${URLSAFE}{20,}`, ["sk.eyj"]),
  named("snyk-token", "Snyk API token", ci("snyk"), "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", ["snyk"]),
  named("algolia-admin-key", "Algolia admin API key", ci("algolia"), "[a-f0-9]{32}", ["algolia"]),
  token("shippo-token", "Shippo API token", "shippo_(?:live|test)_[a-f0-9]{40}", ["shippo_"]),
  token("easypost-api-key", "EasyPost API key", `EZ[AT]K${ALNUM}{54}`, ["ezak", "eztk"]),
  token("frameio-token", "Frame.io API token", "fio-u-[A-Za-z0-9_=-]{64}", ["fio-u-"]),
  token("readme-api-key", "ReadMe API key", "rdme_[a-z0-9]{70}", ["rdme_"]),
  token("prefect-api-key", "Prefect API key", `pnu_${ALNUM}{36}`, ["pnu_"]),
  token("scalingo-token", "Scalingo API token", `tk-us-${URLSAFE}{48}`, ["tk-us-"]),
  token("duffel-token", "Duffel API token", "duffel_(?:test|live)_[A-Za-z0-9_=-]{43}", ["duffel_"]),
  token("onepassword-service-account-token", "1Password service-account token", "ops_eyJ[A-Za-z0-9+/=]{250,}", ["ops_eyj"]),
  token("contentful-token", "Contentful personal access token", `CFPAT-${URLSAFE}{43}`, ["cfpat-"]),
  token("notion-token", "Notion integration token", `(?:ntn_[0-9]{11}${ALNUM}{35}|secret_${ALNUM}{43})`, ["ntn_", "secret_"]),
  token("buildkite-token", "Buildkite agent or API access token", "bkua_[a-f0-9]{40}", ["bkua_"]),
  token("harness-pat", "Harness personal access token", `pat\\.${URLSAFE}{22}\\.[0-9a-f]{24}\\.${ALNUM}{20}`, ["pat."]),
  token("gocardless-token", "GoCardless live access token", "live_[A-Za-z0-9_=-]{40}", ["live_"], { validate: (v) => /[0-9]/.test(v) && /[A-Z]/.test(v) }),
];

const PEM_LABEL = "(?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP |SSH2 ENCRYPTED )?PRIVATE KEY(?: BLOCK)?";

const privateKeys: Rule[] = [
  {
    id: "private-key",
    description: "Private key (PEM, OpenSSH or PGP block)",
    keywords: ["-----begin"],
    multiline: true,
    pattern: re(`(?<secret>-----BEGIN[ A-Z0-9]*? ${PEM_LABEL}-----(?:\\\\[nr]|[\\s\\S]){64,16384}?-----END[ A-Z0-9]*? ${PEM_LABEL}-----)`),
  },
  {
    id: "putty-private-key",
    description: "PuTTY private key file",
    keywords: ["putty-user-key-file-"],
    multiline: true,
    pattern: re("(?<secret>PuTTY-User-Key-File-\\d: [\\s\\S]{0,4096}?Private-Lines: \\d+\\r?\\n[\\s\\S]{16,16384}?\\r?\\nPrivate-(?:MAC|Hash): [0-9a-f]+)"),
  },
];

const uriPassword = "[^@/?#\\s\"'`:<>{}]{1,128}";

const connections: Rule[] = [
  {
    id: "uri-password",
    description: "URI or connection string with an embedded password",
    keywords: ["://"],
    pattern: re(`[a-zA-Z][a-zA-Z0-9+.-]{1,24}://[^:/?#@\\s"'\`<>]{1,64}:(?<secret>${uriPassword})@[A-Za-z0-9._-]+`),
    generic: true,
    placeholders: true,
    minLength: 3,
  },
  {
    id: "connection-string-password",
    description: "Password parameter of a JDBC, ODBC or ADO.NET connection string",
    keywords: ["password=", "pwd=", "pass="],
    pattern: re(`[;?&\\s"'](?<key>${ci("password")}|${ci("pwd")}|${ci("pass")})=(?<secret>[^;&"'\`\\s<>{}]{3,128})`),
    generic: true,
    placeholders: true,
    validate: (v) => !/^\$|^%/.test(v),
  },
];

const PASSWORD_NAME = `(?:${ci("pass")}(?:${ci("word")}|${ci("wd")}|${ci("wrd")}|${ci("phrase")})?|${ci("pwd")})`;
const KEY_KINDS = ["api", "access", "private", "signing", "master", "encryption", "app", "client", "auth", "account", "service", "license", "webhook", "session", "consumer", "shared"];
const SECRET_NAME = `(?:${ci("secret")}|${ci("token")}|${ci("credential")}s?|${ci("salt")}|(?:${KEY_KINDS.map(ci).join("|")})[_.-]?${ci("key")})`;
/** `api_key`, `apikey`, ...: a bare `key` (cacheKey, primary key) is too common to send every line holding it to the pattern. */
const KEY_NAMES = KEY_KINDS.flatMap((kind) => ["", "_", ".", "-"].map((separator) => `${kind}${separator}key`));

/** Assignments in code and config: `NAME = "value"`, `name: value`, `"name": "value"`, `NAME=value`. */
function assignment(id: string, description: string, name: string, value: string, extra: Partial<Rule>): Rule {
  const source =
    `(?<key>${name}${IDENT}{0,40})${ASSIGN_NO_COMMA}` +
    `(?:["'\`](?<secret>${value})["'\`]|(?<bare>${value})(?=\\s|$))`;
  return { id, description, pattern: re(source), generic: true, placeholders: true, extendKey: true, keywords: [], ...extra };
}

const assignments: Rule[] = [
  assignment("password-assignment", "Password assigned in code or config", PASSWORD_NAME, "[^\\s\"'`]{4,200}", {
    keywords: ["pass", "pwd"],
    minEntropy: 1.5,
    // Paths, selectors, regexes and calls are not passwords.
    validate: (v) => !/^[/#.^]|[()[\]{}]|\\[dwsb]|:\/\//.test(v),
    // Unquoted, an identifier like `db_pass` or `password_id,` is a reference to a variable, not a password;
    // `Hist0ry-new-Passw0rd-2` in a .env file is a password.
    bareValue: (v) => entropy(v) >= 2.5 && characterClasses(v) >= 2 && !/[,;]$/.test(v) && !(/pass|pwd/i.test(v) && /^[A-Za-z_$][\w.$]*$/.test(v)),
  }),
  assignment("high-entropy-secret", "High-entropy value assigned to a secret, token or key name", SECRET_NAME, "[A-Za-z0-9+/=_.~-]{16,512}", {
    keywords: ["secret", "token", "credential", "salt", ...KEY_NAMES],
    requireDigit: true,
    validate: looksRandom,
  }),
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
    validate: looksRandom,
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
  },
  {
    id: "ssm-put-parameter",
    description: "Value literal in an SSM PutParameter call (boto3, AWS SDK for JavaScript)",
    keywords: ["put_parameter", "putparameter"],
    multiline: true,
    pattern: re(`(?:put_parameter|putParameter|PutParameterCommand)\\(\\s*\\{?(?<args>[^()]{0,4000})\\)`),
    refine: callArguments("Value", "Name"),
    placeholders: true,
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
  },
  {
    id: "secretsmanager-secret-string",
    description: "SecretString literal in a Secrets Manager create/put call",
    keywords: ["create_secret", "put_secret_value", "createsecret", "putsecretvalue"],
    multiline: true,
    pattern: re(`(?:create_secret|put_secret_value|createSecret|putSecretValue|CreateSecretCommand|PutSecretValueCommand)\\(\\s*\\{?(?<args>[^()]{0,4000})\\)`),
    refine: (match) => callArguments("SecretString", "Name")(match) ?? callArguments("SecretString", "SecretId")(match),
    placeholders: true,
  },
  {
    id: "terraform-secret-string",
    description: "Terraform aws_secretsmanager_secret_version secret_string literal",
    keywords: ["aws_secretsmanager_secret_version"],
    multiline: true,
    pattern: terraformBlock("aws_secretsmanager_secret_version"),
    refine: terraformAttribute("secret_string"),
    placeholders: true,
  },
  {
    id: "terraform-ssm-parameter",
    description: "Terraform aws_ssm_parameter value literal",
    keywords: ["aws_ssm_parameter"],
    multiline: true,
    pattern: terraformBlock("aws_ssm_parameter"),
    refine: terraformAttribute("value"),
    placeholders: true,
  },
];

const credentialFiles: Rule[] = [
  {
    id: "npmrc-auth",
    description: "npm registry credentials in .npmrc",
    keywords: ["_auth", "_password"],
    path: /(?:^|\/)\.npmrc$/,
    pattern: re(`(?<key>_authToken|_auth|_password)\\s*=\\s*["']?(?<secret>[^\\s"']+)`),
    placeholders: true,
  },
  {
    id: "netrc-password",
    description: "Password in .netrc",
    keywords: ["password"],
    path: /(?:^|\/)[._]netrc$/,
    pattern: re("(?<![A-Za-z0-9_])(?<key>password)\\s+(?<secret>\\S+)"),
    placeholders: true,
  },
  {
    id: "pgpass-password",
    description: "Password in .pgpass",
    keywords: [],
    path: /(?:^|\/)\.pgpass$/,
    pattern: re("^[^#:\\n]+:[^:\\n]+:[^:\\n]+:[^:\\n]+:(?<secret>[^\\n]+)$", "m"),
    placeholders: true,
  },
  {
    id: "git-credentials",
    description: "Credentials in .git-credentials",
    keywords: [],
    path: /(?:^|\/)\.git-credentials$/,
    pattern: re("^[a-z][a-z0-9+.-]*://[^:\\n@]+:(?<secret>[^@\\n]+)@", "m"),
  },
  {
    id: "htpasswd-hash",
    description: "Password hash in .htpasswd",
    keywords: [],
    path: /(?:^|\/)\.htpasswd$/,
    pattern: re("^(?<key>[^:#\\s]+):(?<secret>\\$(?:apr1|2[aby]|1|5|6)\\$\\S+|\\{SHA\\}[A-Za-z0-9+/=]+)", "m"),
  },
  {
    id: "shadow-hash",
    description: "Password hash in a shadow file",
    keywords: [],
    path: /(?:^|\/)shadow-?$/,
    pattern: re("^(?<key>[a-z_][a-z0-9_-]*):(?<secret>\\$(?:1|2[aby]|5|6|y|gy|7)\\$[^:\\s]+):", "m"),
  },
  {
    id: "s3cfg-secret",
    description: "Credentials in .s3cfg",
    keywords: ["secret_key", "access_token"],
    path: /(?:^|\/)\.s3cfg$/,
    pattern: re("^(?<key>secret_key|access_token)\\s*=\\s*(?<secret>\\S+)", "m"),
    placeholders: true,
  },
  {
    id: "wordpress-config",
    description: "WordPress database password, keys and salts in wp-config.php",
    keywords: ["define"],
    path: /wp-config[\w.-]*\.php$/,
    pattern: re(
      `define\\(\\s*["'](?<key>DB_PASSWORD|(?:SECURE_)?AUTH_(?:KEY|SALT)|LOGGED_IN_(?:KEY|SALT)|NONCE_(?:KEY|SALT))["']\\s*,\\s*["'](?<secret>[^"'\\n]{4,})["']`,
    ),
    placeholders: true,
  },
  {
    id: "rails-master-key",
    description: "Rails master key",
    keywords: [],
    path: /(?:^|\/)(?:master|credentials\/[\w-]+)\.key$/,
    pattern: re("^(?<secret>[0-9a-f]{32})\\s*$", "m"),
  },
  {
    id: "rails-secret-key-base",
    description: "Rails secret_key_base",
    keywords: ["secret_key_base", "secret_token"],
    pattern: re(`(?<key>secret_key_base|secret_token)["']?\\s*[:=]\\s*["']?(?<secret>[0-9a-f]{64,})`),
  },
  {
    id: "django-secret-key",
    description: "Django SECRET_KEY",
    keywords: ["secret_key"],
    path: /\.py$/,
    pattern: re(`(?<![A-Za-z0-9_])(?<key>SECRET_KEY)\\s*=\\s*[rbu]?["'](?<secret>[^"'\\n]{20,})["']`),
    placeholders: true,
  },
  {
    id: "sftp-config-password",
    description: "Password in an editor SFTP/FTP deployment config",
    keywords: ["password", "passphrase"],
    path: /(?:^|\/)(?:sftp-config\.json|sftp\.json|\.ftpconfig|\.remote-sync\.json|ftp-sync\.json|deployment\.xml)$/,
    pattern: re(`["']?(?<key>password|passphrase)["']?\\s*[:=]\\s*["'](?<secret>[^"'\\n]+)["']`),
    placeholders: true,
  },
];

/** Every rule, specific ones first. */
export const RULES: readonly Rule[] = [...knownFormats, ...privateKeys, ...legacyVaults, ...credentialFiles, ...connections, ...assignments];

/** Rules that recognise a credential by its own format. */
export const KNOWN_FORMAT_RULE_IDS: readonly string[] = knownFormats.map((rule) => rule.id);

const PLACEHOLDER_WORDS =
  /example|placeholder|changeme|change_me|change-me|xxxx|\*\*\*|\.\.\.|dummy|redacted|your[_-]?|<[^>]*>|\$\{|\{\{|#\{|%\(|%s|\$\(|process\.env|os\.environ|getenv|env\[|secrets\.|vault:|ssm:|arn:aws|enc\[|!vault|^\$|^@|replace_?me|^none$|^null$|^nil$|^undefined$|^true$|^false$|^password$|^passwd$|^secret$|^token$|^pass$|^string$|^value$|^name$|^required$|^optional$/i;

/** Markers no real credential carries: documentation examples and masked values, for every rule. */
const FAKE_MARKERS = /example|xxxx|\*\*\*\*|placeholder|dummy|redacted|(.)\1{7,}/i;

/** `changeme`, `${VAR}`, `<password>`, `xxxx`, `os.environ[...]` and friends. */
export function isPlaceholder(value: string): boolean {
  // `STRING_VALUE`, `DB_PASSWORD`: a constant's or a variable's name, not its value; `vaultlift:ssm:/a/b` names a secret (exec/reference.ts).
  return /^vaultlift:(?:secretsmanager:|ssm:)?\//.test(value) || PLACEHOLDER_WORDS.test(value) || /^(.)\1+$/.test(value) || FAKE_MARKERS.test(value) || /^[A-Z][A-Z0-9]*_[A-Z0-9_]*$/.test(value);
}

export function isFake(value: string): boolean {
  return FAKE_MARKERS.test(value);
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

/**
 * A machine-made key: long hex, or upper case, lower case and digits mixed, with the
 * entropy of a random string of its length. Names like `bert-base-v2` are neither.
 */
export function looksRandom(value: string): boolean {
  if (COMMON_WORDS.test(value)) return false;
  if (/^[0-9a-f]+$/i.test(value)) {
    return value.length >= ENTROPY.hex.minLength && /[a-f]/i.test(value) && /[0-9]/.test(value) && entropy(value) >= entropyThreshold("hex", value.length);
  }
  if (value.length < ENTROPY.mixed.minLength || !/[A-Z]/.test(value) || !/[a-z]/.test(value) || !/[0-9]/.test(value)) return false;
  return entropy(value) >= entropyThreshold("mixed", value.length);
}

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  const length = value.length;
  for (const count of counts.values()) {
    const p = count / length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Files where an unquoted value is a literal: env, ini, YAML, properties, shell. */
export function isConfigLike(path: string): boolean {
  const base = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  if (base.startsWith(".env") || base === "dockerfile" || base.endsWith(".env")) return true;
  const dot = base.lastIndexOf(".");
  if (dot <= 0) return true;
  return /^(?:env|ini|cfg|conf|config|properties|ya?ml|toml|sh|bash|zsh|ksh|txt|cnf|npmrc|netrc|pgpass|s3cfg|dockercfg|htpasswd)$/.test(base.slice(dot + 1));
}
