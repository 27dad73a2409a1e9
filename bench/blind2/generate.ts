// Seeded generator of a labelled detection corpus in the style of public scanners' rule samples,
// their test data, a "leaky repo" of planted credentials and a noisy emulator code base.
// Written from public token and file formats only; labels live outside the scanned trees.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

export interface Label {
  file: string;
  line: number;
  endLine?: number;
  family: string;
  secret: string;
}

export interface Corpus {
  root: string;
  tree: string;
  noise: string;
  labels: Label[];
  /** family each tree file belongs to, for attributing false positives */
  fileFamily: Record<string, string>;
}

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = LOWER.toUpperCase();
const DIGITS = "0123456789";
const ALNUM = LOWER + UPPER + DIGITS;
const LALNUM = LOWER + DIGITS;
const UALNUM = UPPER + DIGITS;
const HEX = "0123456789abcdef";
const B64 = ALNUM + "+/";
const B64URL = ALNUM + "-_";

class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }
  str(alphabet: string, n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
  /** random string that surely mixes letters and digits */
  mixed(alphabet: string, n: number): string {
    for (;;) {
      const s = this.str(alphabet, n);
      if (/\d/.test(s) && /[a-zA-Z]/.test(s)) return s;
    }
  }
  uuid(): string {
    const h = (n: number) => this.str(HEX, n);
    return `${h(8)}-${h(4)}-4${h(3)}-${this.pick(["8", "9", "a", "b"])}${h(3)}-${h(12)}`;
  }
  digits(n: number): string {
    return String(1 + this.int(9)) + this.str(DIGITS, n - 1);
  }
}

const b64 = (s: string) => Buffer.from(s).toString("base64");
const b64url = (s: string) => Buffer.from(s).toString("base64url");

interface VendorSpec {
  name: string;
  key: string;
  make: (r: Rng) => string;
  /** the same place holding something a rule must not fire on */
  fake?: (r: Rng) => string;
}

function jwt(r: Rng, claims: Record<string, unknown>): string {
  const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  return `${head}.${b64url(JSON.stringify(claims))}.${r.str(B64URL, 43)}`;
}

const VENDORS: VendorSpec[] = [
  { name: "adafruit", key: "adafruit_io_key", make: (r) => "aio_" + r.mixed(ALNUM, 28) },
  { name: "adobe-client-secret", key: "adobe_client_secret", make: (r) => "p8e-" + r.mixed(ALNUM, 32) },
  { name: "adobe-client-id", key: "ADOBE_CLIENT_ID", make: (r) => r.str(HEX, 32) },
  { name: "age", key: "age_identity", make: (r) => "AGE-SECRET-KEY-1" + r.str("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58) },
  { name: "airtable-pat", key: "AIRTABLE_TOKEN", make: (r) => "pat" + r.mixed(ALNUM, 14) + "." + r.str(HEX, 64) },
  { name: "airtable-key", key: "airtable_api_key", make: (r) => "key" + r.mixed(ALNUM, 14) },
  { name: "algolia", key: "algolia_admin_key", make: (r) => r.str(HEX, 32) },
  { name: "alibaba-access-key", key: "ALIBABA_ACCESS_KEY_ID", make: (r) => "LTAI" + r.mixed(ALNUM, 20) },
  { name: "alibaba-secret", key: "alibaba_secret_key", make: (r) => r.mixed(ALNUM, 30) },
  { name: "asana-pat", key: "ASANA_ACCESS_TOKEN", make: (r) => `1/${r.digits(16)}:${r.str(HEX, 32)}` },
  { name: "asana-secret", key: "asana_client_secret", make: (r) => r.mixed(LALNUM, 32) },
  { name: "atlassian", key: "ATLASSIAN_API_TOKEN", make: (r) => "ATATT3xFfGF0" + r.mixed(B64URL, 170) + "=" + r.str(UALNUM.slice(0, 6) + DIGITS, 8) },
  { name: "jira-legacy", key: "jira_api_token", make: (r) => r.mixed(ALNUM, 24) },
  { name: "authress", key: "AUTHRESS_KEY", make: (r) => `sc_${r.str(LALNUM, 20)}.${r.str(LALNUM, 5)}.acc_${r.str(LALNUM, 20)}.${r.str(B64URL, 60)}` },
  { name: "beamer", key: "beamer_api_token", make: (r) => "b_" + r.mixed(ALNUM + "-_", 43) + "=" },
  { name: "bitbucket-secret", key: "bitbucket_client_secret", make: (r) => r.mixed(ALNUM + "_-", 64) },
  { name: "bitbucket-app-password", key: "BITBUCKET_APP_PASSWORD", make: (r) => "ATBB" + r.mixed(ALNUM, 32) },
  { name: "bittrex", key: "bittrex_secret", make: (r) => r.mixed(ALNUM, 32) },
  { name: "clojars", key: "CLOJARS_DEPLOY_TOKEN", make: (r) => "CLOJARS_" + r.mixed(LALNUM, 60) },
  { name: "cloudflare-global", key: "cloudflare_global_api_key", make: (r) => r.str(HEX, 37) },
  { name: "cloudflare-token", key: "CLOUDFLARE_API_TOKEN", make: (r) => r.mixed(ALNUM + "_-", 40) },
  { name: "cloudflare-origin-ca", key: "cloudflare_origin_ca_key", make: (r) => "v1.0-" + r.str(HEX, 24) + "-" + r.str(HEX, 146) },
  { name: "codecov", key: "CODECOV_TOKEN", make: (r) => r.uuid() },
  { name: "cohere", key: "COHERE_API_KEY", make: (r) => r.mixed(ALNUM, 40) },
  { name: "coinbase", key: "coinbase_access_token", make: (r) => r.mixed(ALNUM + "_-", 64) },
  { name: "confluent", key: "confluent_secret_key", make: (r) => r.mixed(ALNUM, 64) },
  { name: "contentful", key: "contentful_delivery_token", make: (r) => r.mixed(ALNUM + "_-", 43) },
  { name: "databricks", key: "DATABRICKS_TOKEN", make: (r) => "dapi" + r.str(HEX, 32) },
  { name: "datadog-app", key: "datadog_app_key", make: (r) => r.str(HEX, 40) },
  { name: "datadog-api", key: "DD_API_KEY", make: (r) => r.str(HEX, 32) },
  { name: "defined-networking", key: "DN_API_KEY", make: (r) => `dnkey-${r.mixed(UALNUM, 26)}-${r.mixed(UALNUM, 52)}` },
  { name: "digitalocean-pat", key: "DIGITALOCEAN_TOKEN", make: (r) => "dop_v1_" + r.str(HEX, 64) },
  { name: "digitalocean-oauth", key: "do_oauth_token", make: (r) => "doo_v1_" + r.str(HEX, 64) },
  { name: "digitalocean-refresh", key: "do_refresh_token", make: (r) => "dor_v1_" + r.str(HEX, 64) },
  { name: "discord-bot", key: "DISCORD_BOT_TOKEN", make: (r) => `${r.pick(["M", "N", "O"])}${r.mixed(ALNUM, 23)}.${r.mixed(B64URL, 6)}.${r.mixed(B64URL, 38)}` },
  { name: "discord-secret", key: "discord_client_secret", make: (r) => r.mixed(ALNUM + "_-", 32) },
  { name: "doppler", key: "DOPPLER_TOKEN", make: (r) => "dp.pt." + r.mixed(ALNUM, 43) },
  { name: "droneci", key: "DRONE_TOKEN", make: (r) => r.mixed(ALNUM, 32) },
  { name: "dropbox-short", key: "dropbox_access_token", make: (r) => "sl." + r.mixed(B64URL, 135) },
  { name: "dropbox-long", key: "DROPBOX_TOKEN", make: (r) => r.mixed(ALNUM, 11) + "AAAAAAAAAA" + r.mixed(B64URL, 43) },
  { name: "duffel", key: "DUFFEL_ACCESS_TOKEN", make: (r) => "duffel_live_" + r.mixed(B64URL, 43) },
  { name: "dynatrace", key: "DT_API_TOKEN", make: (r) => `dt0c01.${r.mixed(UALNUM, 24)}.${r.mixed(UALNUM, 64)}` },
  { name: "easypost", key: "EASYPOST_API_KEY", make: (r) => "EZAK" + r.mixed(ALNUM, 54) },
  { name: "easypost-test", key: "easypost_test_key", make: (r) => "EZTK" + r.mixed(ALNUM, 54) },
  { name: "etsy", key: "etsy_api_key", make: (r) => r.mixed(LALNUM, 24) },
  { name: "facebook-secret", key: "facebook_app_secret", make: (r) => r.str(HEX, 32) },
  { name: "facebook-token", key: "FB_ACCESS_TOKEN", make: (r) => "EAAC" + r.mixed(ALNUM, 120) },
  { name: "fastly", key: "FASTLY_API_TOKEN", make: (r) => r.mixed(ALNUM + "_-", 32) },
  { name: "finicity-secret", key: "finicity_client_secret", make: (r) => r.mixed(ALNUM, 20) },
  { name: "finicity-token", key: "finicity_app_key", make: (r) => r.str(HEX, 32) },
  { name: "finnhub", key: "FINNHUB_API_KEY", make: (r) => r.mixed(LALNUM, 20) },
  { name: "flickr", key: "flickr_secret", make: (r) => r.mixed(LALNUM, 32) },
  { name: "flutterwave-secret", key: "FLW_SECRET_KEY", make: (r) => `FLWSECK_TEST-${r.str(HEX, 32)}-X` },
  { name: "flutterwave-public", key: "flw_public_key", make: (r) => `FLWPUBK_TEST-${r.str(HEX, 32)}-X` },
  { name: "flutterwave-enc", key: "FLW_ENCRYPTION_KEY", make: (r) => `FLWSECK_TEST${r.str(HEX, 12)}` },
  { name: "frameio", key: "FRAMEIO_TOKEN", make: (r) => "fio-u-" + r.mixed(ALNUM + "_-", 64) },
  { name: "freshbooks", key: "freshbooks_access_token", make: (r) => r.mixed(LALNUM, 64) },
  { name: "gitea", key: "GITEA_TOKEN", make: (r) => r.str(HEX, 40) },
  { name: "github-pat", key: "GITHUB_TOKEN", make: (r) => "ghp_" + r.mixed(ALNUM, 36) },
  { name: "github-oauth", key: "github_oauth_token", make: (r) => "gho_" + r.mixed(ALNUM, 36) },
  { name: "github-user", key: "GH_USER_TOKEN", make: (r) => "ghu_" + r.mixed(ALNUM, 36) },
  { name: "github-server", key: "GH_APP_TOKEN", make: (r) => "ghs_" + r.mixed(ALNUM, 36) },
  { name: "github-refresh", key: "github_refresh_token", make: (r) => "ghr_" + r.mixed(ALNUM, 76) },
  { name: "github-fine", key: "GITHUB_PAT", make: (r) => "github_pat_" + r.mixed(ALNUM, 22) + "_" + r.mixed(ALNUM, 59) },
  { name: "gitlab-pat", key: "GITLAB_TOKEN", make: (r) => "glpat-" + r.mixed(ALNUM + "_-", 20) },
  { name: "gitlab-deploy", key: "gitlab_deploy_token", make: (r) => "gldt-" + r.mixed(ALNUM + "_-", 20) },
  { name: "gitlab-pipeline-trigger", key: "GITLAB_TRIGGER_TOKEN", make: (r) => "glptt-" + r.str(HEX, 40) },
  { name: "gitlab-runner-reg", key: "runner_registration_token", make: (r) => "GR1348941" + r.mixed(ALNUM + "_-", 20) },
  { name: "gitlab-runner-auth", key: "runner_token", make: (r) => "glrt-" + r.mixed(ALNUM + "_-", 20) },
  { name: "gitlab-cicd-job", key: "CI_JOB_TOKEN_VALUE", make: (r) => "glcbt-" + r.str(HEX, 2) + "_" + r.mixed(ALNUM + "_-", 20) },
  { name: "gitlab-feed", key: "gitlab_feed_token", make: (r) => "glft-" + r.mixed(ALNUM + "_-", 20) },
  { name: "gitlab-incoming-mail", key: "gitlab_incoming_email_token", make: (r) => "glimt-" + r.mixed(LALNUM, 25) },
  { name: "gitlab-agent", key: "GITLAB_AGENT_TOKEN", make: (r) => "glagent-" + r.mixed(ALNUM + "_-", 50) },
  { name: "gitlab-oauth-secret", key: "gitlab_oauth_app_secret", make: (r) => "gloas-" + r.mixed(ALNUM + "_-", 64) },
  { name: "gitlab-scim", key: "gitlab_scim_token", make: (r) => "glsoat-" + r.mixed(ALNUM + "_-", 20) },
  { name: "gitlab-feature-flag", key: "unleash_instance_token", make: (r) => "glffct-" + r.mixed(ALNUM + "_-", 20) },
  { name: "gitter", key: "GITTER_TOKEN", make: (r) => r.str(HEX, 40) },
  { name: "gocardless", key: "GOCARDLESS_ACCESS_TOKEN", make: (r) => "live_" + r.mixed(ALNUM + "_-", 40) },
  { name: "grafana-api-key", key: "grafana_api_key", make: (r) => "eyJrIjoi" + r.mixed(ALNUM, 72) + "==" },
  { name: "grafana-cloud", key: "GRAFANA_CLOUD_TOKEN", make: (r) => "glc_" + r.mixed(ALNUM, 48) + "=" },
  { name: "grafana-sa", key: "GRAFANA_SERVICE_ACCOUNT_TOKEN", make: (r) => `glsa_${r.mixed(ALNUM, 32)}_${r.str(HEX, 8)}` },
  { name: "harness", key: "HARNESS_PLATFORM_API_KEY", make: (r) => `pat.${r.mixed(ALNUM + "_-", 22)}.${r.mixed(ALNUM, 24)}.${r.mixed(ALNUM, 20)}` },
  { name: "terraform-cloud", key: "TFE_TOKEN", make: (r) => `${r.mixed(ALNUM, 14)}.atlasv1.${r.mixed(ALNUM + "_-", 67)}` },
  { name: "vault-service", key: "VAULT_TOKEN", make: (r) => "hvs." + r.mixed(ALNUM + "_-", 91) },
  { name: "vault-batch", key: "vault_batch_token", make: (r) => "hvb." + r.mixed(ALNUM + "_-", 150) },
  { name: "vault-legacy", key: "VAULT_TOKEN", make: (r) => "s." + r.mixed(ALNUM, 24) },
  { name: "heroku", key: "HEROKU_API_KEY", make: (r) => r.uuid() },
  { name: "heroku-v2", key: "heroku_api_token", make: (r) => "HRKU-AA" + r.mixed(ALNUM + "_-", 58) },
  { name: "hubspot", key: "HUBSPOT_API_KEY", make: (r) => r.uuid() },
  { name: "hubspot-pat", key: "hubspot_private_app_token", make: (r) => "pat-na1-" + r.uuid() },
  { name: "huggingface", key: "HF_TOKEN", make: (r) => "hf_" + r.str(LOWER + UPPER, 34) },
  { name: "huggingface-org", key: "huggingface_org_token", make: (r) => "api_org_" + r.str(LOWER + UPPER, 34) },
  { name: "infracost", key: "INFRACOST_API_KEY", make: (r) => "ico-" + r.mixed(ALNUM, 32) },
  { name: "intercom", key: "intercom_access_token", make: (r) => r.mixed(ALNUM + "=_-", 60) },
  { name: "intra42", key: "FT_CLIENT_SECRET", make: (r) => "s-s4t2ud-" + r.str(HEX, 64) },
  { name: "jfrog-api-key", key: "jfrog_api_key", make: (r) => "AKCp" + r.mixed(ALNUM, 69) },
  { name: "jfrog-identity", key: "ARTIFACTORY_ACCESS_TOKEN", make: (r) => r.mixed(ALNUM, 64) },
  { name: "jfrog-reference", key: "JFROG_TOKEN", make: (r) => "cmVmdGtuOjAxOjE3" + r.mixed(ALNUM, 48) },
  { name: "jwt", key: "id_token", make: (r) => jwt(r, { sub: r.uuid(), iat: 1700000000 + r.int(1e7), name: "svc" }) },
  { name: "kraken", key: "kraken_private_key", make: (r) => r.mixed(B64, 86) + "==" },
  { name: "kucoin-key", key: "kucoin_api_key", make: (r) => r.str(HEX, 24) },
  { name: "kucoin-secret", key: "kucoin_secret_key", make: (r) => r.uuid() },
  { name: "launchdarkly", key: "LAUNCHDARKLY_ACCESS_TOKEN", make: (r) => "api-" + r.uuid() },
  { name: "launchdarkly-sdk", key: "launchdarkly_sdk_key", make: (r) => "sdk-" + r.uuid() },
  { name: "linear", key: "LINEAR_API_KEY", make: (r) => "lin_api_" + r.mixed(ALNUM, 40) },
  { name: "linear-secret", key: "linear_client_secret", make: (r) => r.str(HEX, 32) },
  { name: "linkedin", key: "linkedin_client_secret", make: (r) => r.mixed(ALNUM, 16) },
  { name: "lob", key: "LOB_API_KEY", make: (r) => "live_" + r.str(HEX, 35) },
  { name: "lob-pub", key: "lob_publishable_key", make: (r) => "live_pub_" + r.str(HEX, 31) },
  { name: "mailchimp", key: "MAILCHIMP_API_KEY", make: (r) => r.str(HEX, 32) + "-us" + (1 + r.int(20)) },
  { name: "mailgun", key: "MAILGUN_API_KEY", make: (r) => "key-" + r.str(HEX, 32) },
  { name: "mailgun-pub", key: "mailgun_public_key", make: (r) => "pubkey-" + r.str(HEX, 32) },
  { name: "mailgun-signing", key: "MAILGUN_SIGNING_KEY", make: (r) => `${r.str(HEX, 32)}-${r.str(HEX, 8)}-${r.str(HEX, 8)}` },
  { name: "mapbox", key: "MAPBOX_SECRET_TOKEN", make: (r) => `sk.eyJ1Ijoi${r.mixed(ALNUM, 52)}.${r.mixed(ALNUM + "_-", 22)}` },
  { name: "mattermost", key: "mattermost_access_token", make: (r) => r.mixed(LALNUM, 26) },
  { name: "messagebird", key: "MESSAGEBIRD_API_KEY", make: (r) => r.mixed(ALNUM, 25) },
  {
    name: "teams-webhook",
    key: "TEAMS_WEBHOOK_URL",
    make: (r) => `https://contoso.webhook.office.com/webhookb2/${r.uuid()}@${r.uuid()}/IncomingWebhook/${r.str(HEX, 32)}/${r.uuid()}`,
  },
  { name: "netlify", key: "NETLIFY_AUTH_TOKEN", make: (r) => r.mixed(ALNUM + "_-", 43) },
  { name: "netlify-pat", key: "netlify_token", make: (r) => "nfp_" + r.mixed(ALNUM, 40) },
  { name: "newrelic-user", key: "NEW_RELIC_API_KEY", make: (r) => "NRAK-" + r.mixed(UALNUM, 27) },
  { name: "newrelic-browser", key: "newrelic_browser_key", make: (r) => "NRJS-" + r.str(HEX, 19) },
  { name: "newrelic-insert", key: "NEW_RELIC_INSERT_KEY", make: (r) => "NRII-" + r.mixed(ALNUM + "_-", 32) },
  { name: "newrelic-license", key: "NEW_RELIC_LICENSE_KEY", make: (r) => r.str(HEX, 36) + "NRAL" },
  { name: "npm", key: "NPM_TOKEN", make: (r) => "npm_" + r.mixed(ALNUM, 36) },
  { name: "nytimes", key: "nytimes_api_key", make: (r) => r.mixed(ALNUM, 32) },
  { name: "okta", key: "OKTA_API_TOKEN", make: (r) => "00" + r.mixed(ALNUM + "_-", 40) },
  { name: "openai", key: "OPENAI_API_KEY", make: (r) => "sk-" + r.mixed(ALNUM, 20) + "T3BlbkFJ" + r.mixed(ALNUM, 20) },
  { name: "openai-proj", key: "openai_api_key", make: (r) => "sk-proj-" + r.mixed(ALNUM + "_-", 74) + "T3BlbkFJ" + r.mixed(ALNUM + "_-", 74) },
  { name: "anthropic", key: "ANTHROPIC_API_KEY", make: (r) => "sk-ant-api03-" + r.mixed(ALNUM + "_-", 93) + "AA" },
  { name: "anthropic-admin", key: "anthropic_admin_key", make: (r) => "sk-ant-admin01-" + r.mixed(ALNUM + "_-", 93) + "AA" },
  { name: "planetscale-pw", key: "PLANETSCALE_PASSWORD", make: (r) => "pscale_pw_" + r.mixed(ALNUM + "_-", 43) },
  { name: "planetscale-token", key: "planetscale_service_token", make: (r) => "pscale_tkn_" + r.mixed(ALNUM + "_-", 43) },
  { name: "planetscale-oauth", key: "PLANETSCALE_OAUTH", make: (r) => "pscale_oauth_" + r.mixed(ALNUM + "_-", 43) },
  { name: "plaid", key: "PLAID_ACCESS_TOKEN", make: (r) => "access-production-" + r.uuid() },
  { name: "plaid-secret", key: "plaid_secret", make: (r) => r.str(HEX, 30) },
  { name: "postman", key: "POSTMAN_API_KEY", make: (r) => `PMAK-${r.str(HEX, 24)}-${r.str(HEX, 34)}` },
  { name: "prefect", key: "PREFECT_API_KEY", make: (r) => "pnu_" + r.mixed(ALNUM, 36) },
  { name: "pulumi", key: "PULUMI_ACCESS_TOKEN", make: (r) => "pul-" + r.str(HEX, 40) },
  { name: "pypi", key: "PYPI_API_TOKEN", make: (r) => "pypi-AgEIcHlwaS5vcmc" + r.mixed(B64URL, 70) },
  { name: "rapidapi", key: "X-RapidAPI-Key", make: (r) => r.mixed(ALNUM + "_-", 50) },
  { name: "readme", key: "README_API_KEY", make: (r) => "rdme_" + r.str(LALNUM, 70) },
  { name: "rubygems", key: "GEM_HOST_API_KEY", make: (r) => "rubygems_" + r.str(HEX, 48) },
  { name: "scalingo", key: "SCALINGO_API_TOKEN", make: (r) => "tk-us-" + r.mixed(ALNUM + "_-", 48) },
  { name: "sendbird", key: "sendbird_api_token", make: (r) => r.str(HEX, 40) },
  { name: "sendgrid", key: "SENDGRID_API_KEY", make: (r) => `SG.${r.mixed(B64URL, 22)}.${r.mixed(B64URL, 43)}` },
  { name: "sendinblue", key: "BREVO_API_KEY", make: (r) => `xkeysib-${r.str(HEX, 64)}-${r.mixed(ALNUM, 16)}` },
  { name: "sentry-user", key: "SENTRY_AUTH_TOKEN", make: (r) => "sntryu_" + r.str(HEX, 64) },
  {
    name: "sentry-org",
    key: "sentry_org_token",
    make: (r) =>
      "sntrys_" + b64(JSON.stringify({ iat: 1700000000 + r.int(1e6), url: "https://sentry.io", region_url: "https://us.sentry.io", org: "acme" })).replace(/=+$/, "") + "_" + r.mixed(ALNUM, 43),
  },
  { name: "sentry-legacy", key: "sentry_auth_token", make: (r) => r.str(HEX, 64) },
  { name: "shippo", key: "SHIPPO_API_TOKEN", make: (r) => "shippo_live_" + r.str(HEX, 40) },
  { name: "shopify-access", key: "SHOPIFY_ACCESS_TOKEN", make: (r) => "shpat_" + r.str(HEX, 32) },
  { name: "shopify-custom", key: "shopify_custom_app_token", make: (r) => "shpca_" + r.str(HEX, 32) },
  { name: "shopify-private", key: "SHOPIFY_PASSWORD", make: (r) => "shppa_" + r.str(HEX, 32) },
  { name: "shopify-secret", key: "shopify_shared_secret", make: (r) => "shpss_" + r.str(HEX, 32) },
  { name: "sidekiq", key: "BUNDLE_ENTERPRISE__CONTRIBSYS__COM", make: (r) => `${r.str(HEX, 8)}:${r.str(HEX, 8)}` },
  { name: "sidekiq-url", key: "source", make: (r) => `https://${r.str(HEX, 8)}:${r.str(HEX, 8)}@gems.contribsys.com/` },
  { name: "slack-bot", key: "SLACK_BOT_TOKEN", make: (r) => `xoxb-${r.digits(12)}-${r.digits(13)}-${r.mixed(ALNUM, 24)}` },
  { name: "slack-user", key: "slack_user_token", make: (r) => `xoxp-${r.digits(12)}-${r.digits(12)}-${r.digits(13)}-${r.str(HEX, 32)}` },
  { name: "slack-app", key: "SLACK_APP_TOKEN", make: (r) => `xapp-1-A${r.mixed(UALNUM, 10)}-${r.digits(13)}-${r.str(HEX, 64)}` },
  { name: "slack-config", key: "slack_config_token", make: (r) => `xoxe.xoxp-1-${r.mixed(ALNUM, 163)}` },
  { name: "slack-refresh", key: "SLACK_REFRESH_TOKEN", make: (r) => `xoxe-1-${r.mixed(ALNUM, 146)}` },
  { name: "slack-legacy-workspace", key: "slack_workspace_token", make: (r) => `xoxa-2-${r.digits(12)}-${r.digits(12)}-${r.digits(12)}-${r.str(HEX, 64)}` },
  { name: "slack-legacy", key: "SLACK_LEGACY_TOKEN", make: (r) => `xoxs-${r.digits(10)}-${r.digits(10)}-${r.digits(12)}-${r.str(HEX, 64)}` },
  { name: "slack-webhook", key: "SLACK_WEBHOOK_URL", make: (r) => `https://hooks.slack.com/services/T${r.mixed(UALNUM, 10)}/B${r.mixed(UALNUM, 10)}/${r.mixed(ALNUM, 24)}` },
  { name: "slack-workflow", key: "slack_workflow_webhook", make: (r) => `https://hooks.slack.com/workflows/T${r.mixed(UALNUM, 10)}/A${r.mixed(UALNUM, 10)}/${r.digits(18)}/${r.mixed(ALNUM, 24)}` },
  { name: "snyk", key: "SNYK_TOKEN", make: (r) => r.uuid() },
  { name: "sonarqube-user", key: "SONAR_TOKEN", make: (r) => "squ_" + r.str(HEX, 40) },
  { name: "sonarqube-project", key: "sonar.login", make: (r) => "sqp_" + r.str(HEX, 40) },
  { name: "sonarqube-global", key: "SONARQUBE_TOKEN", make: (r) => "sqa_" + r.str(HEX, 40) },
  { name: "squarespace", key: "squarespace_api_key", make: (r) => r.uuid() },
  { name: "square-access", key: "SQUARE_ACCESS_TOKEN", make: (r) => "EAAA" + r.mixed(ALNUM + "_-", 60) },
  { name: "square-legacy", key: "square_token", make: (r) => "sq0atp-" + r.mixed(ALNUM + "_-", 22) },
  { name: "square-secret", key: "SQUARE_APP_SECRET", make: (r) => "sq0csp-" + r.mixed(ALNUM + "_-", 43) },
  { name: "stripe-secret", key: "STRIPE_SECRET_KEY", make: (r) => "sk_live_" + r.mixed(ALNUM, 99) },
  { name: "stripe-restricted", key: "stripe_restricted_key", make: (r) => "rk_live_" + r.mixed(ALNUM, 24) },
  { name: "stripe-webhook", key: "STRIPE_WEBHOOK_SECRET", make: (r) => "whsec_" + r.mixed(ALNUM, 32) },
  { name: "sumologic-id", key: "SUMO_ACCESS_ID", make: (r) => "su" + r.mixed(ALNUM, 12) },
  { name: "sumologic-key", key: "sumologic_access_key", make: (r) => r.mixed(ALNUM, 64) },
  { name: "telegram", key: "TELEGRAM_BOT_TOKEN", make: (r) => `${r.digits(10)}:AA${r.mixed(ALNUM + "_-", 33)}` },
  { name: "travisci", key: "TRAVIS_API_TOKEN", make: (r) => r.mixed(ALNUM, 22) },
  { name: "twilio", key: "TWILIO_API_KEY", make: (r) => "SK" + r.str(HEX, 32) },
  { name: "twilio-auth", key: "twilio_auth_token", make: (r) => r.str(HEX, 32) },
  { name: "twitch", key: "TWITCH_CLIENT_SECRET", make: (r) => r.mixed(LALNUM, 30) },
  { name: "twitter-key", key: "TWITTER_API_KEY", make: (r) => r.mixed(ALNUM, 25) },
  { name: "twitter-secret", key: "twitter_api_secret", make: (r) => r.mixed(ALNUM, 50) },
  { name: "twitter-access", key: "TWITTER_ACCESS_TOKEN", make: (r) => `${r.digits(19)}-${r.mixed(ALNUM, 40)}` },
  { name: "twitter-bearer", key: "TWITTER_BEARER_TOKEN", make: (r) => "AAAAAAAAAAAAAAAAAAAAA" + r.mixed(ALNUM + "%", 90) },
  { name: "typeform", key: "TYPEFORM_TOKEN", make: (r) => "tfp_" + r.mixed(ALNUM + "_-", 59) },
  { name: "yandex-api", key: "YANDEX_API_KEY", make: (r) => "AQVN" + r.mixed(ALNUM + "_-", 36) },
  { name: "yandex-aws", key: "yandex_access_key", make: (r) => "YC" + r.mixed(ALNUM + "_-", 38) },
  { name: "yandex-token", key: "YANDEX_OAUTH_TOKEN", make: (r) => "t1." + r.mixed(ALNUM + "_-", 80) + "." + r.mixed(ALNUM + "_-", 86) },
  { name: "zendesk", key: "ZENDESK_API_TOKEN", make: (r) => r.mixed(ALNUM, 40) },
  { name: "aws-access", key: "AWS_ACCESS_KEY_ID", make: (r) => "AKIA" + r.mixed(UPPER + "234567", 16) },
  { name: "aws-secret", key: "aws_secret_access_key", make: (r) => r.mixed(B64, 40) },
  { name: "gcp-api", key: "GOOGLE_API_KEY", make: (r) => "AIza" + r.mixed(B64URL, 35) },
  { name: "azure-ad-secret", key: "AZURE_CLIENT_SECRET", make: (r) => r.mixed(ALNUM, 3) + "8Q~" + r.mixed(ALNUM + "_-.~", 31) },
  { name: "postgres-url", key: "DATABASE_URL", make: (r) => `postgres://app:${r.mixed(ALNUM, 18)}@db.internal:5432/app` },
];

type Style = (key: string, value: string) => string;
const STYLES: Record<string, Style> = {
  py: (k, v) => `${k.toLowerCase().replace(/[^a-z0-9]/g, "_")} = "${v}"`,
  js: (k, v) => `const ${camel(k)} = '${v}';`,
  go: (k, v) => `${camel(k)} := "${v}"`,
  yaml: (k, v) => `${k.toLowerCase()}: ${v}`,
  env: (k, v) => `${k.toUpperCase().replace(/[^A-Z0-9]/g, "_")}=${v}`,
  sh: (k, v) => `export ${k.toUpperCase().replace(/[^A-Z0-9]/g, "_")}="${v}"`,
  rb: (k, v) => `  :${k.toLowerCase().replace(/[^a-z0-9]/g, "_")} => "${v}",`,
  toml: (k, v) => `${k.toLowerCase().replace(/[^a-z0-9]/g, "_")} = "${v}"`,
};
const STYLE_EXT: Record<string, string> = { py: "py", js: "js", go: "go", yaml: "yml", env: "env", sh: "sh", rb: "rb", toml: "toml" };

function camel(k: string): string {
  const parts = k
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  return parts.map((p, i) => (i === 0 ? p : p[0]!.toUpperCase() + p.slice(1))).join("");
}

// the shapes a scanner's own rule tests wrap a sample in: the vendor's name plus a secret-ish suffix
const SAMPLE_FORMS: ((k: string, v: string) => string)[] = [
  (k, v) => `${k}Token := "${v}"`,
  (k, v) => `"${k}_api_token": "${v}",`,
  (k, v) => `${k.toUpperCase()}_API_KEY=${v}`,
  (k, v) => `<${k}Secret>${v}</${k}Secret>`,
  (k, v) => `${k}_key: '${v}'`,
  (k, v) => `$${k}Token = "${v}";`,
  (k, v) => `${k}.secret = ${v}`,
  (k, v) => `var ${k}Key string = \`${v}\``,
  (k, v) => `${k}_token = os.getenv("X") or "${v}"`,
  (k, v) => `{"${k}Credential": "${v}"}`,
];

function vendorIdent(name: string, r: Rng): string {
  const base = name.split("-")[0]!;
  return r.int(2) ? base : base.toUpperCase();
}

function placeholderLike(v: string): string {
  // keep the fixed prefix a rule keys on, fill the rest with an obvious placeholder
  const m = /^([A-Za-z]{1,12}[_.-](?:[a-z0-9]{1,6}[_-])?)/.exec(v);
  const prefix = m && m[1]!.length < v.length / 2 ? m[1]! : "";
  return prefix + "x".repeat(Math.max(8, v.length - prefix.length));
}

class Builder {
  labels: Label[] = [];
  fileFamily: Record<string, string> = {};
  files = new Map<string, string>();
  constructor(readonly rng: Rng) {}
  /** lines: strings, or [line, family, secret] for a labelled one (family '' = unlabelled negative) */
  file(path: string, family: string, lines: (string | { text: string; secret: string; family?: string; span?: number })[]): void {
    const out: string[] = [];
    for (const l of lines) {
      if (typeof l === "string") {
        out.push(...l.split("\n"));
        continue;
      }
      const start = out.length + 1;
      const parts = l.text.split("\n");
      out.push(...parts);
      const label: Label = { file: path, line: start, family: l.family ?? family, secret: l.secret };
      if (parts.length > 1) label.endLine = start + parts.length - 1;
      this.labels.push(label);
    }
    this.fileFamily[path] = family;
    this.files.set(path, out.join("\n") + "\n");
  }
}

const pos = (text: string, secret: string, family?: string) => ({ text, secret, family });

function vendorSamples(b: Builder): void {
  const r = b.rng;
  const styles = Object.keys(STYLES);
  for (const v of VENDORS) {
    const style = r.pick(styles);
    const fmt = STYLES[style]!;
    const s1 = v.make(r);
    const s2 = v.make(r);
    const s3 = v.make(r);
    const fake = v.fake ? v.fake(r) : placeholderLike(s1);
    const lines = [
      `# ${v.name} samples`,
      pos(fmt(v.key, s1), s1),
      pos(STYLES[r.pick(styles)]!(v.key, s2), s2),
      pos(SAMPLE_FORMS[r.int(SAMPLE_FORMS.length)]!(vendorIdent(v.name, r), s3), s3),
      fmt(v.key, fake),
      fmt(v.key, "${" + v.key.toUpperCase().replace(/[^A-Z0-9]/g, "_") + "}"),
      fmt(v.key, "<your-" + v.name + "-token>"),
      fmt(`${v.name.replace(/-/g, "_")}_docs_url`, `https://docs.example.com/${v.name}/tokens`),
    ];
    b.file(`rules/${v.name}.${STYLE_EXT[style]}`, "vendor", lines);
  }
}

const HUMAN_PASSWORDS = [
  "hunter2",
  "Summer2023!",
  "P@ssw0rd123",
  "correcthorsebattery",
  "Tr0ub4dor&3",
  "letmein-42",
  "Winter!2024",
  "qwerty!789",
  "S3cr3tP4ss",
  "blink182rocks",
  "MyDogRex#1",
  "opensesame99",
];

function genericSamples(b: Builder): void {
  const r = b.rng;
  const lowerTok = () => r.mixed(LALNUM, 32 + r.int(9));
  const mixedTok = () => r.mixed(ALNUM, 40);
  const hexTok = () => r.str(HEX, 40);
  const b64Tok = () => r.mixed(B64, 44) + "=";
  const secretKeys = [
    "secret",
    "api_key",
    "apikey",
    "auth_token",
    "client_secret",
    "access_key",
    "private_key",
    "signing_key",
    "credential",
    "token",
    "datadogToken",
    "jfrog_api_key",
    "sessionSecret",
    "webhook_secret",
    "encryption_key",
    "appSecret",
    "authKey",
    "master_key",
  ];
  const vals = [lowerTok, mixedTok, hexTok, b64Tok];
  const forms: [string, string, (k: string, v: string) => string][] = [
    ["py", "py", (k, v) => `${k} = "${v}"`],
    ["py-kw", "py", (k, v) => `client = Client(${k}="${v}")`],
    ["js", "js", (k, v) => `  ${k}: '${v}',`],
    ["ts-const", "ts", (k, v) => `export const ${k.toUpperCase()} = "${v}";`],
    ["go", "go", (k, v) => `\t${k} := "${v}"`],
    ["ruby", "rb", (k, v) => `  ${k} => '${v}',`],
    ["php", "php", (k, v) => `    '${k}' => '${v}',`],
    ["r", "R", (k, v) => `${k} <- "${v}"`],
    ["java", "java", (k, v) => `    private static final String ${k.toUpperCase()} = "${v}";`],
    ["csharp", "cs", (k, v) => `        public const string ${k} = "${v}";`],
    ["kotlin", "kt", (k, v) => `val ${k} = "${v}"`],
    ["swift", "swift", (k, v) => `let ${k} = "${v}"`],
    ["rust", "rs", (k, v) => `const ${k.toUpperCase()}: &str = "${v}";`],
    ["yaml", "yaml", (k, v) => `  ${k}: ${v}`],
    ["yaml-q", "yaml", (k, v) => `  ${k}: "${v}"`],
    ["ini", "ini", (k, v) => `${k} = ${v}`],
    ["properties", "properties", (k, v) => `app.${k}=${v}`],
    ["shell", "sh", (k, v) => `export ${k.toUpperCase()}=${v}`],
    ["tf", "tf", (k, v) => `  ${k} = "${v}"`],
    ["xml-el", "xml", (k, v) => `  <${k}>${v}</${k}>`],
    ["xml-attr", "xml", (k, v) => `  <add key="${k}" value="${v}" />`],
    ["json", "json", (k, v) => `  "${k}": "${v}",`],
    ["perl", "pl", (k, v) => `my $${k} = '${v}';`],
    ["lua", "lua", (k, v) => `local ${k} = "${v}"`],
    ["arrow", "ex", (k, v) => `  ${k} -> "${v}"`],
  ];
  for (const [name, ext, form] of forms) {
    const lines: (string | ReturnType<typeof pos>)[] = [`# generic assignments: ${name}`];
    for (let i = 0; i < 4; i++) {
      const k = r.pick(secretKeys);
      const v = vals[i % vals.length]!();
      lines.push(pos(form(k, v), v));
    }
    // negatives
    lines.push(form("secret", ""));
    lines.push(form("api_key", "${API_KEY}"));
    lines.push(form("token", "{{ secrets.DEPLOY_TOKEN }}"));
    lines.push(form("client_secret", "your-client-secret-here"));
    lines.push(form("sha256", r.str(HEX, 64)));
    lines.push(form("checksum", r.str(HEX, 40)));
    lines.push(form("integrity", "sha512-" + r.str(B64, 86) + "=="));
    lines.push(form("request_id", r.uuid()));
    lines.push(form("api_key", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
    lines.push(form("secret_key", "abcdefghijklmnopqrstuvwxyz123456"));
    lines.push(form("token", "1234567890123456789012345678901234567890"));
    lines.push(form("commit_sha", r.str(HEX, 40)));
    lines.push(form("secret", "somefakesecretvalue"));
    b.file(`generic/${name}.${ext}`, "generic", lines);
  }

  // human passwords under password-like keys
  const pwForms: [string, (k: string, v: string) => string][] = [
    ["py", (k, v) => `${k} = "${v}"`],
    ["js", (k, v) => `  ${k}: "${v}",`],
    ["yaml", (k, v) => `${k}: "${v}"`],
    ["env", (k, v) => `${k.toUpperCase()}=${v}`],
    ["xml", (k, v) => `<${k}>${v}</${k}>`],
    ["php", (k, v) => `define('DB_${k.toUpperCase()}', '${v}');`],
    ["ini", (k, v) => `${k}=${v}`],
    ["cs", (k, v) => `var conn = "Server=db;User Id=sa;${k}=${v};";`],
    ["java", (k, v) => `ds.setPassword("${v}"); // ${k}`],
    ["sh", (k, v) => `mysql -u root --${k}='${v}' app`],
    ["py", (k, v) => `conn = psycopg2.connect(host="db", user="app", ${k}="${v}")`],
    ["go", (k, v) => `${k} := "${v}"`],
    ["json", (k, v) => `  "${k}": "${v}",`],
    ["properties", (k, v) => `spring.datasource.${k}=${v}`],
  ];
  const pwKeys = ["password", "passwd", "pwd", "db_password", "adminPassword", "pass"];
  pwForms.forEach(([ext, form], i) => {
    const lines: (string | ReturnType<typeof pos>)[] = [`# password assignments ${i}`];
    for (let j = 0; j < 3; j++) {
      const v = r.pick(HUMAN_PASSWORDS) + (j > 0 ? String(r.int(90) + 10) : "");
      const k = form === pwForms[9]![1] ? "password" : ext === "cs" ? "Password" : r.pick(pwKeys);
      lines.push(pos(form(k, v), v, "password"));
    }
    lines.push(form("password", ""));
    lines.push(form("password", "None"));
    lines.push(form("password", "********"));
    lines.push(form("password", "<password>"));
    lines.push(form("password", "${DB_PASSWORD}"));
    lines.push(form("password", "changeme"));
    b.file(`passwords/form${i}.${ext}`, "password", lines);
  });
  b.file("passwords/code_negatives.py", "password", [
    'PASSWORD_FIELD = "password"',
    "password = None",
    "password = get_password()",
    'password = os.environ["DB_PASSWORD"]',
    'password = os.getenv("DB_PASSWORD")',
    'if password == "":',
    '    raise ValueError("password must not be empty")',
    'password = request.form["password"]',
    "self.password = password",
    "password_hash = bcrypt.hashpw(password, salt)",
    "bypass_cache = True",
    "tests_passed = 42",
    "password: str = Field(..., min_length=8)",
    "def check_password(password: str) -> bool:",
    "    return hmac.compare_digest(password, stored)",
    "password = args.password",
    "password = settings.DB_PASSWORD",
    "PASSWORD_MIN_LENGTH = 12",
    'password = prompt("Password: ")',
  ]);
  b.file("passwords/config_negatives.yml", "password", [
    "database:",
    "  password: ${PASSWORD}",
    "  password_file: /run/secrets/db_password",
    "  password: !vault |",
    "  passwordPolicy: strict",
    "  token_ttl: 3600",
    "  secret_name: prod/app/db",
    "  api_key_header: X-Api-Key",
    '  password: "{{ .Values.db.password }}"',
    '  password: <%= ENV["DB_PASSWORD"] %>',
  ]);
  // JS/TS negatives
  b.file("passwords/negatives.ts", "password", [
    "const password = process.env.DB_PASSWORD ?? '';",
    "const token = await getToken();",
    "const secretKey = config.get('secretKey');",
    "if (password === '') throw new Error('empty');",
    "const passwordInput = document.querySelector('#password');",
    "type Secret = { name: string; value: string };",
    "const apiKey = useApiKey();",
    "export const TOKEN_HEADER = 'Authorization';",
  ]);

  // high-entropy values next to secret-ish names in prose-free data files
  const ent: (string | ReturnType<typeof pos>)[] = ["{"];
  for (let i = 0; i < 6; i++) {
    const v = i % 2 ? r.mixed(B64, 64) + "==" : r.str(HEX, 64);
    ent.push(pos(`  "${r.pick(["signingSecret", "hmac_key", "jwtSecret", "cookie_secret", "secret_key_base", "encryptionKey"])}": "${v}",`, v, "entropy"));
  }
  ent.push(`  "etag": "${r.str(HEX, 32)}",`, `  "integrity": "sha384-${r.str(B64, 64)}",`, `  "id": "${r.uuid()}",`, `  "commit": "${r.str(HEX, 40)}"`, "}");
  b.file("entropy/keys.json", "entropy", ent);
}

function leakyRepo(b: Builder): void {
  const r = b.rng;
  const pw = () => r.pick(HUMAN_PASSWORDS) + r.int(100);
  const akid = () => "AKIA" + r.mixed(UPPER + "234567", 16);
  const asec = () => r.mixed(B64, 40);
  const F = "credfile";
  {
    const p1 = pw();
    const p2 = pw();
    const tok = "ghp_" + r.mixed(ALNUM, 36);
    const id = akid();
    const sec = asec();
    b.file("leaky/.bash_history", F, [
      "ls -la",
      "cd /var/www",
      pos(`mysql -u root -p${p1} production`, p1),
      pos(`curl -H "Authorization: token ${tok}" https://api.github.com/user`, tok),
      pos(`export AWS_ACCESS_KEY_ID=${id}`, id),
      pos(`export AWS_SECRET_ACCESS_KEY=${sec}`, sec),
      "aws s3 ls",
      pos(`psql "postgresql://admin:${p2}@10.0.0.5:5432/app"`, p2, "uri"),
      "git push origin main",
    ]);
  }
  {
    const p = pw();
    const t = r.mixed(ALNUM, 32);
    b.file("leaky/.zsh_history", F, [
      ": 1700000000:0;vim ~/.zshrc",
      pos(`: 1700000100:0;curl -u admin:${p} https://jenkins.internal/api/json`, p),
      pos(`: 1700000200:0;heroku config:set API_TOKEN=${t}`, t),
    ]);
  }
  {
    const t = "glpat-" + r.mixed(ALNUM + "_-", 20);
    const s = r.mixed(LALNUM, 32);
    b.file("leaky/.bashrc", F, ['alias ll="ls -la"', pos(`export GITLAB_TOKEN=${t}`, t), pos(`export MY_SERVICE_SECRET=${s}`, s), "export PATH=$HOME/bin:$PATH"]);
  }
  {
    const id = akid();
    const sec = asec();
    b.file("leaky/.s3cfg", F, ["[default]", pos(`access_key = ${id}`, id), pos(`secret_key = ${sec}`, sec), "host_base = s3.amazonaws.com", "use_https = True"]);
  }
  {
    const id = akid();
    const sec = asec();
    const id2 = "ASIA" + r.mixed(UPPER + "234567", 16);
    const sec2 = asec();
    const sess = "IQoJb3JpZ2luX2VjE" + r.mixed(B64, 300);
    b.file("leaky/.aws/credentials", F, [
      "[default]",
      pos(`aws_access_key_id = ${id}`, id),
      pos(`aws_secret_access_key = ${sec}`, sec),
      "",
      "[temp]",
      pos(`aws_access_key_id=${id2}`, id2),
      pos(`aws_secret_access_key=${sec2}`, sec2),
      pos(`aws_session_token=${sess}`, sess),
    ]);
    b.file("leaky/.aws/config", F, ["[default]", "region = us-east-1", "output = json", "[profile dev]", "role_arn = arn:aws:iam::123456789012:role/dev", "source_profile = default"]);
  }
  {
    const user = "deploy";
    const p = pw();
    const auth = b64(`${user}:${p}`);
    const auth2 = b64(`robot$ci:${r.mixed(ALNUM, 32)}`);
    b.file("leaky/.docker/config.json", F, [
      "{",
      '  "auths": {',
      '    "https://index.docker.io/v1/": {',
      pos(`      "auth": "${auth}"`, auth),
      "    },",
      '    "registry.example.com": {',
      pos(`      "auth": "${auth2}"`, auth2),
      "    }",
      "  },",
      '  "credsStore": "desktop"',
      "}",
    ]);
  }
  {
    const t = "npm_" + r.mixed(ALNUM, 36);
    const a = b64(`ci:${pw()}`);
    b.file("leaky/.npmrc", F, ["registry=https://registry.npmjs.org/", pos(`//registry.npmjs.org/:_authToken=${t}`, t), pos(`//npm.internal.example.com/:_auth=${a}`, a), "always-auth=true"]);
  }
  {
    const p = pw();
    const t = "pypi-AgEIcHlwaS5vcmc" + r.mixed(B64URL, 70);
    b.file("leaky/.pypirc", F, [
      "[distutils]",
      "index-servers =",
      "    pypi",
      "    internal",
      "",
      "[pypi]",
      "username = __token__",
      pos(`password = ${t}`, t),
      "",
      "[internal]",
      "repository = https://pypi.internal/",
      "username = ci",
      pos(`password = ${p}`, p),
    ]);
  }
  {
    const p1 = pw();
    const p2 = r.mixed(ALNUM, 20);
    b.file("leaky/.netrc", F, [pos(`machine api.heroku.com login me@example.com password ${p2}`, p2), "machine ftp.example.com", "  login anonymous", pos(`  password ${p1}`, p1)]);
  }
  {
    const p1 = pw() + "@x#";
    const t = "ghp_" + r.mixed(ALNUM, 36);
    b.file("leaky/.git-credentials", F, [pos(`https://alice:${encodeURIComponent(p1)}@gitlab.example.com`, encodeURIComponent(p1)), pos(`https://bob:${t}@github.com`, t)]);
  }
  {
    const p1 = pw();
    const p2 = pw();
    b.file("leaky/.pgpass", F, [pos(`db.example.com:5432:app:app_user:${p1}`, p1), pos(`*:*:*:postgres:${p2}`, p2)]);
  }
  {
    const p = pw();
    b.file("leaky/.my.cnf", F, ["[client]", "user = root", pos(`password = "${p}"`, p), "host = localhost"]);
  }
  {
    const h1 = "$apr1$" + r.str(ALNUM, 8) + "$" + r.str(ALNUM + "./", 22);
    const h2 = "$2y$10$" + r.str(ALNUM + "./", 53);
    const h3 = "{SHA}" + r.str(B64, 27) + "=";
    b.file("leaky/.htpasswd", F, [pos(`admin:${h1}`, h1), pos(`deploy:${h2}`, h2), pos(`old:${h3}`, h3)]);
  }
  {
    const p = pw();
    const p2 = pw();
    b.file("leaky/robomongo.json", F, [
      "{",
      '  "connections": [',
      "    {",
      '      "connectionName": "prod",',
      '      "serverHost": "mongo.example.com",',
      '      "credentials": [',
      "        {",
      '          "databaseName": "admin",',
      '          "userName": "root",',
      pos(`          "userPassword": "${p}",`, p),
      '          "enabled": true',
      "        }",
      "      ],",
      pos(`      "sshPassword": "${p2}"`, p2),
      "    }",
      "  ]",
      "}",
    ]);
  }
  {
    const p = pw();
    const p64 = b64(pw());
    b.file("leaky/filezilla/sitemanager.xml", F, [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<FileZilla3 version="3.60.0" platform="windows">',
      "  <Servers>",
      "    <Server>",
      "      <Host>ftp.example.com</Host>",
      "      <Port>21</Port>",
      "      <User>webmaster</User>",
      pos(`      <Pass>${p}</Pass>`, p),
      "    </Server>",
      "    <Server>",
      "      <Host>sftp.example.com</Host>",
      "      <User>deploy</User>",
      pos(`      <Pass encoding="base64">${p64}</Pass>`, p64),
      "    </Server>",
      "  </Servers>",
      "</FileZilla3>",
    ]);
  }
  {
    const p = pw();
    b.file("leaky/dbeaver/data-sources.json", F, [
      "{",
      '  "connections": {',
      '    "postgres-jdbc-1": {',
      '      "provider": "postgresql",',
      '      "configuration": {',
      '        "host": "db.example.com",',
      '        "database": "app",',
      '        "user": "app",',
      pos(`        "password": "${p}",`, p),
      '        "url": "jdbc:postgresql://db.example.com:5432/app"',
      "      }",
      "    }",
      "  }",
      "}",
    ]);
  }
  {
    const p = pw();
    const ap = pw();
    b.file("leaky/ventrilo_srv.ini", F, ["[Server]", "Name=Guild", "Port=3784", pos(`Password=${p}`, p), pos(`AdminPassword=${ap}`, ap), "MaxClients=50"]);
  }
  {
    const t = r.mixed(LALNUM, 64);
    b.file("leaky/.tugboat", F, ["---", "authentication:", pos(`  access_token: ${t}`, t), "defaults:", "  region: nyc1", "  image: ubuntu-22-04-x64"]);
  }
  {
    const p = pw();
    b.file("leaky/.esmtprc", F, ['identity "me@example.com"', "  hostname smtp.example.com:587", '  username "me@example.com"', pos(`  password "${p}"`, p), "  starttls required"]);
  }
  {
    const p = pw();
    b.file("leaky/.ftpconfig", F, ["{", '  "protocol": "sftp",', '  "host": "example.com",', '  "port": 22,', '  "user": "deploy",', pos(`  "pass": "${p}",`, p), '  "remote": "/var/www"', "}"]);
  }
  {
    const p = pw();
    b.file("leaky/sftp-config.json", F, [
      "{",
      '    "type": "sftp",',
      '    "host": "example.com",',
      '    "user": "deploy",',
      pos(`    "password": "${p}",`, p),
      '    "port": "22",',
      '    "remote_path": "/var/www/"',
      "}",
    ]);
  }
  // keys
  const pemBody = (n: number) => {
    const raw = r.str(B64, n);
    const rows: string[] = [];
    for (let i = 0; i < raw.length; i += 64) rows.push(raw.slice(i, i + 64));
    return rows;
  };
  const pem = (kind: string, n: number, headers: string[] = []) => [`-----BEGIN ${kind}-----`, ...headers, ...pemBody(n), `-----END ${kind}-----`].join("\n");
  const openssh = () => {
    const bin = Buffer.concat([
      Buffer.from("openssh-key-v1\0"),
      Buffer.from([0, 0, 0, 4]),
      Buffer.from("none"),
      Buffer.from([0, 0, 0, 4]),
      Buffer.from("none"),
      Buffer.from([0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0x33, 0, 0, 0, 0x0b]),
      Buffer.from("ssh-ed25519"),
      Buffer.from([0, 0, 0, 0x20]),
      Buffer.from(r.str(ALNUM, 32)),
      Buffer.alloc(8),
      Buffer.from(r.str(ALNUM, 120)),
    ]);
    const raw = bin.toString("base64");
    const rows: string[] = [];
    for (let i = 0; i < raw.length; i += 70) rows.push(raw.slice(i, i + 70));
    return ["-----BEGIN OPENSSH PRIVATE KEY-----", ...rows, "-----END OPENSSH PRIVATE KEY-----"].join("\n");
  };
  const K = "privatekey";
  for (const [path, text] of [
    ["leaky/.ssh/id_rsa", pem("RSA PRIVATE KEY", 1600)],
    ["leaky/.ssh/id_ed25519", openssh()],
    ["leaky/deploy/deploy_key", openssh()],
    ["leaky/certs/server.key", pem("PRIVATE KEY", 1600)],
    ["leaky/certs/legacy.pem", pem("RSA PRIVATE KEY", 1600, ["Proc-Type: 4,ENCRYPTED", `DEK-Info: AES-128-CBC,${r.str(HEX, 32).toUpperCase()}`, ""])],
    ["leaky/certs/encrypted.key", pem("ENCRYPTED PRIVATE KEY", 1700)],
    ["leaky/certs/ec.pem", pem("EC PRIVATE KEY", 160)],
    ["leaky/certs/client.p12.pem", pem("CERTIFICATE", 1200) + "\n" + pem("PRIVATE KEY", 1600)],
    ["leaky/keys/gpg-private.asc", ["-----BEGIN PGP PRIVATE KEY BLOCK-----", "", ...pemBody(1800), "=" + r.str(B64, 4), "-----END PGP PRIVATE KEY BLOCK-----"].join("\n")],
  ] as const) {
    const lines = text.split("\n");
    const beginIdx = lines.findIndex((l) => l.includes("PRIVATE KEY"));
    const before = lines.slice(0, beginIdx);
    const keyLines = lines.slice(beginIdx);
    b.file(path, K, [...before, pos(keyLines.join("\n"), keyLines[1]!)]);
  }
  {
    const priv = r.str(B64, 44);
    const ppk = [
      "PuTTY-User-Key-File-3: ssh-ed25519",
      "Encryption: none",
      "Comment: eddsa-key-20240101",
      "Public-Lines: 2",
      "AAAAC3NzaC1lZDI1NTE5AAAAI" + r.str(B64, 43),
      r.str(B64, 8),
      "Private-Lines: 1",
      priv,
      "Private-MAC: " + r.str(HEX, 64),
    ];
    b.file("leaky/keys/site.ppk", K, [pos(ppk.join("\n"), priv)]);
  }
  b.file("leaky/keys/id_rsa.pub", K, ["ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ" + r.str(B64, 360) + " me@laptop"]);
  b.file("leaky/certs/ca.crt", K, pem("CERTIFICATE", 1200).split("\n"));
  {
    const dbp = pw();
    const salts = Array.from({ length: 4 }, () => r.str(ALNUM + "!@#$%^&*()-_[]{}<>~+=,.;:/?|", 64));
    b.file("leaky/wordpress/wp-config.php", F, [
      "<?php",
      "define( 'DB_NAME', 'wordpress' );",
      "define( 'DB_USER', 'wp' );",
      pos(`define( 'DB_PASSWORD', '${dbp}' );`, dbp),
      "define( 'DB_HOST', 'localhost' );",
      pos(`define( 'AUTH_KEY',         '${salts[0]}' );`, salts[0]!),
      pos(`define( 'SECURE_AUTH_KEY',  '${salts[1]}' );`, salts[1]!),
      pos(`define( 'LOGGED_IN_SALT',   '${salts[2]}' );`, salts[2]!),
      pos(`define( 'NONCE_SALT',       '${salts[3]}' );`, salts[3]!),
      "define( 'AUTH_SALT',        'put your unique phrase here' );",
      "$table_prefix = 'wp_';",
    ]);
  }
  {
    const p = pw();
    const p2 = pw();
    b.file("leaky/rails/config/database.yml", F, [
      "default: &default",
      "  adapter: postgresql",
      "  pool: 5",
      "development:",
      "  <<: *default",
      "  database: app_dev",
      "  password:",
      "production:",
      "  <<: *default",
      "  database: app",
      "  username: app",
      pos(`  password: ${p}`, p),
      "staging:",
      "  <<: *default",
      pos(`  password: "${p2}"`, p2),
    ]);
    const kb = r.mixed(HEX, 128);
    b.file("leaky/rails/config/secrets.yml", F, ["production:", pos(`  secret_key_base: ${kb}`, kb), "test:", '  secret_key_base: <%= ENV["SECRET_KEY_BASE"] %>']);
  }
  {
    const sk = r.str(LALNUM + "!@#$%^&*(-_=+)", 50);
    const p = pw();
    const ep = pw();
    b.file("leaky/django/settings.py", F, [
      "import os",
      "DEBUG = False",
      pos(`SECRET_KEY = '${sk}'`, sk),
      "DATABASES = {",
      "    'default': {",
      "        'ENGINE': 'django.db.backends.postgresql',",
      "        'NAME': 'app',",
      "        'USER': 'app',",
      pos(`        'PASSWORD': '${p}',`, p),
      "        'HOST': 'db',",
      "    }",
      "}",
      pos(`EMAIL_HOST_PASSWORD = "${ep}"`, ep),
      "AWS_STORAGE_BUCKET_NAME = 'static-assets'",
    ]);
  }
  {
    const p = pw();
    const js = r.mixed(ALNUM, 48);
    b.file("leaky/spring/src/main/resources/application.properties", F, [
      "server.port=8080",
      "spring.datasource.url=jdbc:mysql://db:3306/app",
      "spring.datasource.username=app",
      pos(`spring.datasource.password=${p}`, p),
      pos(`jwt.secret=${js}`, js),
      "logging.level.root=INFO",
    ]);
  }
  {
    const p = pw();
    const key = r.mixed(B64, 86) + "==";
    const cs = `DefaultEndpointsProtocol=https;AccountName=acmestore;AccountKey=${key};EndpointSuffix=core.windows.net`;
    b.file("leaky/dotnet/appsettings.json", F, [
      "{",
      '  "ConnectionStrings": {',
      pos(`    "Default": "Server=sql.example.com;Database=app;User Id=app;Password=${p};"`, p),
      pos(`    "Storage": "${cs}"`, key),
      "  },",
      '  "Logging": { "LogLevel": { "Default": "Information" } }',
      "}",
    ]);
    const p2 = pw();
    const sk = r.mixed(ALNUM, 32);
    b.file("leaky/dotnet/web.config", F, [
      '<?xml version="1.0" encoding="utf-8"?>',
      "<configuration>",
      "  <connectionStrings>",
      pos(`    <add name="Main" connectionString="Data Source=sql01;Initial Catalog=app;User ID=web;Password=${p2}" providerName="System.Data.SqlClient" />`, p2),
      "  </connectionStrings>",
      "  <appSettings>",
      pos(`    <add key="ApiSecret" value="${sk}" />`, sk),
      '    <add key="Environment" value="production" />',
      "  </appSettings>",
      "</configuration>",
    ]);
  }
  {
    const sk = "sk_live_" + r.mixed(ALNUM, 24);
    const p = pw();
    const ak = "base64:" + b64(r.str(ALNUM, 32));
    const rp = r.mixed(ALNUM, 16);
    b.file("leaky/.env.production", F, [
      "APP_ENV=production",
      pos(`APP_KEY=${ak}`, ak),
      pos(`DB_PASSWORD=${p}`, p),
      pos(`STRIPE_SECRET=${sk}`, sk),
      pos(`REDIS_URL=redis://:${rp}@redis.internal:6379/0`, rp, "uri"),
      "LOG_LEVEL=info",
      "DB_HOST=db.internal",
    ]);
  }
  {
    const p = pw();
    const t = r.mixed(ALNUM, 32);
    b.file("leaky/infra/terraform.tfvars", F, [
      'region = "eu-west-1"',
      pos(`db_password = "${p}"`, p),
      pos(`datadog_api_key = "${r.str(HEX, 32)}"`, ""),
      pos(`cloudflare_api_token = "${t}"`, t),
      'instance_type = "t3.micro"',
    ]);
    const last = b.labels.find((l) => l.file === "leaky/infra/terraform.tfvars" && l.secret === "");
    if (last) last.secret = "(hex)";
  }
  {
    const p = pw();
    const id = akid();
    const sec = asec();
    b.file("leaky/infra/terraform.tfstate", F, [
      "{",
      '  "version": 4,',
      '  "terraform_version": "1.6.0",',
      '  "resources": [',
      "    {",
      '      "type": "aws_db_instance",',
      '      "name": "main",',
      '      "instances": [',
      "        {",
      '          "attributes": {',
      '            "username": "admin",',
      pos(`            "password": "${p}",`, p),
      '            "engine": "postgres"',
      "          }",
      "        }",
      "      ]",
      "    },",
      "    {",
      '      "type": "aws_iam_access_key",',
      '      "instances": [ { "attributes": {',
      pos(`        "id": "${id}",`, id),
      pos(`        "secret": "${sec}",`, sec),
      '        "status": "Active" } } ]',
      "    }",
      "  ]",
      "}",
    ]);
  }
  {
    const p = pw();
    const t = r.mixed(LALNUM, 34);
    b.file("leaky/jenkins/credentials.xml", F, [
      "<?xml version='1.1' encoding='UTF-8'?>",
      '<com.cloudbees.plugins.credentials.SystemCredentialsProvider plugin="credentials@2.6">',
      '  <domainCredentialsMap class="hudson.util.CopyOnWriteMap$Hash">',
      "    <entry>",
      "      <java.util.concurrent.CopyOnWriteArrayList>",
      "        <com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>",
      "          <id>deploy</id>",
      "          <username>deploy</username>",
      pos(`          <password>${p}</password>`, p),
      "        </com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>",
      "        <org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl>",
      "          <id>api</id>",
      pos(`          <secret>${t}</secret>`, t),
      "        </org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl>",
      "      </java.util.concurrent.CopyOnWriteArrayList>",
      "    </entry>",
      "  </domainCredentialsMap>",
      "</com.cloudbees.plugins.credentials.SystemCredentialsProvider>",
    ]);
  }
  {
    const p = pw();
    const rp = pw();
    b.file("leaky/docker-compose.yml", F, [
      "services:",
      "  db:",
      "    image: postgres:16",
      "    environment:",
      "      POSTGRES_USER: app",
      pos(`      POSTGRES_PASSWORD: ${p}`, p),
      "  cache:",
      "    image: redis:7",
      pos(`    command: redis-server --requirepass ${rp}`, rp),
      "  app:",
      "    environment:",
      "      - DB_PASSWORD=${DB_PASSWORD}",
    ]);
  }
  {
    const p = pw();
    const tok = r.mixed(ALNUM, 40);
    const ek = "E" + "NC";
    b.file("leaky/k8s/secret.yaml", "encoded", [
      "apiVersion: v1",
      "kind: Secret",
      "metadata:",
      "  name: app-credentials",
      "type: Opaque",
      "data:",
      "  username: " + b64("app"),
      pos(`  password: ${b64(p)}`, p),
      pos(`  api-token: ${b64(tok)}`, tok),
      `  mode: ${b64(ek)}`,
    ]);
    const sp = pw();
    b.file("leaky/k8s/secret-string.yaml", F, ["apiVersion: v1", "kind: Secret", "metadata:", "  name: db", "stringData:", pos(`  DB_PASSWORD: "${sp}"`, sp)]);
  }
  {
    const p = pw();
    const t = r.mixed(ALNUM, 32);
    b.file("leaky/ansible/group_vars/all.yml", F, [
      "---",
      "app_user: deploy",
      pos(`ansible_become_pass: ${p}`, p),
      pos(`newrelic_license: ${r.str(HEX, 40)}`, ""),
      pos(`api_secret: ${t}`, t),
      "app_port: 8080",
    ]);
    const lbl = b.labels.find((l) => l.file === "leaky/ansible/group_vars/all.yml" && l.secret === "");
    if (lbl) lbl.secret = "(hex)";
  }
  {
    const enc = r.mixed(B64, 120);
    b.file("leaky/firefox/logins.json", F, [
      '{"nextId":3,"logins":[',
      pos(
        `{"id":1,"hostname":"https://mail.example.com","encryptedUsername":"MDoEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcE${r.str(
          B64,
          16
        )}","encryptedPassword":"${enc}","formSubmitURL":"https://mail.example.com"}`,
        enc
      ),
      '],"version":3}',
    ]);
  }
  {
    const h = "$1$" + r.str(ALNUM, 8) + "$" + r.str(ALNUM + "./", 22);
    b.file("leaky/etc/proftpdpasswd", F, [pos(`ftpuser:${h}:1001:1001::/home/ftp:/bin/false`, h)]);
    const sh = "$6$" + r.str(ALNUM + "./", 16) + "$" + r.str(ALNUM + "./", 86);
    b.file("leaky/etc/shadow", F, ["root:*:19000:0:99999:7:::", "daemon:*:19000:0:99999:7:::", pos(`deploy:${sh}:19000:0:99999:7:::`, sh), "nobody:!:19000:0:99999:7:::"]);
  }
  {
    const h = "$2a$10$" + r.str(ALNUM + "./", 53);
    b.file("leaky/db/dump.sql", F, [
      "CREATE TABLE users (id int, email text, password_hash text);",
      pos(`INSERT INTO users VALUES (1, 'admin@example.com', '${h}');`, h),
      "INSERT INTO users VALUES (2, 'guest@example.com', NULL);",
    ]);
  }
  {
    const p = pw();
    const pwe = r.mixed(ALNUM, 12) + "&" + r.mixed(ALNUM, 4);
    b.file("leaky/config/connections.xml", F, [
      "<connections>",
      pos(`  <connection name="erp" user="svc" password="${p}" host="erp.local"/>`, p),
      pos(`  <jdbc url="jdbc:mysql://db/app?user=svc&amp;password=${pwe.replace("&", "&amp;")}"/>`, pwe.replace("&", "&amp;")),
      "</connections>",
    ]);
  }
  {
    const t = "xoxb-" + r.digits(12) + "-" + r.digits(13) + "-" + r.mixed(ALNUM, 24);
    const s = r.mixed(LALNUM, 40);
    const escaped = JSON.stringify(JSON.stringify({ slack_token: t, client_secret: s }));
    b.file("leaky/ci/payload.json", F, [`{"body": ${escaped}}`.replace(/^/, "")]);
    b.labels.push({ file: "leaky/ci/payload.json", line: 1, family: F, secret: t });
  }
}

function encodedAndUris(b: Builder): void {
  const r = b.rng;
  const tok = "ghp_" + r.mixed(ALNUM, 36);
  const sk = "sk_live_" + r.mixed(ALNUM, 24);
  const p = r.pick(HUMAN_PASSWORDS) + r.int(100);
  b.file("encoded/blobs.yaml", "encoded", [
    "config:",
    pos(`  payload: ${b64(`GITHUB_TOKEN=${tok}`)}`, tok),
    pos(`  settings: ${b64(JSON.stringify({ stripe_key: sk }))}`, sk),
    pos(`  dsn: ${encodeURIComponent(`postgres://svc:${p}@db:5432/app`)}`, p),
    `  logo: ${b64("just a picture of a cat, nothing secret here at all")}`,
  ]);
  const U = "uri";
  const pws = Array.from({ length: 8 }, () => r.mixed(ALNUM, 14 + r.int(8)));
  b.file("uris/connections.env", U, [
    pos(`DATABASE_URL=postgresql://app:${pws[0]}@db.example.com:5432/app`, pws[0]!),
    pos(`MONGO_URI=mongodb+srv://admin:${pws[1]}@cluster0.abcde.mongodb.net/app?retryWrites=true`, pws[1]!),
    pos(`REDIS_URL=redis://:${pws[2]}@cache.example.com:6379`, pws[2]!),
    pos(`AMQP_URL=amqps://guest:${pws[3]}@mq.example.com/vhost`, pws[3]!),
    pos(`MYSQL_DSN=mysql://root:${pws[4]}@127.0.0.1:3306/app`, pws[4]!),
    pos(`FTP=ftp://upload:${pws[5]}@ftp.example.com/incoming`, pws[5]!),
    pos(`SMTP_URL=smtps://mailer%40example.com:${pws[6]}@smtp.example.com:465`, pws[6]!),
    pos(`PROXY=http://proxyuser:${pws[7]}@proxy.corp:3128`, pws[7]!),
    "HOMEPAGE=https://user@example.com/profile",
    "DATABASE_URL_TEMPLATE=postgresql://user:password@localhost:5432/db",
    "EXAMPLE=redis://:${REDIS_PASSWORD}@cache:6379",
    "DOCS=https://username:<password>@host/path",
  ]);
}

function noiseTree(r: Rng): Map<string, string> {
  const files = new Map<string, string>();
  const arn = (svc: string, res: string) => `arn:aws:${svc}:us-east-1:123456789012:${res}`;
  const rid = () => r.str(HEX, 8) + "-" + r.str(HEX, 4);
  files.set(
    "moto/core/models.py",
    [
      "import base64",
      "import hashlib",
      "import random",
      "import string",
      "",
      'DEFAULT_ACCOUNT_ID = "123456789012"',
      "",
      "def random_access_key():",
      '    return "AKIA" + "".join(random.choice(string.ascii_uppercase + string.digits) for _ in range(16))',
      "",
      "def random_secret_key():",
      '    return "".join(random.choice(string.ascii_letters + string.digits + "+/") for _ in range(40))',
      "",
      "def random_session_token():",
      '    return "FQoGZXIvYXdzE" + base64.b64encode(os.urandom(200)).decode()',
      "",
      "class FakeKey:",
      "    def __init__(self, name, value, etag=None):",
      "        self.name = name",
      "        self.value = value",
      "        self.etag = etag or hashlib.md5(value).hexdigest()",
      "        self.secret_access_key = random_secret_key()",
      "        self.access_key_id = random_access_key()",
      "",
      `SIGNATURE = "${r.str(HEX, 64)}"`,
      `EXAMPLE_ETAG = '"${r.str(HEX, 32)}"'`,
    ].join("\n") + "\n"
  );
  files.set(
    "moto/iam/responses.py",
    [
      'CREATE_ACCESS_KEY_TEMPLATE = """<CreateAccessKeyResponse>',
      "   <CreateAccessKeyResult>",
      "     <AccessKey>",
      "         <UserName>{{ key.user_name }}</UserName>",
      "         <AccessKeyId>{{ key.access_key_id }}</AccessKeyId>",
      "         <Status>{{ key.status }}</Status>",
      "         <SecretAccessKey>{{ key.secret_access_key }}</SecretAccessKey>",
      "     </AccessKey>",
      "   </CreateAccessKeyResult>",
      `   <ResponseMetadata><RequestId>${r.uuid()}</RequestId></ResponseMetadata>`,
      '</CreateAccessKeyResponse>"""',
      "",
      'GET_USER_TEMPLATE = """<GetUserResponse><GetUserResult><User>',
      `  <Arn>${arn("iam", "user/test")}</Arn>`,
      "  <UserId>AIDAEXAMPLEUSERID1234</UserId>",
      '</User></GetUserResult></GetUserResponse>"""',
      "",
      "def get_credential_report(self):",
      "    report = self.backend.get_credential_report()",
      "    return base64.b64encode(report.encode()).decode()",
    ].join("\n") + "\n"
  );
  files.set(
    "moto/sts/responses.py",
    [
      'ASSUME_ROLE_RESPONSE = """<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">',
      "  <AssumeRoleResult>",
      "    <Credentials>",
      "      <SessionToken>{{ role.session_token }}</SessionToken>",
      "      <SecretAccessKey>{{ role.secret_access_key }}</SecretAccessKey>",
      "      <Expiration>{{ role.expiration_ISO8601 }}</Expiration>",
      "      <AccessKeyId>{{ role.access_key_id }}</AccessKeyId>",
      "    </Credentials>",
      `    <AssumedRoleUser><Arn>${arn("sts", "assumed-role/admin/session")}</Arn></AssumedRoleUser>`,
      "  </AssumeRoleResult>",
      '</AssumeRoleResponse>"""',
    ].join("\n") + "\n"
  );
  files.set(
    "moto/secretsmanager/models.py",
    [
      "class FakeSecret:",
      "    def __init__(self, name, secret_string=None, secret_binary=None, kms_key_id=None):",
      "        self.name = name",
      "        self.secret_string = secret_string",
      "        self.secret_binary = secret_binary",
      "        self.version_id = str(mock_random.uuid4())",
      `        self.arn = "${arn("secretsmanager", "secret:" + "my-secret-" + r.str(ALNUM, 6))}"`,
      "",
      'def get_random_password(password_length=32, exclude_characters="", exclude_numbers=False):',
      '    password = "".join(random.choice(string.printable) for _ in range(password_length))',
      "    return password",
      "",
      "DEFAULT_PASSWORD_LENGTH = 32",
    ].join("\n") + "\n"
  );
  files.set(
    "moto/s3/utils.py",
    [
      "def compute_checksum(body, algorithm):",
      "    return base64.b64encode(hashlib.sha256(body).digest())",
      "",
      `EMPTY_MD5 = "${"d41d8cd98f00b204e9800998ecf8427e"}"`,
      `SIGNING_KEY_DATE = "20130524"`,
      `BUCKET_OWNER_ID = "${r.str(HEX, 64)}"`,
      `REQUEST_ID = "${rid()}"`,
    ].join("\n") + "\n"
  );
  files.set(
    "moto/cognitoidp/models.py",
    [
      "def create_jwt(self, client_id, username, token_use, expires_in=60 * 60):",
      '    payload = {"iss": self.iss, "sub": self._get_user(username).id, "token_use": token_use}',
      '    return jws.sign(payload, self.json_web_key, headers, algorithm="RS256")',
      "",
      "class CognitoIdpUserPoolClient:",
      "    def __init__(self, user_pool_id, generate_secret, extended_config):",
      "        self.id = create_id()",
      "        self.secret = str(random.uuid4())",
      "        self.generate_secret = generate_secret or False",
    ].join("\n") + "\n"
  );
  const tests: string[] = [
    "import boto3",
    "import pytest",
    "from moto import mock_aws",
    "",
    "@pytest.fixture",
    "def aws_credentials():",
    '    os.environ["AWS_ACCESS_KEY_ID"] = "testing"',
    '    os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"',
    '    os.environ["AWS_SECURITY_TOKEN"] = "testing"',
    '    os.environ["AWS_SESSION_TOKEN"] = "testing"',
    "",
    "@mock_aws",
    "def test_create_secret():",
    '    conn = boto3.client("secretsmanager", region_name="us-west-2")',
    '    conn.create_secret(Name="java-util-test-password", SecretString="foosecret")',
    '    result = conn.get_secret_value(SecretId="java-util-test-password")',
    '    assert result["SecretString"] == "foosecret"',
    "",
    "def test_client_with_keys():",
    '    client = boto3.client("s3", aws_access_key_id="AKIAIOSFODNN7EXAMPLE",',
    '                          aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")',
    "",
  ];
  for (let i = 0; i < 12; i++) {
    tests.push(
      `def test_access_key_${i}():`,
      `    key = "AKIA${r.str(UPPER + "234567", 16)}"`,
      `    secret = "${r.mixed(B64, 40)}"`,
      `    token = "${r.mixed(B64, 120)}"`,
      `    password = "${r.mixed(ALNUM, 12)}"`,
      `    resp = client.put_object(Bucket="mybucket", Key="the-key", Body=b"${r.str(B64, 60)}")`,
      `    resp["ETag"].should.equal('"${r.str(HEX, 32)}"')`,
      ""
    );
  }
  files.set("tests/test_secretsmanager/test_secrets.py", tests.join("\n") + "\n");
  files.set(
    "tests/test_core/test_auth.py",
    [
      "def test_signature():",
      "    headers = {",
      `        "Authorization": "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-date, Signature=${r.str(HEX, 64)}",`,
      `        "x-amz-security-token": "${r.mixed(B64, 200)}",`,
      "    }",
      `    private_key = """-----BEGIN RSA PRIVATE KEY-----\n${r.str(B64, 64)}\n${r.str(B64, 64)}\n-----END RSA PRIVATE KEY-----"""`,
      `    jwt = "${jwt(r, { sub: "user", iat: 1 })}"`,
    ].join("\n") + "\n"
  );
  files.set(
    "docs/docs/getting_started.rst",
    [
      "Getting Started",
      "===============",
      "",
      "Set fake credentials so that nothing reaches AWS::",
      "",
      "    export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
      "    export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      "",
      "Or in ``~/.aws/credentials``::",
      "",
      "    [default]",
      "    aws_access_key_id = foobar_key",
      "    aws_secret_access_key = foobar_secret",
    ].join("\n") + "\n"
  );
  files.set(
    "moto/ec2/resources/amis.json",
    JSON.stringify(
      Array.from({ length: 20 }, () => ({ ami_id: "ami-" + r.str(HEX, 17), owner_id: r.digits(12), name: "amzn2-ami-hvm-" + r.str(DIGITS, 8), public: true })),
      null,
      2
    ) + "\n"
  );
  files.set(
    "moto/kms/models.py",
    [
      "class Key:",
      "    def __init__(self, policy, key_usage, key_spec, description, account_id, region):",
      "        self.id = generate_key_id()",
      "        self.key_material = generate_master_key()",
      `        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)`,
      "",
      `FAKE_CIPHERTEXT_BLOB = "${r.mixed(B64, 172)}"`,
    ].join("\n") + "\n"
  );
  files.set(
    "moto/sts/models.py",
    [
      "class AssumedRole(BaseModel):",
      "    def __init__(self, account_id, access_key, role_session_name, role_arn, policy, duration, external_id):",
      "        self.session_name = role_session_name",
      "        self.access_key_id = access_key.access_key_id",
      "        self.secret_access_key = access_key.secret_access_key",
      "        self.session_token = random_session_token()",
      "",
      'DEFAULT_STS_SESSION_TOKEN = "AQoEXAMPLEH4aoAH0gNCAPyJxz4BlCFFxWNE1OPTgk5TthT+FvwqnKwRcOIfrRh3c/LTo6UDdyJwOOvEVPvLXCrrrUtdnniCEXAMPLE/IvU1dYUg2RVAJBanLiHb4IgRmpRV3zrkuWJOgQs8IZZaIv2BXIa2R4OlgkBN9bkUDNCJiBeb/AXlzBBko7b15fjrBs2+cTQtpZ3CYWFXG8C5zqx37wnOE49mRl/+OtkIKGO7fAE"',
      "DEFAULT_STS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE'",
      "DEFAULT_STS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY'",
    ].join("\n") + "\n"
  );
  files.set(
    "moto/redshift/responses.py",
    [
      'CLUSTER_TEMPLATE = """<Cluster>',
      "  <MasterUsername>{{ cluster.master_username }}</MasterUsername>",
      "  <MasterUserPassword>{{ cluster.master_user_password }}</MasterUserPassword>",
      '</Cluster>"""',
      "",
      "def create_cluster(self):",
      '    master_user_password = self._get_param("MasterUserPassword")',
      '    cluster_kwargs = {"master_user_password": master_user_password, "port": self._get_int_param("Port")}',
      "    return self.redshift_backend.create_cluster(**cluster_kwargs)",
      "",
      "def get_cluster_credentials(self):",
      "    db_password = mock_random.get_random_string(32)",
      '    return {"DbUser": db_user, "DbPassword": db_password, "Expiration": expiration}',
    ].join("\n") + "\n"
  );
  files.set(
    "moto/awslambda/utils.py",
    [
      "def _process_lambda(func_str):",
      "    zip_output = io.BytesIO()",
      "    return zip_output.read()",
      "",
      'EMPTY_ZIP = "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="',
      `DEFAULT_CODE_SHA_256 = "${b64(r.str(ALNUM, 32))}"`,
      `LAYER_ARN = "${arn("lambda", "layer:my-layer:1")}"`,
      "def make_function_arn(region, account, name):",
      '    return f"arn:aws:lambda:{region}:{account}:function:{name}"',
    ].join("\n") + "\n"
  );
  files.set(
    "moto/cognitoidp/responses.py",
    [
      "def admin_create_user(self):",
      '    temporary_password = self._get_param("TemporaryPassword")',
      "    user = self.backend.admin_create_user(user_pool_id, username, message_action, temporary_password, attributes)",
      "",
      "def initiate_auth(self):",
      '    auth_parameters = self._get_param("AuthParameters")',
      '    password = auth_parameters.get("PASSWORD")',
      '    secret_hash = auth_parameters.get("SECRET_HASH")',
      '    return json.dumps({"AuthenticationResult": {"IdToken": id_token, "AccessToken": access_token, "RefreshToken": refresh_token}})',
    ].join("\n") + "\n"
  );
  files.set(
    "moto/apigateway/models.py",
    [
      "class ApiKey(BaseModel):",
      "    def __init__(self, api_key_id, name=None, description=None, enabled=False, value=None):",
      "        self.id = api_key_id",
      '        self.value = value or "".join(random.sample(string.ascii_letters + string.digits, 40))',
      "",
      `EXAMPLE_API_KEY_ID = "${r.str(LALNUM, 10)}"`,
      "def create_id():",
      "    chars = list(range(10)) + list(string.ascii_lowercase)",
      '    return "".join(str(random.choice(chars)) for x in range(10))',
    ].join("\n") + "\n"
  );
  files.set(
    "moto/ec2/utils.py",
    [
      "def random_key_pair():",
      "    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)",
      "    private_key_material = private_key.private_bytes(encoding=serialization.Encoding.PEM, format=serialization.PrivateFormat.TraditionalOpenSSL, encryption_algorithm=serialization.NoEncryption())",
      '    return {"fingerprint": random_fingerprint(), "material": private_key_material.decode("ascii")}',
      "",
      "def random_fingerprint():",
      '    return ":".join(random_hex(2) for _ in range(20))',
      "",
      `RSA_PUBLIC_KEY_OPENSSH = b"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ${r.str(B64, 300)} moto@github.com"`,
      `RSA_PUBLIC_KEY_FINGERPRINT = "${Array.from({ length: 16 }, () => r.str(HEX, 2)).join(":")}"`,
    ].join("\n") + "\n"
  );
  files.set(
    "moto/rds/models.py",
    [
      "class Database(CloudFormationModel):",
      "    def __init__(self, **kwargs):",
      '        self.master_username = kwargs.get("master_username")',
      '        self.master_user_password = kwargs.get("master_user_password")',
      '        self.master_user_secret_kms_key_id = kwargs.get("master_user_secret_kms_key_id")',
    ].join("\n") + "\n"
  );
  files.set(
    "tests/test_iam/test_iam.py",
    [
      'MOCK_CERT = """-----BEGIN CERTIFICATE-----',
      ...pemRows(r, 900),
      '-----END CERTIFICATE-----"""',
      "",
      "def test_create_login_profile():",
      '    conn = boto3.client("iam", region_name="us-east-1")',
      '    conn.create_login_profile(UserName="my-user", Password="Password")',
      '    conn.update_login_profile(UserName="my-user", Password="new-pass")',
      `    conn.upload_ssh_public_key(UserName="my-user", SSHPublicKeyBody="ssh-rsa AAAAB3Nza${r.str(B64, 200)}")`,
      "",
      "def test_access_key():",
      '    key = conn.create_access_key(UserName="my-user")["AccessKey"]',
      '    assert key["SecretAccessKey"] is not None',
    ].join("\n") + "\n"
  );
  files.set(
    "tests/test_rds/test_rds.py",
    [
      "def test_create_database():",
      "    database = conn.create_db_instance(",
      '        DBInstanceIdentifier="db-master-1",',
      '        Engine="postgres",',
      '        MasterUsername="root",',
      '        MasterUserPassword="hunter2",',
      "    )",
      `    connection = "postgresql://root:hunter2@db-master-1.${r.str(LALNUM, 12)}.us-west-2.rds.amazonaws.com:5432/postgres"`,
    ].join("\n") + "\n"
  );
  return files;
}

function pemRows(r: Rng, n: number): string[] {
  const raw = r.str(B64, n);
  const rows: string[] = [];
  for (let i = 0; i < raw.length; i += 64) rows.push(raw.slice(i, i + 64));
  return rows;
}

export function generate(root = join(tmpdir(), "vaultlift-blind2"), seed = 20261201): Corpus {
  const r = new Rng(seed);
  const b = new Builder(r);
  vendorSamples(b);
  genericSamples(b);
  leakyRepo(b);
  encodedAndUris(b);
  const noise = noiseTree(r);
  rmSync(root, { recursive: true, force: true });
  const tree = join(root, "tree");
  const noiseDir = join(root, "noise");
  for (const [path, text] of b.files) {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    writeFileSync(join(tree, path), text);
  }
  for (const [path, text] of noise) {
    mkdirSync(dirname(join(noiseDir, path)), { recursive: true });
    writeFileSync(join(noiseDir, path), text);
  }
  const corpus: Corpus = { root, tree, noise: noiseDir, labels: b.labels, fileFamily: b.fileFamily };
  writeFileSync(join(root, "labels.json"), JSON.stringify({ labels: b.labels, fileFamily: b.fileFamily }, null, 1));
  return corpus;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const c = generate(process.argv[2]);
  console.log(`${c.labels.length} labels in ${Object.keys(c.fileFamily).length} files under ${c.tree}; noise tree ${c.noise}`);
}
