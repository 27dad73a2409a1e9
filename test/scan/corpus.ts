/**
 * The labelled scanner corpus, generated (never committed): secrets of every rule's
 * type written from public format facts into realistic files, and files of look-alikes
 * that must not fire (UUIDs, lockfile hashes, placeholders, documented example keys,
 * test fixtures, base64 images, ordinary code). Deterministic for a seed.
 *
 *   npx tsx test/scan/corpus.ts /tmp/corpus     writes one and prints its size
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { seeded } from "../../scripts/local-aws/random.ts";

export interface LabelledSecret {
  ruleId: string;
  /** Relative to the corpus root. */
  file: string;
  line: number;
  secret: string;
  key?: string;
}

export interface Corpus {
  root: string;
  secrets: LabelledSecret[];
  /** Files of look-alikes, relative to the root: any finding there is a false positive. */
  lookalikeFiles: string[];
  lookalikeLines: number;
}

type Random = () => number;

export { seeded };

export const CHARSETS = {
  upper: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  lower: "abcdefghijklmnopqrstuvwxyz",
  digits: "0123456789",
  hex: "0123456789abcdef",
  alnum: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
  base64: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
  urlsafe: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
  password: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#&*-_=+.",
};

export class Gen {
  constructor(readonly random: Random) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }
  chars(charset: string, length: number): string {
    let out = "";
    for (let i = 0; i < length; i += 1) out += charset[Math.floor(this.random() * charset.length)];
    return out;
  }
  /** Random text of a charset with at least one upper, lower and digit, as real random tokens have. */
  mixed(charset: string, length: number): string {
    for (;;) {
      const value = this.chars(charset, length);
      if (/[A-Z]/.test(value) && /[a-z]/.test(value) && /[0-9]/.test(value)) return value;
    }
  }
  hex(length: number): string {
    return this.chars(CHARSETS.hex, length);
  }
  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-a${this.hex(3)}-${this.hex(12)}`;
  }
  /** Starts with a letter or digit, as passwords in config files usually do. */
  password(): string {
    return `${this.chars(CHARSETS.alnum, 1)}${this.mixed(CHARSETS.password, this.int(9, 19))}`;
  }
  pem(label: string, lines = 12): string {
    const body = Array.from({ length: lines }, () => this.chars(CHARSETS.base64, 64));
    return [`-----BEGIN ${label}-----`, ...body, `${this.chars(CHARSETS.base64, 20)}==`, `-----END ${label}-----`].join("\n");
  }
}

/** How a value of a rule's type is made, and under which variable name it appears. */
interface TokenSpec {
  value: (g: Gen) => string;
  /** Variable names that give the context the rule needs (vendor-named rules). */
  names?: readonly string[];
}

const { upper, digits, alnum, base64, urlsafe } = CHARSETS;

/** Format facts per credential type: prefix, length, charset. */
export const TOKEN_SPECS: Record<string, TokenSpec> = {
  "aws-access-key-id": { value: (g) => `${g.pick(["AKIA", "ASIA"])}${g.chars(upper + "234567", 16)}` },
  "aws-secret-access-key": { value: (g) => g.mixed(base64, 40), names: ["aws_secret_access_key", "AWS_SECRET_ACCESS_KEY", "awsSecretKey", "secretAccessKey"] },
  "aws-session-token": { value: (g) => `IQoJb3JpZ2luX2Vj${g.chars(base64, 200)}`, names: ["aws_session_token", "AWS_SESSION_TOKEN"] },
  "github-pat": { value: (g) => `ghp_${g.chars(alnum, 36)}` },
  "github-fine-grained-pat": { value: (g) => `github_pat_${g.chars(alnum, 22)}_${g.chars(alnum, 59)}` },
  "github-oauth-token": { value: (g) => `gho_${g.chars(alnum, 36)}` },
  "github-app-token": { value: (g) => `${g.pick(["ghu_", "ghs_"])}${g.chars(alnum, 36)}` },
  "github-refresh-token": { value: (g) => `ghr_${g.chars(alnum, 76)}` },
  "gitlab-pat": { value: (g) => `glpat-${g.chars(urlsafe, 20)}` },
  "gitlab-pipeline-trigger-token": { value: (g) => `glptt-${g.hex(40)}` },
  "gitlab-runner-token": { value: (g) => `${g.pick(["GR1348941", "glrt-"])}${g.chars(urlsafe, 20)}` },
  "gitlab-deploy-token": { value: (g) => `gldt-${g.chars(urlsafe, 20)}` },
  "slack-bot-token": { value: (g) => `xoxb-${g.chars(digits, 12)}-${g.chars(digits, 13)}-${g.chars(alnum, 24)}` },
  "slack-user-token": { value: (g) => `xoxp-${g.chars(digits, 12)}-${g.chars(digits, 12)}-${g.chars(digits, 13)}-${g.hex(32)}` },
  "slack-app-token": { value: (g) => `xapp-1-A${g.chars(upper + digits, 10)}-${g.chars(digits, 13)}-${g.hex(64)}` },
  "slack-legacy-token": { value: (g) => `xoxa-2-${g.chars(digits, 12)}-${g.chars(alnum, 32)}` },
  "slack-webhook-url": { value: (g) => `https://hooks.slack.com/services/T${g.chars(upper + digits, 8)}/B${g.chars(upper + digits, 10)}/${g.chars(alnum, 24)}` },
  "stripe-secret-key": { value: (g) => `sk_${g.pick(["live", "test"])}_${g.chars(alnum, g.int(24, 99))}` },
  "stripe-restricted-key": { value: (g) => `rk_live_${g.chars(alnum, g.int(24, 99))}` },
  "stripe-webhook-secret": { value: (g) => `whsec_${g.chars(alnum, 32)}` },
  "google-api-key": { value: (g) => `AIza${g.chars(urlsafe, 35)}` },
  "google-oauth-client-secret": { value: (g) => `GOCSPX-${g.chars(urlsafe, 28)}` },
  "azure-ad-client-secret": { value: (g) => `${g.chars(alnum, 3)}${g.int(0, 9)}Q~${g.chars(alnum + "_~.-", 34)}` },
  "npm-token": { value: (g) => `npm_${g.chars(alnum, 36)}` },
  "pypi-token": { value: (g) => `pypi-AgEIcHlwaS5vcmc${g.chars(urlsafe, 70)}` },
  "twilio-api-key": { value: (g) => `SK${g.hex(30)}a1` },
  "twilio-auth-token": { value: (g) => g.hex(32), names: ["TWILIO_AUTH_TOKEN", "twilio_token", "twilioAuthToken"] },
  "sendgrid-api-key": { value: (g) => `SG.${g.chars(urlsafe, 22)}.${g.chars(urlsafe, 43)}` },
  "mailgun-api-key": { value: (g) => `key-${g.hex(32)}` },
  "mailchimp-api-key": { value: (g) => `${g.hex(32)}-us${g.int(1, 20)}` },
  "heroku-api-key": { value: (g) => `HRKU-AA${g.chars(urlsafe, 58)}` },
  "heroku-api-key-legacy": { value: (g) => g.uuid(), names: ["HEROKU_API_KEY", "heroku_key", "herokuApiKey"] },
  "digitalocean-token": { value: (g) => `${g.pick(["dop", "doo", "dor"])}_v1_${g.hex(64)}` },
  "datadog-api-key": { value: (g) => g.hex(32), names: ["DATADOG_API_KEY", "DD_API_KEY", "datadog_api_key"] },
  "datadog-app-key": { value: (g) => g.hex(40), names: ["DATADOG_APP_KEY", "DD_APP_KEY", "datadogAppKey"] },
  "shopify-token": { value: (g) => `${g.pick(["shpat", "shpca", "shppa", "shpss"])}_${g.hex(32)}` },
  "openai-api-key": { value: (g) => `sk-${g.pick(["", "proj-"])}${g.chars(alnum, 20)}T3BlbkFJ${g.chars(alnum, 20)}` },
  "anthropic-api-key": { value: (g) => `sk-ant-api03-${g.chars(urlsafe, 93)}AA` },
  jwt: {
    value: (g) =>
      `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ${g.chars(urlsafe, g.int(40, 120))}.${g.chars(urlsafe, 43)}`,
  },
  "age-secret-key": { value: (g) => `AGE-SECRET-KEY-1${g.chars("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)}` },
  "vault-token": { value: (g) => `hvs.${g.chars(urlsafe, 95)}` },
  "terraform-cloud-token": { value: (g) => `${g.chars(alnum, 14)}.atlasv1.${g.chars(urlsafe, 67)}` },
  "atlassian-api-token": { value: (g) => `ATATT3xFfGF0${g.chars(urlsafe, 179)}=` },
  "linear-api-key": { value: (g) => `lin_api_${g.chars(alnum, 40)}` },
  "postman-api-key": { value: (g) => `PMAK-${g.hex(24)}-${g.hex(34)}` },
  "newrelic-key": { value: (g) => g.pick([`NRAK-${g.chars(upper + digits, 27)}`, `NRJS-${g.hex(19)}`]) },
  "sentry-token": { value: (g) => g.pick([`sntryu_${g.hex(64)}`, `sntrys_eyJpYXQiOjE2${g.chars(alnum, 120)}`]) },
  "grafana-token": { value: (g) => g.pick([`glc_${g.chars(base64, 80)}==`, `glsa_${g.chars(alnum, 32)}_${g.hex(8)}`]) },
  "doppler-token": { value: (g) => `dp.${g.pick(["pt", "st", "sa"])}.${g.chars(alnum, 43)}` },
  "dynatrace-token": { value: (g) => `dt0c01.${g.chars(upper + digits, 24)}.${g.chars(upper + digits, 64)}` },
  "pulumi-token": { value: (g) => `pul-${g.hex(40)}` },
  "rubygems-token": { value: (g) => `rubygems_${g.hex(48)}` },
  "huggingface-token": { value: (g) => `hf_${g.chars(upper, 4)}${g.chars(CHARSETS.lower, 4)}${g.chars(upper + CHARSETS.lower, 26)}` },
  "square-token": { value: (g) => g.pick([`EAAA${g.chars(urlsafe, 60)}`, `sq0atp-${g.chars(urlsafe, 22)}`, `sq0csp-${g.chars(urlsafe, 43)}`]) },
  "telegram-bot-token": { value: (g) => `${g.chars(digits, 10)}:AA${g.chars(urlsafe, 33)}` },
  "discord-webhook-url": { value: (g) => `https://discord.com/api/webhooks/${g.chars(digits, 18)}/${g.chars(urlsafe, 68)}` },
  "teams-webhook-url": {
    value: (g) => `https://acme.webhook.office.com/webhookb2/${g.uuid()}@${g.uuid()}/IncomingWebhook/${g.hex(32)}/${g.uuid()}`,
  },
  "alibaba-access-key-id": { value: (g) => `LTAI${g.chars(alnum, 20)}` },
  "flyio-token": { value: (g) => `fo1_${g.chars(urlsafe, 43)}` },
  "planetscale-token": { value: (g) => `pscale_${g.pick(["tkn", "pw"])}_${g.chars(alnum, 43)}` },
  "supabase-token": { value: (g) => `sbp_${g.hex(40)}` },
  "cloudflare-origin-ca-key": { value: (g) => `v1.0-${g.hex(24)}-${g.hex(146)}` },
  "cloudflare-api-token": { value: (g) => g.mixed(urlsafe, 40), names: ["CLOUDFLARE_API_TOKEN", "cloudflare_token", "cloudflareApiToken"] },
  "okta-api-token": { value: (g) => `00${g.chars(urlsafe, 40)}`, names: ["OKTA_API_TOKEN", "okta_token", "oktaToken"] },
  "databricks-token": { value: (g) => `dapi${g.hex(32)}` },
  "clojars-token": { value: (g) => `CLOJARS_${g.chars(CHARSETS.lower + digits, 60)}` },
  "airtable-pat": { value: (g) => `pat${g.chars(alnum, 14)}.${g.hex(64)}` },
  "mapbox-secret-token": { value: (g) => `sk.eyJ1Ijoi${g.chars(urlsafe, 60)}.${g.chars(urlsafe, 22)}` },
  "snyk-token": { value: (g) => g.uuid(), names: ["SNYK_TOKEN", "snyk_api_token", "snykToken"] },
  "algolia-admin-key": { value: (g) => g.hex(32), names: ["ALGOLIA_ADMIN_KEY", "algolia_api_key", "algoliaAdminKey"] },
  "shippo-token": { value: (g) => `shippo_${g.pick(["live", "test"])}_${g.hex(40)}` },
  "easypost-api-key": { value: (g) => `EZAK${g.chars(alnum, 54)}` },
  "frameio-token": { value: (g) => `fio-u-${g.chars(urlsafe, 64)}` },
  "readme-api-key": { value: (g) => `rdme_${g.chars(CHARSETS.lower + digits, 70)}` },
  "prefect-api-key": { value: (g) => `pnu_${g.chars(alnum, 36)}` },
  "scalingo-token": { value: (g) => `tk-us-${g.chars(urlsafe, 48)}` },
  "duffel-token": { value: (g) => `duffel_${g.pick(["test", "live"])}_${g.chars(alnum, 43)}` },
  "onepassword-service-account-token": { value: (g) => `ops_eyJzaWduSW5BZGRyZXNzIjoi${g.chars(base64, 300)}` },
  "contentful-token": { value: (g) => `CFPAT-${g.chars(urlsafe, 43)}` },
  "notion-token": { value: (g) => g.pick([`ntn_${g.chars(digits, 11)}${g.chars(alnum, 35)}`, `secret_${g.chars(alnum, 43)}`]) },
  "buildkite-token": { value: (g) => `bkua_${g.hex(40)}` },
  "harness-pat": { value: (g) => `pat.${g.chars(urlsafe, 22)}.${g.hex(24)}.${g.chars(alnum, 20)}` },
  "gocardless-token": { value: (g) => `live_${g.mixed(alnum, 40)}` },
  "high-entropy-secret": {
    value: (g) => g.pick([g.mixed(base64, g.int(24, 64)), g.hex(g.pick([32, 40, 64]))]),
    names: ["client_secret", "API_KEY", "signingKey", "session_secret", "webhook_secret", "encryption_key", "auth_token", "app_secret"],
  },
  "password-assignment": { value: (g) => g.password(), names: ["DB_PASSWORD", "password", "adminPassword", "smtp_pass", "db_pwd", "redisPassword"] },
};

/** A sample in a file of its own (credential files, multi-line forms). */
interface FileSample {
  file: string;
  content: string;
  line: number;
  secret: string;
  key?: string;
}

type FileSpec = (g: Gen, index: number) => FileSample;

function lineOf(content: string, secret: string): number {
  const at = content.indexOf(secret);
  if (at < 0) throw new Error(`corpus: value not in content: ${secret.slice(0, 12)}`);
  return content.slice(0, at).split("\n").length;
}

function sample(file: string, content: string, secret: string, key?: string): FileSample {
  return { file, content, line: lineOf(content, secret), secret, ...(key !== undefined && { key }) };
}

const legacyValue = (g: Gen) => g.mixed(`${CHARSETS.alnum}-_.!`, g.int(12, 28));

export const FILE_SPECS: Record<string, FileSpec> = {
  "gcp-service-account": (g, i) => {
    const id = g.hex(40);
    const key = g.pem("PRIVATE KEY").replace(/\n/g, "\\n");
    const content = `{\n  "type": "service_account",\n  "project_id": "acme-prod-${i}",\n  "private_key_id": "${id}",\n  "private_key": "${key}\\n",\n  "client_email": "deploy@acme-prod.iam.gserviceaccount.com",\n  "client_id": "${g.chars(digits, 21)}"\n}\n`;
    return sample(`gcp/${i}/service-account.json`, content, id, "private_key_id");
  },
  "azure-storage-account-key": (g, i) => {
    const value = `${g.chars(base64, 86)}==`;
    const content = `{\n  "ConnectionStrings": {\n    "Storage": "DefaultEndpointsProtocol=https;AccountName=acmestore${i};AccountKey=${value};EndpointSuffix=core.windows.net"\n  }\n}\n`;
    return sample(`azure/${i}/appsettings.json`, content, value);
  },
  "azure-shared-access-key": (g, i) => {
    const value = `${g.chars(base64, 43)}=`;
    const content = `SERVICEBUS=Endpoint=sb://acme-${i}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${value}\n`;
    return sample(`azure/${i}/servicebus.properties`, content, value);
  },
  "azure-sas-token": (g, i) => {
    const value = `${g.chars(alnum, 40)}%2B${g.chars(alnum, 6)}%3D`;
    const content = `blob_url = "https://acme${i}.blob.core.windows.net/backups?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&spr=https&sig=${value}"\n`;
    return sample(`azure/${i}/sas.py`, content, value);
  },
  "docker-registry-auth": (g, i) => {
    const value = Buffer.from(`deploy:${g.password()}`).toString("base64");
    const content = `{\n  "auths": {\n    "registry.acme.io": {\n      "auth": "${value}"\n    }\n  }\n}\n`;
    return sample(`home/${i}/.docker/config.json`, content, value, "auth");
  },
  "private-key": (g, i) => {
    const label = g.pick(["RSA PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "PRIVATE KEY", "PGP PRIVATE KEY BLOCK", "ENCRYPTED PRIVATE KEY"]);
    const value = g.pem(label);
    return sample(`keys/${i}/id_${label.split(" ")[0]?.toLowerCase()}`, `${value}\n`, value);
  },
  "putty-private-key": (g, i) => {
    const lines = Array.from({ length: 14 }, () => g.chars(base64, 64)).join("\n");
    const value = `PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nComment: deploy@acme\nPublic-Lines: 2\n${g.chars(base64, 64)}\n${g.chars(base64, 40)}\nPrivate-Lines: 14\n${lines}\nPrivate-MAC: ${g.hex(64)}`;
    return sample(`keys/${i}/deploy.ppk`, `${value}\n`, value);
  },
  "ssm-put-parameter-script": (g, i) => {
    const name = `/acme/prod/app${i}/db_password`;
    const value = legacyValue(g);
    const call = g.pick([
      `put_ssm_parameter('${name}', '${value}', 'SecureString')`,
      `put_ssm_parameter("${name}", "${value}")`,
      `put_ssm_parameter(\n    "${name}",\n    "${value}",\n    "SecureString",\n)`,
    ]);
    const content = `#!/usr/bin/env python3\nimport boto3\n\nfrom vault import put_ssm_parameter\n\n${call}\nprint("done")\n`;
    return sample(`vault/ssm-app${i}.py`, content, value, name);
  },
  "ssm-put-parameter": (g, i) => {
    const name = `/acme/prod/svc${i}/api_key`;
    const value = legacyValue(g);
    const content = g.pick([
      `import boto3\n\nssm = boto3.client("ssm")\nssm.put_parameter(\n    Name="${name}",\n    Value="${value}",\n    Type="SecureString",\n    Overwrite=True,\n)\n`,
      `import boto3\nboto3.client('ssm').put_parameter(Type='SecureString', Value='${value}', Name='${name}')\n`,
      `import { PutParameterCommand } from "@aws-sdk/client-ssm";\n\nawait client.send(\n  new PutParameterCommand({\n    Name: "${name}",\n    Value: "${value}",\n    Type: "SecureString",\n  }),\n);\n`,
    ]);
    return sample(`vault/put-${i}.${content.includes("import {") ? "ts" : "py"}`, content, value, name);
  },
  "ssm-put-parameter-cli": (g, i) => {
    const name = `/acme/dev/app${i}/token`;
    const value = legacyValue(g);
    const content = `#!/bin/sh\nset -e\naws ssm put-parameter --name ${name} --value '${value}' --type SecureString --overwrite\n`;
    return sample(`vault/put-${i}.sh`, content, value, name);
  },
  "secretsmanager-secret-string": (g, i) => {
    const name = `acme/prod/app${i}`;
    const value = legacyValue(g);
    const content = `import boto3\n\nsm = boto3.client("secretsmanager")\nsm.create_secret(\n    Name="${name}",\n    SecretString="${value}",\n)\n`;
    return sample(`vault/sm-${i}.py`, content, value, name);
  },
  "terraform-secret-string": (g, i) => {
    const value = legacyValue(g);
    const content = `resource "aws_secretsmanager_secret" "app${i}" {\n  name = "acme/app${i}"\n}\n\nresource "aws_secretsmanager_secret_version" "app${i}" {\n  secret_id     = aws_secretsmanager_secret.app${i}.id\n  secret_string = "${value}"\n}\n`;
    return sample(`terraform/${i}/secrets.tf`, content, value, `app${i}`);
  },
  "terraform-ssm-parameter": (g, i) => {
    const name = `/acme/prod/app${i}/api_token`;
    const value = legacyValue(g);
    const content = `resource "aws_ssm_parameter" "token${i}" {\n  name  = "${name}"\n  type  = "SecureString"\n  tags = {\n    team = "payments"\n  }\n  value = "${value}"\n}\n`;
    return sample(`terraform/${i}/params.tf`, content, value, name);
  },
  "npmrc-auth": (g, i) => {
    const value = Buffer.from(`ci:${g.password()}`).toString("base64");
    return sample(`npm/${i}/.npmrc`, `registry=https://npm.acme.io/\n//npm.acme.io/:_auth=${value}\nalways-auth=true\n`, value, "_auth");
  },
  "netrc-password": (g, i) => {
    const value = g.password();
    return sample(`home/${i}/.netrc`, `machine api.acme.io\n  login deploy\n  password ${value}\n`, value, "password");
  },
  "pgpass-password": (g, i) => {
    const value = g.password().replace(/:/g, "");
    return sample(`home/${i}/.pgpass`, `# host:port:db:user:password\ndb.acme.internal:5432:app:app_user:${value}\n`, value);
  },
  "git-credentials": (g, i) => {
    const value = g.mixed(alnum, 24);
    return sample(`home/${i}/.git-credentials`, `https://deploy:${value}@git.acme.io\n`, value);
  },
  "htpasswd-hash": (g, i) => {
    const value = `$apr1$${g.chars(alnum, 8)}$${g.chars(alnum + "./", 22)}`;
    return sample(`web/${i}/.htpasswd`, `admin:${value}\n`, value, "admin");
  },
  "shadow-hash": (g, i) => {
    const value = `$6$${g.chars(alnum, 16)}$${g.chars(alnum + "./", 86)}`;
    return sample(`etc/${i}/shadow`, `root:${value}:19500:0:99999:7:::\ndaemon:*:19500:0:99999:7:::\n`, value, "root");
  },
  "s3cfg-secret": (g, i) => {
    const value = g.mixed(base64, 40);
    return sample(`home/${i}/.s3cfg`, `[default]\naccess_key = AKIA${g.chars(upper, 16)}\nsecret_key = ${value}\nhost_base = s3.amazonaws.com\n`, value, "secret_key");
  },
  "wordpress-config": (g, i) => {
    const value = g.mixed(`${alnum}!#&*-_=+.,;:|~`, 64);
    const content = `<?php\ndefine( 'DB_NAME', 'wordpress' );\ndefine( 'DB_USER', 'wp' );\ndefine( 'AUTH_KEY', '${value}' );\n`;
    return sample(`site${i}/wp-config.php`, content, value, "AUTH_KEY");
  },
  "rails-master-key": (g, i) => {
    const value = g.hex(32);
    return sample(`rails${i}/config/master.key`, `${value}\n`, value);
  },
  "rails-secret-key-base": (g, i) => {
    const value = g.hex(128);
    return sample(`rails${i}/config/secrets.yml`, `production:\n  secret_key_base: ${value}\n`, value, "secret_key_base");
  },
  "django-secret-key": (g, i) => {
    const value = `django-insecure-${g.mixed(`${alnum}!@#^&*-_=+`, 50)}`;
    return sample(`django${i}/settings.py`, `DEBUG = False\nSECRET_KEY = '${value}'\nALLOWED_HOSTS = ["*"]\n`, value, "SECRET_KEY");
  },
  "sftp-config-password": (g, i) => {
    const value = g.password();
    const content = `{\n  "type": "sftp",\n  "host": "deploy.acme.io",\n  "user": "deploy",\n  "password": "${value}",\n  "remote_path": "/var/www/"\n}\n`;
    return sample(`editor${i}/sftp-config.json`, content, value, "password");
  },
  "env-file-secret": (g, i) => {
    const value = g.mixed(alnum, 32);
    return sample(`services/app${i}/.env`, `NODE_ENV=production\nPORT=8080\nSTRIPE_PROD=${value}\n`, value, "STRIPE_PROD");
  },
  "uri-password": (g, i) => {
    const value = g.mixed(`${alnum}-_.!~`, g.int(10, 20));
    const scheme = g.pick(["postgres", "postgresql", "mysql", "mongodb+srv", "redis", "amqps", "https"]);
    return sample(`config/${i}/database.yml`, `production:\n  url: ${scheme}://app_user:${value}@db${i}.acme.internal:5432/app\n`, value);
  },
  "connection-string-password": (g, i) => {
    const value = g.mixed(`${alnum}!#-_.`, g.int(10, 18));
    const content = g.pick([
      `<connectionStrings>\n  <add name="Db" connectionString="Server=tcp:db${i}.acme.io,1433;Database=app;User Id=sa;Password=${value};" />\n</connectionStrings>\n`,
      `spring.datasource.url=jdbc:mysql://db${i}.acme.io:3306/app?user=app&password=${value}&useSSL=true\n`,
    ]);
    return sample(`config/${i}/${content.startsWith("<") ? "web.config" : "application.properties"}`, content, value);
  },
};

/** Lines of ordinary code around the secrets, so files look like source. */
function filler(g: Gen): string {
  return g.pick([
    "import os",
    "from typing import Optional",
    "def handler(event, context):",
    "    return {'statusCode': 200}",
    "// TODO: move to config",
    "const timeout = 30_000;",
    "logger.info('starting')",
    "if (!user) throw new Error('no user');",
    "export default app;",
    "",
  ]);
}

interface Context {
  ext: string;
  line: (name: string, value: string) => string;
  /** Contexts where an unquoted value is natural (env, YAML). */
  bare?: boolean;
}

const CONTEXTS: Context[] = [
  { ext: "py", line: (n, v) => `${n} = "${v}"` },
  { ext: "js", line: (n, v) => `const ${n.replace(/[^A-Za-z0-9_]/g, "_")} = '${v}';` },
  { ext: "yaml", line: (n, v) => `  ${n}: ${v}`, bare: true },
  { ext: "env", line: (n, v) => `${n.toUpperCase()}=${v}`, bare: true },
  { ext: "json", line: (n, v) => `  "${n}": "${v}",` },
  { ext: "go", line: (n, v) => `\t${n.replace(/[^A-Za-z0-9_]/g, "")} := "${v}"` },
  { ext: "rb", line: (n, v) => `  config.${n.toLowerCase()} = "${v}"` },
  { ext: "tf", line: (n, v) => `  ${n.toLowerCase()} = "${v}"` },
];

const NEUTRAL_NAMES = ["client", "value", "conf", "upstream", "API_TOKEN", "apiKey", "credentials", "header"];

/** Writes the corpus under `root`: `perType` samples of every rule, and the look-alike files. */
export async function generateCorpus(root: string, options: { seed?: number; perType?: number; lookalikeLines?: number } = {}): Promise<Corpus> {
  const g = new Gen(seeded(options.seed ?? 20261124));
  const perType = options.perType ?? 20;
  const secrets: LabelledSecret[] = [];
  const files = new Map<string, string>();

  for (const [ruleId, spec] of Object.entries(TOKEN_SPECS)) {
    for (let i = 0; i < perType; i += 1) {
      const context = CONTEXTS[i % CONTEXTS.length] as Context;
      const value = spec.value(g);
      const name = spec.names ? g.pick(spec.names) : g.pick(NEUTRAL_NAMES);
      const line = context.line(name, value);
      const before = Array.from({ length: g.int(1, 6) }, () => filler(g));
      const after = Array.from({ length: g.int(1, 4) }, () => filler(g));
      const base = context.ext === "env" ? `.env.${ruleId}-${i}` : `${ruleId}-${i}.${context.ext}`;
      const file = `src/${ruleId}/${base}`;
      const content = [...before, line, ...after].join("\n") + "\n";
      files.set(file, content);
      const expectedKey = context.ext === "env" ? name.toUpperCase() : undefined;
      secrets.push({ ruleId, file, line: before.length + 1, secret: value, ...(expectedKey && { key: expectedKey }) });
    }
  }
  for (const [ruleId, spec] of Object.entries(FILE_SPECS)) {
    for (let i = 0; i < perType; i += 1) {
      const made = spec(g, i);
      files.set(made.file, made.content);
      secrets.push({ ruleId, file: made.file, line: made.line, secret: made.secret, ...(made.key !== undefined && { key: made.key }) });
    }
  }

  const lookalikes = lookalikeFiles(g, options.lookalikeLines ?? 60_000);
  for (const [file, content] of lookalikes) files.set(file, content);

  for (const [file, content] of files) {
    const full = path.join(root, file);
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, content);
  }
  const lookalikeLines = [...lookalikes.values()].reduce((sum, content) => sum + content.split("\n").length - 1, 0);
  return { root, secrets, lookalikeFiles: [...lookalikes.keys()], lookalikeLines };
}

/** Things that look like secrets and are not. */
function lookalikeFiles(g: Gen, lines: number): Map<string, string> {
  const makers: (() => string)[] = [
    () => `    "integrity": "sha512-${g.chars(base64, 86)}==",`,
    () => `    "resolved": "https://registry.npmjs.org/${g.pick(["lodash", "react", "@types/node", "zod"])}/-/pkg-${g.int(1, 20)}.${g.int(0, 9)}.${g.int(0, 9)}.tgz",`,
    () => `  integrity sha1-${g.chars(base64, 27)}=`,
    () => `  resolved "https://registry.yarnpkg.com/pkg/-/pkg-1.${g.int(0, 9)}.0.tgz#${g.hex(40)}"`,
    () => `github.com/${g.pick(["aws/aws-sdk-go-v2", "spf13/cobra", "stretchr/testify"])} v1.${g.int(0, 40)}.${g.int(0, 9)} h1:${g.chars(base64, 43)}=`,
    () => `{"id": "${g.uuid()}", "requestId": "${g.uuid()}", "tenant": "${g.uuid()}"}`,
    () => `user_id = "${g.uuid()}"`,
    () => `commit = "${g.hex(40)}"`,
    () => `    sha: ${g.hex(40)}`,
    () => `  image: registry.acme.io/api@sha256:${g.hex(64)}`,
    () => `hash = "sha256:${g.hex(64)}"`,
    () => `  content-hash = "${g.hex(64)}"`,
    () => `password = "changeme"`,
    () => `DB_PASSWORD=\${DB_PASSWORD}`,
    () => `  password: "{{ vault_db_password }}"`,
    () => `password = os.environ["DB_PASSWORD"]`,
    () => `api_key = "your-api-key-here"`,
    () => `API_KEY=<your api key>`,
    () => `token: \${{ secrets.GITHUB_TOKEN }}`,
    () => `secret = "xxxxxxxxxxxxxxxxxxxxxxxx"`,
    () => `  password: ********`,
    () => `aws_access_key_id = AKIAIOSFODNN7EXAMPLE`,
    () => `aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`,
    () => `const fakeToken = "ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX";`,
    () => `STRIPE_KEY = "sk_test_xxxxxxxxxxxxxxxxxxxxxxxx"`,
    () => `  it("rejects a short password", () => expect(validate("abc")).toBe(false));`,
    () => `    password_hint: "Must be at least 12 characters"`,
    () => `  password_reset_path: "/users/password/reset"`,
    () => `PASSWORD_REGEX = "^(?=.*[A-Z])(?=.*\\\\d).{12,}$"`,
    () => `if password != confirm_password: raise ValueError("mismatch")`,
    () => `passwd: files systemd`,
    () => `  tokenizer: "bert-base-uncased-v2"`,
    () => `secret_name = "prod/db/password"`,
    () => `token_url = "https://oauth2.googleapis.com/token"`,
    () => `api_key_header = "X-Api-Key"`,
    () => `cache_key = "user:${g.int(1, 99999)}:profile"`,
    () => `const keyCount = Object.keys(map).length;`,
    () => `  color: #${g.hex(6)};`,
    () => `  background: url("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA${g.chars(base64, g.int(200, 600))}=");`,
    () => `<img src="data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ${g.chars(base64, g.int(200, 600))}" />`,
    () => `  "version": "${g.int(0, 9)}.${g.int(0, 30)}.${g.int(0, 99)}",`,
    () => `session_timeout = ${g.int(60, 86400)}`,
    () => `const publicKey = "pk_live_${g.chars(alnum, 24)}"; // publishable, safe in browsers`,
    () => `  "key": "${g.hex(32)}",`,
    () => `    secretKeyRef:`,
    () => `      name: app-secrets-${g.int(1, 9)}`,
    () => `https://docs.acme.io/guide/${g.int(1, 99)}#section-${g.hex(8)}`,
    () => `The password must be rotated every ${g.int(30, 90)} days.`,
    () => `def get_password(user): return vault.read(f"secret/{user}")`,
    () => `const token = await getToken({ audience: "api://default" });`,
    () => `  user: postgres://app@db.internal:5432/app`,
    () => `jdbc:postgresql://db.internal:5432/app?user=app&password=\${DB_PASSWORD}`,
    () => `git_sha: ${g.hex(7)}`,
    () => `<rect x="${g.int(0, 500)}" y="${g.int(0, 500)}" width="${g.int(1, 50)}" fill="#${g.hex(6)}"/>`,
    () => `  "model": "gpt-${g.int(3, 5)}-turbo-${g.int(1000, 9999)}",`,
  ];
  const out = new Map<string, string>();
  const names = ["package-lock.json", "yarn.lock", "go.sum", "fixtures.test.ts", "settings.py", "values.yaml", "styles.css", "index.html", "README.md", "docker-compose.yml", ".env.example"];
  const perFile = 500;
  for (let index = 0; index * perFile < lines; index += 1) {
    const body = Array.from({ length: Math.min(perFile, lines - index * perFile) }, () => (g.pick(makers) as () => string)());
    out.set(`lookalike/${index}/${names[index % names.length]}`, `${body.join("\n")}\n`);
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = path.resolve(process.argv[2] ?? "scan-corpus");
  const corpus = await generateCorpus(root);
  console.log(`${root}: ${corpus.secrets.length} secrets of ${new Set(corpus.secrets.map((s) => s.ruleId)).size} types, ${corpus.lookalikeLines} look-alike lines`);
}
