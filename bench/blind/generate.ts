/**
 * A seeded, independently written labelled corpus for the scanner: realistic files of many ecosystems with
 * planted secrets (labelled by file, line, family and the exact text) and look-alikes that are not secrets.
 * Written from public format knowledge only, without reading the scanner's rules, so it measures what a
 * stranger's corpus would. Labels live next to the tree, never inside it.
 */
import { createPrivateKey, createPublicKey } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seeded } from "../../scripts/local-aws/random.ts";

export interface Positive {
  file: string;
  line: number;
  endLine: number;
  column: number;
  family: string;
  kind: string;
  secret: string;
}

export interface Negative {
  file: string;
  line: number;
  kind: string;
}

export interface Corpus {
  seed: number;
  files: Map<string, string>;
  positives: Positive[];
  negatives: Negative[];
  fileFamily: Map<string, string>;
}

type Rng = () => number;

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = LOWER.toUpperCase();
const DIGITS = "0123456789";
const ALNUM = LOWER + UPPER + DIGITS;
const HEX = "0123456789abcdef";
const B64 = ALNUM + "+/";
const B64URL = ALNUM + "-_";

class Random {
  constructor(private readonly next: Rng) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** A string from the charset that has at least one digit and one letter when the charset allows, as real tokens do. */
  str(charset: string, length: number): string {
    for (;;) {
      let out = "";
      for (let i = 0; i < length; i++) out += charset[Math.floor(this.next() * charset.length)];
      const hasDigit = /\d/.test(out) || !/\d/.test(charset);
      const hasLetter = /[a-z]/i.test(out) || !/[a-z]/i.test(charset);
      const noRun = !/(.)\1{3}/.test(out);
      if ((hasDigit && hasLetter && noRun) || length < 6) return out;
    }
  }
  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(this.next() * 256);
    return out;
  }
  b64(nBytes: number): string {
    return this.bytes(nBytes).toString("base64");
  }
  uuid(): string {
    const h = this.str(HEX, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
  digits(n: number): string {
    return String(this.int(1, 9)) + this.str(DIGITS, n - 1);
  }
}

interface Line {
  text: string;
  positive?: { secret: string; family: string; kind: string; endOffset?: number };
  negative?: string;
}

/** One file under construction: lines with optional labels attached. */
class FileBuilder {
  readonly lines: Line[] = [];
  add(text: string): this {
    for (const part of text.split("\n")) this.lines.push({ text: part });
    return this;
  }
  secret(text: string, secret: string, family: string, kind: string): this {
    this.lines.push({ text, positive: { secret, family, kind } });
    return this;
  }
  /** A multi-line secret: the label spans from the first to the last line of the block. */
  block(text: string, secret: string, family: string, kind: string): this {
    const parts = text.split("\n");
    this.lines.push({ text: parts[0] ?? "", positive: { secret, family, kind, endOffset: parts.length - 1 } });
    for (const part of parts.slice(1)) this.lines.push({ text: part });
    return this;
  }
  negative(text: string, kind: string): this {
    this.lines.push({ text, negative: kind });
    return this;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Carriers: how a key/value assignment is written in each language or config format.

type Lang =
  | "env"
  | "sh"
  | "py"
  | "js"
  | "ts"
  | "go"
  | "java"
  | "cs"
  | "rb"
  | "php"
  | "yaml"
  | "json"
  | "xml"
  | "ini"
  | "properties"
  | "hcl"
  | "toml"
  | "dockerfile"
  | "gha"
  | "k8s-env"
  | "ipynb";

const LANG_FILES: Record<Lang, readonly string[]> = {
  env: [".env", ".env.production", "config/.env.staging", "deploy/prod.env"],
  sh: ["scripts/deploy.sh", "bin/bootstrap.sh", "ops/run-migrations.sh", ".envrc"],
  py: ["app/settings.py", "src/service/config.py", "jobs/sync_orders.py", "lambda/handler.py"],
  js: ["src/config.js", "server/index.js", "lib/client.js", "config/default.js"],
  ts: ["src/config.ts", "src/integrations/client.ts", "apps/api/src/env.ts"],
  go: ["internal/config/config.go", "cmd/worker/main.go", "pkg/client/client.go"],
  java: ["src/main/java/com/acme/billing/Config.java", "src/main/java/com/acme/api/ClientFactory.java"],
  cs: ["src/Acme.Api/Settings.cs", "Acme.Worker/Program.cs"],
  rb: ["config/initializers/services.rb", "lib/tasks/sync.rb", "app/services/payment_client.rb"],
  php: ["config/services.php", "src/Client/ApiClient.php", "includes/settings.php"],
  yaml: ["config/application.yml", "values-prod.yaml", "config/settings.yaml", "docker-compose.yml"],
  json: ["config/production.json", "appsettings.json", "secrets.json", "config/local.json"],
  xml: ["Web.config", "app.config", "src/main/resources/config.xml"],
  ini: ["config/app.ini", "setup.cfg", "conf/service.ini"],
  properties: ["src/main/resources/application.properties", "gradle.properties", "conf/app.properties"],
  hcl: ["infra/main.tf", "terraform/prod.auto.tfvars", "modules/app/variables.tf"],
  toml: ["config/app.toml", "settings.toml", ".streamlit/secrets.toml"],
  dockerfile: ["Dockerfile", "docker/api.Dockerfile"],
  gha: [".github/workflows/deploy.yml", ".gitlab-ci.yml", ".circleci/config.yml"],
  "k8s-env": ["k8s/deployment.yaml", "deploy/chart/templates/deployment.yaml"],
  ipynb: ["notebooks/exploration.ipynb", "analysis/Report.ipynb"],
};

const ALL_LANGS = Object.keys(LANG_FILES) as Lang[];

type KeyStyle = "upper" | "snake" | "camel" | "pascal" | "kebab" | "dotted";

function styleKey(words: readonly string[], style: KeyStyle): string {
  const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  switch (style) {
    case "upper":
      return words.join("_").toUpperCase();
    case "snake":
      return words.join("_");
    case "camel":
      return words.map((w, i) => (i === 0 ? w : cap(w))).join("");
    case "pascal":
      return words.map(cap).join("");
    case "kebab":
      return words.join("-");
    case "dotted":
      return words.join(".");
  }
}

function keyStyleFor(lang: Lang, r: Random): KeyStyle {
  switch (lang) {
    case "env":
    case "sh":
    case "dockerfile":
    case "gha":
    case "k8s-env":
      return "upper";
    case "py":
    case "rb":
      return r.pick(["snake", "upper"] as const);
    case "js":
    case "ts":
    case "java":
    case "go":
      return r.pick(["camel", "upper"] as const);
    case "cs":
    case "xml":
      return r.pick(["pascal", "camel"] as const);
    case "php":
      return r.pick(["snake", "upper"] as const);
    case "yaml":
    case "json":
    case "toml":
    case "hcl":
    case "ini":
    case "ipynb":
      return r.pick(["snake", "camel", "kebab"] as const);
    case "properties":
      return r.pick(["dotted", "camel"] as const);
  }
}

interface Item {
  words: readonly string[];
  value: string;
  positive?: { family: string; kind: string; secret?: string };
  negative?: string;
  /** Written without quotes even where the language would quote (references, expressions). */
  bare?: boolean;
}

function q(r: Random, value: string, quotes: readonly string[] = ['"', "'"]): string {
  const c = r.pick(quotes);
  return `${c}${value}${c}`;
}

/** Renders items as a whole file in the language, labelling each item's line. */
function render(lang: Lang, items: readonly Item[], r: Random): FileBuilder {
  const f = new FileBuilder();
  const style = keyStyleFor(lang, r);
  const put = (text: string, item: Item) => {
    if (item.positive) f.secret(text, item.positive.secret ?? item.value, item.positive.family, item.positive.kind);
    else if (item.negative) f.negative(text, item.negative);
    else f.add(text);
  };
  const key = (item: Item) => styleKey(item.words, style);
  switch (lang) {
    case "env":
      f.add("# generated by ops, do not edit by hand");
      for (const item of items) {
        const v = item.bare ? item.value : r.pick([item.value, `"${item.value}"`, item.value]);
        put(`${key(item)}=${v}`, item);
      }
      break;
    case "sh":
      f.add("#!/usr/bin/env bash\nset -euo pipefail\n");
      for (const item of items) {
        const v = item.bare ? item.value : q(r, item.value, ['"', "'", ""]);
        put(`${r.pick(["export ", "", "export "])}${key(item)}=${v}`, item);
      }
      f.add('\nexec "$@"');
      break;
    case "py":
      f.add("import os\nimport logging\n\nlogger = logging.getLogger(__name__)\n");
      for (const item of items) put(`${key(item)} = ${item.bare ? item.value : q(r, item.value)}`, item);
      f.add("\nDEBUG = False");
      break;
    case "js":
      if (r.chance(0.5)) {
        f.add("'use strict';\n\nmodule.exports = {");
        for (const item of items) put(`  ${styleKey(item.words, "camel")}: ${item.bare ? item.value : q(r, item.value, ["'", '"', "`"])},`, item);
        f.add("};");
      } else {
        f.add("const path = require('path');\n");
        for (const item of items) put(`const ${key(item)} = ${item.bare ? item.value : q(r, item.value, ["'", '"'])};`, item);
        f.add("\nmodule.exports = { path };");
      }
      break;
    case "ts":
      f.add('import { z } from "zod";\n');
      for (const item of items) put(`export const ${key(item)}${r.pick([": string", ""])} = ${item.bare ? item.value : q(r, item.value, ['"', "'"])};`, item);
      break;
    case "go":
      f.add('package config\n\nimport "os"\n\nvar _ = os.Getenv\n\nconst (');
      for (const item of items) put(`\t${key(item)} = ${item.bare ? item.value : q(r, item.value, ['"', "`"])}`, item);
      f.add(")");
      break;
    case "java":
      f.add("package com.acme.config;\n\npublic final class Settings {");
      for (const item of items) put(`    public static final String ${styleKey(item.words, "upper")} = ${item.bare ? item.value : `"${item.value}"`};`, item);
      f.add("\n    private Settings() {}\n}");
      break;
    case "cs":
      f.add("namespace Acme.Api\n{\n    public static class Settings\n    {");
      for (const item of items) put(`        public const string ${styleKey(item.words, "pascal")} = ${item.bare ? item.value : `"${item.value}"`};`, item);
      f.add("    }\n}");
      break;
    case "rb":
      f.add("# frozen_string_literal: true\n\nRails.application.configure do");
      for (const item of items) put(`  config.x.${styleKey(item.words, "snake")} = ${item.bare ? item.value : q(r, item.value)}`, item);
      f.add("end");
      break;
    case "php":
      if (r.chance(0.5)) {
        f.add("<?php\n\nreturn [");
        for (const item of items) put(`    '${styleKey(item.words, "snake")}' => ${item.bare ? item.value : q(r, item.value, ["'", '"'])},`, item);
        f.add("];");
      } else {
        f.add("<?php\n");
        for (const item of items) put(`$${styleKey(item.words, "snake")} = ${item.bare ? item.value : q(r, item.value, ["'", '"'])};`, item);
      }
      break;
    case "yaml":
      f.add(`${r.pick(["production", "app", "services", "default"])}:`);
      for (const item of items) put(`  ${key(item)}: ${item.bare ? item.value : r.pick([item.value, `"${item.value}"`, `'${item.value}'`])}`, item);
      break;
    case "json":
    case "ipynb":
      if (lang === "ipynb") {
        f.add('{\n "cells": [\n  {\n   "cell_type": "code",\n   "execution_count": 3,\n   "metadata": {},\n   "outputs": [],\n   "source": [');
        f.add('    "import requests\\n",');
        items.forEach((item, i) => {
          const v = item.bare ? item.value : `\\"${item.value}\\"`;
          put(`    "${styleKey(item.words, "snake")} = ${v}${i < items.length - 1 ? "\\n" : ""}"${i < items.length - 1 ? "," : ""}`, item);
        });
        f.add('   ]\n  }\n ],\n "metadata": {"kernelspec": {"name": "python3"}},\n "nbformat": 4,\n "nbformat_minor": 5\n}');
      } else {
        f.add("{");
        items.forEach((item, i) => put(`  "${key(item)}": ${item.bare ? item.value : `"${item.value}"`}${i < items.length - 1 ? "," : ""}`, item));
        f.add("}");
      }
      break;
    case "xml":
      f.add('<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <appSettings>');
      for (const item of items) {
        const k = styleKey(item.words, "pascal");
        put(r.chance(0.6) ? `    <add key="${k}" value="${item.value}" />` : `    <${k}>${item.value}</${k}>`, item);
      }
      f.add("  </appSettings>\n</configuration>");
      break;
    case "ini":
      f.add(`[${r.pick(["default", "service", "api", "main"])}]`);
      for (const item of items) put(`${key(item)} ${r.pick(["=", " = ", ":"]).trim()} ${item.value}`, item);
      break;
    case "properties":
      f.add("# Spring configuration");
      for (const item of items) put(`${r.pick(["app.", "acme.", ""])}${key(item)}${r.pick(["=", " = ", ": "])}${item.value}`, item);
      break;
    case "hcl":
      f.add('locals {');
      for (const item of items) put(`  ${styleKey(item.words, "snake")} = ${item.bare ? item.value : `"${item.value}"`}`, item);
      f.add("}");
      break;
    case "toml":
      f.add(`[${r.pick(["app", "server", "integrations"])}]`);
      for (const item of items) put(`${styleKey(item.words, "snake")} = ${item.bare ? item.value : `"${item.value}"`}`, item);
      break;
    case "dockerfile":
      f.add("FROM node:20-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev");
      for (const item of items) put(`${r.pick(["ENV", "ARG", "ENV"])} ${styleKey(item.words, "upper")}=${item.value}`, item);
      f.add('COPY . .\nCMD ["node", "server.js"]');
      break;
    case "gha":
      f.add("name: deploy\non:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:");
      for (const item of items) put(`      ${styleKey(item.words, "upper")}: ${item.bare ? item.value : r.pick([item.value, `"${item.value}"`])}`, item);
      f.add("    steps:\n      - uses: actions/checkout@v4\n      - run: make deploy");
      break;
    case "k8s-env":
      f.add("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/acme/api:1.8.2\n          env:");
      for (const item of items) {
        f.add(`            - name: ${styleKey(item.words, "upper")}`);
        put(`              value: ${item.bare ? item.value : `"${item.value}"`}`, item);
      }
      break;
  }
  return f;
}

// ---------------------------------------------------------------------------------------------------------
// Benign configuration mixed into every file, and the negatives.

function benign(r: Random): Item {
  return r.pick<() => Item>([
    () => ({ words: ["log", "level"], value: r.pick(["info", "debug", "warn"]) }),
    () => ({ words: ["port"], value: String(r.pick([8080, 3000, 5432, 443])) }),
    () => ({ words: ["region"], value: r.pick(["eu-west-1", "us-east-1", "ap-southeast-2"]) }),
    () => ({ words: ["timeout", "seconds"], value: String(r.int(5, 120)) }),
    () => ({ words: ["service", "name"], value: r.pick(["billing-api", "orders-worker", "checkout"]) }),
    () => ({ words: ["enable", "cache"], value: r.pick(["true", "false"]) }),
    () => ({ words: ["max", "connections"], value: String(r.int(10, 500)) }),
    () => ({ words: ["bucket"], value: r.pick(["acme-assets-prod", "acme-logs", "uploads-staging"]) }),
    () => ({ words: ["api", "base", "url"], value: r.pick(["https://api.acme.io/v2", "https://internal.acme.local"]) }),
    () => ({ words: ["database", "host"], value: r.pick(["db.internal", "postgres.prod.svc.cluster.local"]) }),
    () => ({ words: ["username"], value: r.pick(["deploy", "svc_orders", "app"]) }),
    () => ({ words: ["retry", "count"], value: String(r.int(1, 9)) }),
  ])();
}

/** Secret-ish keys with values that are not secrets: references, placeholders, documentation keys, identifiers. */
function negativeItem(r: Random): Item {
  const secretKey = () => r.pick([["api", "key"], ["secret"], ["password"], ["token"], ["client", "secret"], ["auth", "token"], ["db", "password"], ["access", "key"], ["stripe", "secret", "key"], ["github", "token"]] as const);
  const env = () => styleKey(secretKey(), "upper");
  return r.pick<() => Item>([
    () => ({ words: secretKey(), value: r.pick(["changeme", "change-me", "CHANGE_ME", "password", "secret", "xxxxxxxx", "XXXXXXXXXXXXXXXX", "********", "REDACTED", "dummy", "placeholder", "todo", "none", "null", "test", "example"]), negative: "placeholder" }),
    () => ({ words: secretKey(), value: r.pick(["<your-token>", "<YOUR_API_KEY>", "your-api-key-here", "YOUR_SECRET_HERE", "insert-key-here", "<password>", "[REPLACE_ME]", "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx", "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "abcdefghijklmnopqrstuvwxyz", "1234567890abcdef", "0000000000000000", "somefakekey", "fake-secret-for-tests"]), negative: "placeholder" }),
    () => ({ words: secretKey(), value: r.pick([`\${${env()}}`, `$${env()}`, `\${{ secrets.${env()} }}`, `{{ .Values.${styleKey(secretKey(), "camel")} }}`, `%(${styleKey(secretKey(), "snake")})s`, `#{${env()}}`, `@${env()}@`]), negative: "reference" }),
    () => ({ words: secretKey(), value: r.pick([`os.environ["${env()}"]`, `os.getenv("${env()}")`, `process.env.${env()}`, `System.getenv("${env()}")`, `ENV.fetch("${env()}")`, `env("${env()}")`, `var.${styleKey(secretKey(), "snake")}`, `random_password.db.result`, `Environment.GetEnvironmentVariable("${env()}")`]), negative: "reference", bare: true }),
    () => ({ words: r.pick([["aws", "access", "key", "id"], ["aws", "secret", "access", "key"]] as const), value: r.pick(["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AKIAI44QH8DHBEXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"]), negative: "doc-example" }),
    () => ({ words: ["stripe", "key"], value: r.pick(["sk_test_4eC39HqLyjWDarjtT1zdp7dc", "pk_test_TYooMQauvdEDq54NiTphI7jx"]), negative: "doc-example" }),
    () => ({ words: ["storage", "connection", "string"], value: "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;", negative: "doc-example" }),
    () => ({ words: r.pick([["git", "commit"], ["revision"], ["build", "sha"], ["source", "version"]] as const), value: r.str(HEX, 40), negative: "hash-id" }),
    () => ({ words: r.pick([["request", "id"], ["tenant", "id"], ["client", "id"], ["trace", "id"], ["installation", "id"]] as const), value: r.uuid(), negative: "hash-id" }),
    () => ({ words: r.pick([["checksum"], ["sha256"], ["digest"], ["etag"]] as const), value: r.str(HEX, r.pick([32, 64])), negative: "hash-id" }),
    () => ({ words: r.pick([["secret", "name"], ["secret", "arn"], ["token", "url"], ["password", "file"], ["private", "key", "path"], ["api", "key", "header"], ["token", "type"], ["auth", "method"], ["secret", "ref"]] as const), value: r.pick(["prod/billing/db-password", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api-AbCdEf", "https://login.acme.io/oauth2/token", "/run/secrets/db_password", "/etc/ssl/private/server.key", "X-Api-Key", "Bearer", "oauth2", "client_credentials"]), negative: "secret-ish-name" }),
    () => ({ words: r.pick([["password", "min", "length"], ["token", "ttl"], ["secret", "rotation", "days"], ["max", "token", "age"]] as const), value: String(r.int(8, 86400)), negative: "secret-ish-name" }),
    () => ({ words: r.pick([["bypass", "proxy"], ["tests", "passed"], ["compass", "heading"], ["passport", "strategy"], ["passthrough", "mode"], ["bypass", "list"]] as const), value: r.pick(["localhost,127.0.0.1,.internal", "42", "northwest", "passport-local", "enabled", "jwt"]), negative: "words" }),
    () => ({ words: r.pick([["secret", "key"], ["token"], ["api", "key"]] as const), value: r.pick(["tokenStorageKey", "apiKeyHeaderName", "SESSION_SECRET", "accessTokenCookie", "user-session-token", "encryptionKeyId"]), negative: "identifier" }),
  ])();
}

// ---------------------------------------------------------------------------------------------------------
// Vendor tokens: public prefixes and shapes.

interface Vendor {
  family: string;
  kind: string;
  keys: readonly (readonly string[])[];
  make: (r: Random) => string;
}

const v = (family: string, kind: string, keys: readonly (readonly string[])[], make: (r: Random) => string): Vendor => ({ family, kind, keys, make });

const VENDORS: readonly Vendor[] = [
  v("vendor-scm", "github-pat", [["github", "token"], ["gh", "token"], ["token"]], (r) => `ghp_${r.str(ALNUM, 36)}`),
  v("vendor-scm", "github-oauth", [["github", "oauth", "token"]], (r) => `gho_${r.str(ALNUM, 36)}`),
  v("vendor-scm", "github-app", [["github", "app", "token"]], (r) => `${r.pick(["ghs", "ghu"])}_${r.str(ALNUM, 36)}`),
  v("vendor-scm", "github-refresh", [["github", "refresh", "token"]], (r) => `ghr_${r.str(ALNUM, 36)}`),
  v("vendor-scm", "github-fine-grained", [["github", "pat"], ["gh", "token"]], (r) => `github_pat_${r.str(ALNUM, 22)}_${r.str(ALNUM, 59)}`),
  v("vendor-scm", "gitlab-pat", [["gitlab", "token"], ["gl", "token"], ["private", "token"]], (r) => `glpat-${r.str(ALNUM + "_-", 20)}`),
  v("vendor-scm", "gitlab-deploy", [["gitlab", "deploy", "token"]], (r) => `gldt-${r.str(ALNUM + "_-", 20)}`),
  v("vendor-scm", "gitlab-runner", [["runner", "token"], ["ci", "runner", "token"]], (r) => `glrt-${r.str(ALNUM + "_-", 20)}`),
  v("vendor-scm", "gitlab-runner-registration", [["registration", "token"]], (r) => `GR1348941${r.str(ALNUM + "_-", 20)}`),
  v("vendor-scm", "gitlab-pipeline-trigger", [["trigger", "token"]], (r) => `glptt-${r.str(HEX, 40)}`),
  v("vendor-scm", "gitlab-feed", [["feed", "token"]], (r) => `glft-${r.str(ALNUM + "_-", 20)}`),
  v("vendor-scm", "gitlab-oauth-secret", [["gitlab", "app", "secret"]], (r) => `gloas-${r.str(HEX, 64)}`),
  v("vendor-scm", "gitlab-agent", [["agent", "token"]], (r) => `glagent-${r.str(ALNUM + "_-", 50)}`),
  v("vendor-scm", "bitbucket-app-password", [["bitbucket", "app", "password"]], (r) => `ATBB${r.str(ALNUM, 32)}${r.str(HEX.toUpperCase(), 8)}`),
  v("vendor-scm", "atlassian-api-token", [["jira", "api", "token"], ["confluence", "token"], ["atlassian", "token"]], (r) => `ATATT3xFfGF0${r.str(B64URL, 170)}=${r.str(HEX.toUpperCase(), 8)}`),
  v("vendor-chat", "slack-bot", [["slack", "bot", "token"], ["slack", "token"]], (r) => `xoxb-${r.digits(12)}-${r.digits(13)}-${r.str(ALNUM, 24)}`),
  v("vendor-chat", "slack-user", [["slack", "user", "token"]], (r) => `xoxp-${r.digits(12)}-${r.digits(12)}-${r.digits(13)}-${r.str(HEX, 32)}`),
  v("vendor-chat", "slack-app", [["slack", "app", "token"]], (r) => `xapp-1-A${r.str(UPPER + DIGITS, 10)}-${r.digits(13)}-${r.str(HEX, 64)}`),
  v("vendor-chat", "slack-config", [["slack", "config", "token"]], (r) => `xoxe.xoxp-1-${r.str(B64URL, 140)}`),
  v("vendor-chat", "slack-refresh", [["slack", "refresh", "token"]], (r) => `xoxe-1-${r.str(B64URL, 130)}`),
  v("vendor-chat", "slack-webhook", [["slack", "webhook", "url"], ["webhook", "url"]], (r) => `https://hooks.slack.com/services/T${r.str(UPPER + DIGITS, 8)}/B${r.str(UPPER + DIGITS, 10)}/${r.str(ALNUM, 24)}`),
  v("vendor-chat", "discord-bot", [["discord", "token"], ["bot", "token"]], (r) => `${r.pick(["M", "N", "O"])}${r.str(ALNUM, 25)}.${r.str(B64URL, 6)}.${r.str(B64URL, 38)}`),
  v("vendor-chat", "discord-webhook", [["discord", "webhook"]], (r) => `https://discord.com/api/webhooks/${r.digits(18)}/${r.str(B64URL, 68)}`),
  v("vendor-chat", "telegram-bot", [["telegram", "bot", "token"], ["tg", "token"], ["bot", "token"]], (r) => `${r.digits(10)}:AA${r.str(B64URL, 33)}`),
  v("vendor-chat", "twilio-api-key", [["twilio", "api", "key"]], (r) => `SK${r.str(HEX, 32)}`),
  v("vendor-chat", "teams-webhook", [["teams", "webhook", "url"]], (r) => `https://acme.webhook.office.com/webhookb2/${r.uuid()}@${r.uuid()}/IncomingWebhook/${r.str(HEX, 32)}/${r.uuid()}`),
  v("vendor-cloud", "google-api-key", [["google", "api", "key"], ["maps", "api", "key"], ["firebase", "api", "key"]], (r) => `AIza${r.str(B64URL, 35)}`),
  v("vendor-cloud", "google-oauth-secret", [["google", "client", "secret"]], (r) => `GOCSPX-${r.str(B64URL, 28)}`),
  v("vendor-cloud", "digitalocean-pat", [["digitalocean", "token"], ["do", "token"]], (r) => `dop_v1_${r.str(HEX, 64)}`),
  v("vendor-cloud", "digitalocean-oauth", [["digitalocean", "oauth", "token"]], (r) => `doo_v1_${r.str(HEX, 64)}`),
  v("vendor-cloud", "heroku-api-key", [["heroku", "api", "key"]], (r) => r.uuid()),
  v("vendor-cloud", "heroku-new", [["heroku", "api", "token"]], (r) => `HRKU-AA${r.str(B64URL, 58)}`),
  v("vendor-cloud", "alibaba-access-key", [["alibaba", "access", "key", "id"], ["aliyun", "access", "key"]], (r) => `LTAI${r.str(ALNUM, 20)}`),
  v("vendor-cloud", "azure-ad-client-secret", [["azure", "client", "secret"], ["aad", "client", "secret"]], (r) => `${r.str(ALNUM, 3)}8Q~${r.str(ALNUM + "~._-", 34)}`),
  v("vendor-cloud", "azure-devops-pat", [["azure", "devops", "pat"], ["ado", "token"]], (r) => r.str("abcdefghijklmnopqrstuvwxyz234567", 52)),
  v("vendor-cloud", "fly-token", [["fly", "api", "token"]], (r) => `FlyV1 fm2_${r.str(B64URL, 120)}`),
  v("vendor-cloud", "cloudflare-api-token", [["cloudflare", "api", "token"], ["cf", "api", "token"]], (r) => r.str(ALNUM + "_-", 40)),
  v("vendor-cloud", "linode-token", [["linode", "token"]], (r) => r.str(HEX, 64)),
  v("vendor-payments", "stripe-live-secret", [["stripe", "secret", "key"], ["stripe", "api", "key"]], (r) => `sk_live_${r.str(ALNUM, r.pick([24, 99]))}`),
  v("vendor-payments", "stripe-restricted", [["stripe", "restricted", "key"]], (r) => `rk_live_${r.str(ALNUM, r.pick([24, 99]))}`),
  v("vendor-payments", "stripe-webhook", [["stripe", "webhook", "secret"]], (r) => `whsec_${r.str(ALNUM, 32)}`),
  v("vendor-payments", "square-access", [["square", "access", "token"]], (r) => `EAAA${r.str(B64URL, 60)}`),
  v("vendor-payments", "square-oauth-secret", [["square", "application", "secret"]], (r) => `sq0csp-${r.str(B64URL, 43)}`),
  v("vendor-payments", "shopify-access", [["shopify", "access", "token"], ["shopify", "token"]], (r) => `shpat_${r.str(HEX, 32)}`),
  v("vendor-payments", "shopify-shared-secret", [["shopify", "shared", "secret"]], (r) => `shpss_${r.str(HEX, 32)}`),
  v("vendor-payments", "shopify-custom-app", [["shopify", "custom", "token"]], (r) => `${r.pick(["shpca", "shppa"])}_${r.str(HEX, 32)}`),
  v("vendor-payments", "plaid-access", [["plaid", "access", "token"]], (r) => `access-${r.pick(["production", "sandbox", "development"])}-${r.uuid()}`),
  v("vendor-payments", "plaid-secret", [["plaid", "secret"]], (r) => r.str(HEX, 30)),
  v("vendor-payments", "flutterwave-secret", [["flutterwave", "secret", "key"]], (r) => `FLWSECK-${r.str(HEX, 32)}-X`),
  v("vendor-payments", "shippo-live", [["shippo", "token"]], (r) => `shippo_live_${r.str(HEX, 40)}`),
  v("vendor-payments", "paypal-braintree", [["braintree", "access", "token"]], (r) => `access_token$production$${r.str(LOWER + DIGITS, 16)}$${r.str(HEX, 32)}`),
  v("vendor-payments", "adyen-api-key", [["adyen", "api", "key"]], (r) => `AQE${r.str(ALNUM, 3)}mfxK${r.str(B64, 120)}`),
  v("vendor-devtools", "npm-token", [["npm", "token"]], (r) => `npm_${r.str(ALNUM, 36)}`),
  v("vendor-devtools", "pypi-token", [["pypi", "token"], ["twine", "password"]], (r) => `pypi-AgEIcHlwaS5vcmc${r.str(B64URL, r.int(60, 140))}`),
  v("vendor-devtools", "dockerhub-pat", [["docker", "hub", "token"], ["dockerhub", "token"]], (r) => `dckr_pat_${r.str(B64URL, 27)}`),
  v("vendor-devtools", "jfrog-api-key", [["jfrog", "api", "key"], ["artifactory", "api", "key"]], (r) => `AKCp${r.str(ALNUM, 69)}`),
  v("vendor-devtools", "jfrog-reference", [["jfrog", "token"], ["artifactory", "token"]], (r) => `cmVmdGtuOjAxOjE3${r.str(ALNUM, 48)}`),
  v("vendor-devtools", "sonarqube-user", [["sonar", "token"], ["sonar", "login"]], (r) => `squ_${r.str(HEX, 40)}`),
  v("vendor-devtools", "sonarqube-project", [["sonar", "token"]], (r) => `${r.pick(["sqp", "sqa"])}_${r.str(HEX, 40)}`),
  v("vendor-devtools", "postman-api-key", [["postman", "api", "key"]], (r) => `PMAK-${r.str(HEX, 24)}-${r.str(HEX, 34)}`),
  v("vendor-devtools", "linear-api-key", [["linear", "api", "key"]], (r) => `lin_api_${r.str(ALNUM, 40)}`),
  v("vendor-devtools", "notion-token", [["notion", "token"], ["notion", "api", "key"]], (r) => r.chance(0.5) ? `secret_${r.str(ALNUM, 43)}` : `ntn_${r.digits(11)}${r.str(ALNUM, 35)}`),
  v("vendor-devtools", "databricks-token", [["databricks", "token"]], (r) => `dapi${r.str(HEX, 32)}`),
  v("vendor-devtools", "airtable-pat", [["airtable", "api", "key"]], (r) => `pat${r.str(ALNUM, 14)}.${r.str(HEX, 64)}`),
  v("vendor-devtools", "figma-pat", [["figma", "token"]], (r) => `figd_${r.str(B64URL, 40)}`),
  v("vendor-devtools", "buildkite-token", [["buildkite", "token"]], (r) => `bkua_${r.str(HEX, 40)}`),
  v("vendor-devtools", "contentful-pat", [["contentful", "management", "token"]], (r) => `CFPAT-${r.str(B64URL, 43)}`),
  v("vendor-devtools", "rubygems-key", [["rubygems", "api", "key"]], (r) => `rubygems_${r.str(HEX, 48)}`),
  v("vendor-devtools", "crates-io-token", [["cargo", "registry", "token"]], (r) => `cio${r.str(ALNUM, 32)}`),
  v("vendor-devtools", "asana-pat", [["asana", "token"]], (r) => `2/${r.digits(16)}/${r.digits(16)}:${r.str(HEX, 32)}`),
  v("vendor-devtools", "circleci-pat", [["circle", "token"], ["circleci", "token"]], (r) => `CCIPAT_${r.str(ALNUM, 22)}_${r.str(HEX, 40)}`),
  v("vendor-observability", "datadog-api-key", [["datadog", "api", "key"], ["dd", "api", "key"]], (r) => r.str(HEX, 32)),
  v("vendor-observability", "datadog-app-key", [["datadog", "app", "key"], ["dd", "app", "key"]], (r) => r.str(HEX, 40)),
  v("vendor-observability", "newrelic-user-key", [["new", "relic", "api", "key"], ["newrelic", "api", "key"]], (r) => `NRAK-${r.str(UPPER + DIGITS, 27)}`),
  v("vendor-observability", "newrelic-license", [["new", "relic", "license", "key"]], (r) => `${r.pick(["eu01xx", "us01xx"])}${r.str(HEX, 30)}NRAL`),
  v("vendor-observability", "newrelic-browser", [["newrelic", "browser", "key"]], (r) => `NRJS-${r.str(HEX, 19)}`),
  v("vendor-observability", "sentry-user-token", [["sentry", "auth", "token"]], (r) => `sntryu_${r.str(HEX, 64)}`),
  v("vendor-observability", "sentry-org-token", [["sentry", "token"]], (r) => `sntrys_eyJpYXQiOjE3${r.str(B64URL, 120)}_${r.str(B64URL, 43)}`),
  v("vendor-observability", "grafana-service-account", [["grafana", "token"], ["grafana", "api", "key"]], (r) => `glsa_${r.str(ALNUM, 32)}_${r.str(HEX, 8)}`),
  v("vendor-observability", "grafana-cloud", [["grafana", "cloud", "token"]], (r) => `glc_eyJvIjoi${r.str(B64URL, 110)}`),
  v("vendor-observability", "dynatrace-token", [["dynatrace", "api", "token"]], (r) => `dt0c01.${r.str(UPPER + DIGITS, 24)}.${r.str(UPPER + DIGITS, 64)}`),
  v("vendor-observability", "honeycomb-key", [["honeycomb", "api", "key"]], (r) => r.str(ALNUM, 22)),
  v("vendor-observability", "pagerduty-token", [["pagerduty", "token"]], (r) => `u+${r.str(B64URL, 18)}`),
  v("vendor-observability", "rollbar-token", [["rollbar", "access", "token"]], (r) => r.str(HEX, 32)),
  v("vendor-secrets-infra", "vault-service-token", [["vault", "token"]], (r) => `hvs.${r.str(B64URL, 90)}`),
  v("vendor-secrets-infra", "vault-batch-token", [["vault", "token"]], (r) => `hvb.${r.str(B64URL, 138)}`),
  v("vendor-secrets-infra", "terraform-cloud", [["tfe", "token"], ["terraform", "token"], ["atlas", "token"]], (r) => `${r.str(ALNUM, 14)}.atlasv1.${r.str(ALNUM, 67)}`),
  v("vendor-secrets-infra", "doppler-token", [["doppler", "token"]], (r) => `dp.${r.pick(["st", "pt", "sa", "ct"])}.${r.str(ALNUM, 43)}`),
  v("vendor-secrets-infra", "pulumi-token", [["pulumi", "access", "token"]], (r) => `pul-${r.str(HEX, 40)}`),
  v("vendor-secrets-infra", "planetscale-token", [["planetscale", "token"]], (r) => `pscale_tkn_${r.str(B64URL, 43)}`),
  v("vendor-secrets-infra", "planetscale-password", [["planetscale", "password"]], (r) => `pscale_pw_${r.str(B64URL, 43)}`),
  v("vendor-secrets-infra", "supabase-token", [["supabase", "access", "token"]], (r) => `sbp_${r.str(HEX, 40)}`),
  v("vendor-secrets-infra", "age-secret-key", [["age", "key"], ["sops", "age", "key"]], (r) => `AGE-SECRET-KEY-1${r.str("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)}`),
  v("vendor-secrets-infra", "tailscale-key", [["tailscale", "auth", "key"], ["ts", "authkey"]], (r) => `tskey-auth-${r.str(ALNUM, 12)}-${r.str(ALNUM, 33)}`),
  v("vendor-secrets-infra", "onepassword-service", [["op", "service", "account", "token"]], (r) => `ops_eyJzaWduSW5BZGRyZXNzIjoi${r.str(B64URL, 700)}`),
  v("vendor-secrets-infra", "infisical-token", [["infisical", "token"]], (r) => `st.${r.uuid()}.${r.str(HEX, 32)}.${r.str(HEX, 32)}`),
  v("vendor-ai", "openai-project", [["openai", "api", "key"]], (r) => `sk-proj-${r.str(B64URL, 74)}T3BlbkFJ${r.str(B64URL, 74)}`),
  v("vendor-ai", "openai-legacy", [["openai", "key"]], (r) => `sk-${r.str(ALNUM, 20)}T3BlbkFJ${r.str(ALNUM, 20)}`),
  v("vendor-ai", "openai-svcacct", [["openai", "api", "key"]], (r) => `sk-svcacct-${r.str(B64URL, 74)}T3BlbkFJ${r.str(B64URL, 74)}`),
  v("vendor-ai", "anthropic-key", [["anthropic", "api", "key"], ["claude", "api", "key"]], (r) => `sk-ant-api03-${r.str(B64URL, 93)}AA`),
  v("vendor-ai", "anthropic-admin", [["anthropic", "admin", "key"]], (r) => `sk-ant-admin01-${r.str(B64URL, 93)}AA`),
  v("vendor-ai", "huggingface-token", [["hf", "token"], ["huggingface", "token"]], (r) => `hf_${r.str(LOWER + UPPER, 34)}`),
  v("vendor-ai", "groq-key", [["groq", "api", "key"]], (r) => `gsk_${r.str(ALNUM, 52)}`),
  v("vendor-ai", "replicate-token", [["replicate", "api", "token"]], (r) => `r8_${r.str(ALNUM, 37)}`),
  v("vendor-ai", "perplexity-key", [["perplexity", "api", "key"]], (r) => `pplx-${r.str(ALNUM, 48)}`),
  v("vendor-ai", "cohere-key", [["cohere", "api", "key"]], (r) => r.str(ALNUM, 40)),
  v("vendor-ai", "pinecone-key", [["pinecone", "api", "key"]], (r) => `pcsk_${r.str(ALNUM, 6)}_${r.str(ALNUM, 60)}`),
  v("vendor-ai", "xai-key", [["xai", "api", "key"]], (r) => `xai-${r.str(ALNUM, 80)}`),
  v("vendor-messaging", "sendgrid-key", [["sendgrid", "api", "key"]], (r) => `SG.${r.str(B64URL, 22)}.${r.str(B64URL, 43)}`),
  v("vendor-messaging", "mailgun-key", [["mailgun", "api", "key"]], (r) => r.chance(0.5) ? `key-${r.str(HEX, 32)}` : `${r.str(HEX, 32)}-${r.str(HEX, 8)}-${r.str(HEX, 8)}`),
  v("vendor-messaging", "mailchimp-key", [["mailchimp", "api", "key"]], (r) => `${r.str(HEX, 32)}-us${r.int(1, 21)}`),
  v("vendor-messaging", "hubspot-pat", [["hubspot", "access", "token"], ["hubspot", "token"]], (r) => `pat-${r.pick(["na1", "eu1"])}-${r.uuid()}`),
  v("vendor-messaging", "okta-token", [["okta", "api", "token"], ["okta", "token"]], (r) => `00${r.str(B64URL, 40)}`),
  v("vendor-messaging", "twitter-bearer", [["twitter", "bearer", "token"]], (r) => `AAAAAAAAAAAAAAAAAAAAA${r.str(ALNUM, 30)}%3D${r.str(ALNUM, 55)}`),
  v("vendor-messaging", "twitter-secret", [["twitter", "api", "secret"], ["twitter", "consumer", "secret"]], (r) => r.str(ALNUM, 50)),
  v("vendor-messaging", "etsy-key", [["etsy", "api", "key"]], (r) => r.str(LOWER + DIGITS, 24)),
  v("vendor-messaging", "messagebird-key", [["messagebird", "access", "key"], ["message", "bird", "api", "key"]], (r) => r.str(ALNUM, 25)),
  v("vendor-messaging", "postmark-token", [["postmark", "server", "token"]], (r) => r.uuid()),
  v("vendor-messaging", "mailjet-secret", [["mailjet", "secret", "key"]], (r) => r.str(HEX, 32)),
  v("vendor-messaging", "intercom-token", [["intercom", "access", "token"]], (r) => `dG9rOj${r.str(B64, 54)}=`),
  v("vendor-messaging", "zendesk-token", [["zendesk", "api", "token"]], (r) => r.str(ALNUM, 40)),
  v("vendor-messaging", "sidekiq-secret", [["BUNDLE_ENTERPRISE__CONTRIBSYS__COM"], ["BUNDLE_GEMS__CONTRIBSYS__COM"]], (r) => `${r.str(HEX, 8)}:${r.str(HEX, 8)}`),
  v("vendor-messaging", "algolia-admin", [["algolia", "admin", "key"], ["algolia", "api", "key"]], (r) => r.str(HEX, 32)),
  v("vendor-messaging", "mapbox-secret", [["mapbox", "token"]], (r) => `sk.eyJ1IjoiYWNtZS${r.str(ALNUM, 40)}.${r.str(B64URL, 22)}`),
  v("vendor-messaging", "segment-write-key", [["segment", "write", "key"]], (r) => r.str(ALNUM, 32)),
  v("vendor-messaging", "launchdarkly-sdk", [["launchdarkly", "sdk", "key"]], (r) => `sdk-${r.uuid()}`),
];

// ---------------------------------------------------------------------------------------------------------
// Private keys, built like the real tools lay them out.

function wrap(text: string, width: number): string {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += width) out.push(text.slice(i, i + width));
  return out.join("\n");
}

function sshString(data: Buffer | string): Buffer {
  const body = typeof data === "string" ? Buffer.from(data) : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

function ed25519(r: Random): { seed: Buffer; pub: Buffer; pkcs8: string } {
  const seed = r.bytes(32);
  const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
  const key = createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  const pub = createPublicKey(key).export({ format: "der", type: "spki" }).subarray(-32);
  return { seed, pub, pkcs8: key.export({ format: "pem", type: "pkcs8" }).toString().trimEnd() };
}

/** openssh-key-v1 as ssh-keygen writes it (unencrypted, or with aes256-ctr/bcrypt and random ciphertext). */
function opensshKey(r: Random): string {
  const encrypted = r.chance(0.3);
  const kind = r.pick(["ed25519", "rsa"]);
  let pubBlob: Buffer<ArrayBufferLike>;
  let privPart: Buffer<ArrayBufferLike>;
  const comment = `${r.pick(["deploy", "ci", "jenkins", "ubuntu"])}@${r.pick(["build-01", "bastion", "laptop"])}`;
  if (kind === "ed25519") {
    const { seed, pub } = ed25519(r);
    pubBlob = Buffer.concat([sshString("ssh-ed25519"), sshString(pub)]);
    privPart = Buffer.concat([sshString("ssh-ed25519"), sshString(pub), sshString(Buffer.concat([seed, pub]))]);
  } else {
    const n = Buffer.concat([Buffer.from([0]), r.bytes(256)]);
    const e = Buffer.from([1, 0, 1]);
    pubBlob = Buffer.concat([sshString("ssh-rsa"), sshString(e), sshString(n)]);
    privPart = Buffer.concat([sshString("ssh-rsa"), sshString(n), sshString(e), sshString(Buffer.concat([Buffer.from([0]), r.bytes(256)])), sshString(r.bytes(129)), sshString(r.bytes(129)), sshString(r.bytes(129))]);
  }
  const check = r.bytes(4);
  let priv: Buffer<ArrayBufferLike> = Buffer.concat([check, check, privPart, sshString(comment)]);
  const block = encrypted ? 16 : 8;
  const pad: number[] = [];
  for (let i = 1; (priv.length + pad.length) % block !== 0; i++) pad.push(i);
  priv = Buffer.concat([priv, Buffer.from(pad)]);
  if (encrypted) priv = r.bytes(priv.length);
  const body = Buffer.concat([
    Buffer.from("openssh-key-v1\0"),
    sshString(encrypted ? "aes256-ctr" : "none"),
    sshString(encrypted ? "bcrypt" : "none"),
    sshString(encrypted ? Buffer.concat([sshString(r.bytes(16)), Buffer.from([0, 0, 0, 24])]) : Buffer.alloc(0)),
    Buffer.from([0, 0, 0, 1]),
    sshString(pubBlob),
    sshString(priv),
  ]);
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${wrap(body.toString("base64"), 70)}\n-----END OPENSSH PRIVATE KEY-----`;
}

function puttyKey(r: Random): string {
  const { seed, pub } = ed25519(r);
  const pubBlob = Buffer.concat([sshString("ssh-ed25519"), sshString(pub)]).toString("base64");
  const privBlob = sshString(seed).toString("base64");
  const version = r.pick([2, 3]);
  const lines = [
    `PuTTY-User-Key-File-${version}: ssh-ed25519`,
    "Encryption: none",
    `Comment: eddsa-key-2024${r.int(10, 12)}${r.int(10, 28)}`,
    `Public-Lines: ${wrap(pubBlob, 64).split("\n").length}`,
    wrap(pubBlob, 64),
    `Private-Lines: ${wrap(privBlob, 64).split("\n").length}`,
    wrap(privBlob, 64),
    `Private-MAC: ${r.str(HEX, version === 3 ? 64 : 40)}`,
  ];
  return lines.join("\n");
}

function pemKey(r: Random): { text: string; kind: string } {
  const kind = r.pick(["rsa-pkcs1", "rsa-pkcs8", "ec", "ed25519-pkcs8", "encrypted-pkcs8", "encrypted-pem", "dsa", "pgp"]);
  const body = (prefix: string, bytes: number) => wrap(prefix.slice(0, prefix.length - (prefix.length % 4)) + r.b64(bytes), 64);
  switch (kind) {
    case "rsa-pkcs1":
      return { kind, text: `-----BEGIN RSA PRIVATE KEY-----\n${body("MIIEowIBAAKCAQEA", 1190)}\n-----END RSA PRIVATE KEY-----` };
    case "rsa-pkcs8":
      return { kind, text: `-----BEGIN PRIVATE KEY-----\n${body("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ", 1210)}\n-----END PRIVATE KEY-----` };
    case "ec":
      return { kind, text: `-----BEGIN EC PRIVATE KEY-----\n${body("MHcCAQEEI", 118)}\n-----END EC PRIVATE KEY-----` };
    case "ed25519-pkcs8":
      return { kind, text: ed25519(r).pkcs8 };
    case "encrypted-pkcs8":
      return { kind, text: `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${body("MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI", 1300)}\n-----END ENCRYPTED PRIVATE KEY-----` };
    case "encrypted-pem":
      return { kind, text: `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,${r.str(HEX.toUpperCase(), 32)}\n\n${body("", 1190)}\n-----END RSA PRIVATE KEY-----` };
    case "dsa":
      return { kind, text: `-----BEGIN DSA PRIVATE KEY-----\n${body("MIIBuwIBAAKBgQ", 440)}\n-----END DSA PRIVATE KEY-----` };
    default:
      return { kind, text: `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${body("lQOYBF", 900)}\n=${r.str(B64, 4)}\n-----END PGP PRIVATE KEY BLOCK-----` };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Passwords and generic secrets.

const WORDS = ["summer", "falcon", "orange", "bridge", "winter", "rocket", "harbor", "silver", "monkey", "dragon", "tiger", "castle", "meadow", "copper", "velvet"];

function password(r: Random): string {
  const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  return r.pick<() => string>([
    () => `${cap(r.pick(WORDS))}${r.int(10, 2029)}${r.pick(["!", "#", "$", "@", "*", "?"])}`,
    () => `${cap(r.pick(WORDS))}-${r.pick(WORDS)}-${r.int(10, 99)}`,
    () => r.pick([...ALNUM]) + r.str(ALNUM + "!#%*-_.", r.int(11, 23)),
    () => `${r.pick(WORDS)}${r.pick(["_", "."])}${r.pick(WORDS)}${r.int(1, 999)}`,
    () => `P@${r.pick(["ss", "$$"])}w0rd${r.int(10, 99)}${r.pick(WORDS)}`,
    () => r.str(LOWER + DIGITS, r.int(10, 16)),
  ])();
}

const GENERIC_KEYS: readonly (readonly string[])[] = [
  ["secret"], ["token"], ["api", "key"], ["apikey"], ["auth"], ["auth", "token"], ["credential"], ["credentials"], ["client", "secret"], ["access", "key"], ["secret", "key"],
  ["private", "key"], ["signing", "key"], ["encryption", "key"], ["master", "key"], ["app", "secret"], ["webhook", "secret"], ["jwt", "secret"], ["session", "secret"], ["hmac", "key"],
  ["access", "token"], ["refresh", "token"], ["bearer", "token"], ["service", "token"], ["consumer", "secret"], ["api", "secret"], ["shared", "secret"],
  ["datadog", "token"], ["jfrog", "api", "key"], ["cloudflare", "api", "token"], ["algolia", "admin", "key"], ["pagerduty", "token"], ["circleci", "token"], ["travis", "token"], ["snyk", "token"],
  ["fastly", "api", "token"], ["mapbox", "secret"], ["bugsnag", "api", "key"], ["rollbar", "token"], ["mixpanel", "secret"], ["amplitude", "api", "key"], ["pusher", "secret"], ["contentful", "token"],
  ["okta", "client", "secret"], ["auth0", "client", "secret"], ["keycloak", "secret"], ["netlify", "token"], ["vercel", "token"], ["codecov", "token"], ["coveralls", "repo", "token"], ["sentry", "key"],
];

function genericValue(r: Random): { value: string; shape: string } {
  return r.pick<() => { value: string; shape: string }>([
    () => ({ value: r.str(LOWER + DIGITS, r.int(20, 40)), shape: "lower-digits" }),
    () => ({ value: r.str(HEX, r.pick([32, 40, 48, 64])), shape: "hex" }),
    () => ({ value: r.b64(r.pick([24, 32, 48])), shape: "base64" }),
    () => ({ value: r.str(ALNUM, r.int(20, 48)), shape: "mixed" }),
    () => ({ value: r.str(B64URL, r.int(24, 48)), shape: "base64url" }),
  ])();
}

// ---------------------------------------------------------------------------------------------------------
// The corpus.

export function generateCorpus(seed = 20261201): Corpus {
  const r = new Random(seeded(seed));
  const files = new Map<string, string>();
  const fileFamily = new Map<string, string>();
  const positives: Positive[] = [];
  const negatives: Negative[] = [];
  let repo = 0;

  const emit = (rel: string, family: string, f: FileBuilder) => {
    const file = `r${String(repo++).padStart(4, "0")}/${rel}`;
    f.lines.forEach((line, i) => {
      if (line.positive) {
        const column = line.text.indexOf(line.positive.secret.split("\n")[0] ?? "") + 1;
        positives.push({ file, line: i + 1, endLine: i + 1 + (line.positive.endOffset ?? 0), column: Math.max(1, column), family: line.positive.family, kind: line.positive.kind, secret: line.positive.secret });
      }
      if (line.negative) negatives.push({ file, line: i + 1, kind: line.negative });
    });
    files.set(file, `${f.lines.map((line) => line.text).join("\n")}\n`);
    fileFamily.set(file, family);
  };

  const mixed = (lang: Lang, family: string, secrets: Item[]) => {
    const items: Item[] = [];
    for (let i = 0; i < r.int(1, 3); i++) items.push(benign(r));
    for (const s of secrets) {
      items.push(s);
      if (r.chance(0.5)) items.push(benign(r));
    }
    if (r.chance(0.3)) items.push(negativeItem(r));
    emit(r.pick(LANG_FILES[lang]), family, render(lang, items, r));
  };

  // Vendor tokens: every vendor several times, each in a random carrier.
  for (const vendor of VENDORS) {
    for (let i = 0; i < 4; i++) {
      const lang = r.pick(ALL_LANGS);
      const value = vendor.make(r);
      mixed(lang, vendor.family, [{ words: r.pick(vendor.keys), value, positive: { family: vendor.family, kind: vendor.kind } }]);
    }
  }
  // A few vendor tokens in places that are not assignments: headers, CLI flags, URLs.
  for (let i = 0; i < 30; i++) {
    const vendor = r.pick(VENDORS.filter((x) => /^(ghp|glpat|xoxb|sk_live|npm_|SG\.|dop_v1|hf_|sk-ant|lin_api)/.test(x.make(r))));
    const value = vendor.make(r);
    const f = new FileBuilder().add("#!/bin/sh\nset -e\n");
    const line = r.pick([
      `curl -sS -H "Authorization: Bearer ${value}" https://api.acme.io/v1/deployments`,
      `curl -H 'Authorization: token ${value}' https://api.github.com/repos/acme/api/releases`,
      `gh auth login --with-token <<< "${value}"`,
      `npm config set //registry.npmjs.org/:_authToken ${value}`,
      `docker run -e API_TOKEN=${value} acme/worker:latest`,
      `http POST https://api.acme.io/hooks "X-Api-Key:${value}"`,
    ]);
    f.secret(line, value, vendor.family, `${vendor.kind}-inline`);
    emit(r.pick(["scripts/release.sh", "Makefile.sh", "tools/ci.sh"]), vendor.family, f);
  }

  // Cloud key pairs and service credentials.
  for (let i = 0; i < 45; i++) {
    const id = `${r.pick(["AKIA", "AKIA", "ASIA"])}${r.str("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`;
    const secret = r.str(ALNUM + "/+", 40);
    const fam = "cloud";
    const f = new FileBuilder();
    const form = r.pick(["credentials", "env", "boto3", "tf", "java", "json", "s3cfg", "azure", "gcp-sa", "azure-sas"]);
    switch (form) {
      case "credentials":
        f.add(`[${r.pick(["default", "prod", "deploy"])}]`).secret(`aws_access_key_id = ${id}`, id, fam, "aws-access-key-id").secret(`aws_secret_access_key = ${secret}`, secret, fam, "aws-secret-key").add("region = eu-west-1");
        emit(".aws/credentials", fam, f);
        break;
      case "env":
        f.secret(`AWS_ACCESS_KEY_ID=${id}`, id, fam, "aws-access-key-id").secret(`AWS_SECRET_ACCESS_KEY=${secret}`, secret, fam, "aws-secret-key").add("AWS_DEFAULT_REGION=us-east-1");
        emit(".env", fam, f);
        break;
      case "boto3":
        f.add("import boto3\n\n\ndef client():\n    return boto3.client(\n        \"s3\",")
          .secret(`        aws_access_key_id="${id}",`, id, fam, "aws-access-key-id")
          .secret(`        aws_secret_access_key="${secret}",`, secret, fam, "aws-secret-key")
          .add("        region_name=\"eu-central-1\",\n    )");
        emit("etl/storage.py", fam, f);
        break;
      case "tf":
        f.add('provider "aws" {\n  region     = "us-west-2"').secret(`  access_key = "${id}"`, id, fam, "aws-access-key-id").secret(`  secret_key = "${secret}"`, secret, fam, "aws-secret-key").add("}");
        emit("infra/provider.tf", fam, f);
        break;
      case "java":
        f.add("import com.amazonaws.auth.BasicAWSCredentials;\n\nclass S3Factory {\n    static BasicAWSCredentials creds() {")
          .secret(`        return new BasicAWSCredentials("${id}", "${secret}");`, id, fam, "aws-pair-inline")
          .add("    }\n}");
        emit("src/main/java/com/acme/S3Factory.java", fam, f);
        break;
      case "json":
        f.add("{").secret(`  "accessKeyId": "${id}",`, id, fam, "aws-access-key-id").secret(`  "secretAccessKey": "${secret}",`, secret, fam, "aws-secret-key").add('  "region": "ap-south-1"\n}');
        emit("config/aws.json", fam, f);
        break;
      case "s3cfg":
        f.add("[default]").secret(`access_key = ${id}`, id, fam, "aws-access-key-id").secret(`secret_key = ${secret}`, secret, fam, "aws-secret-key").add("host_base = s3.amazonaws.com\nuse_https = True");
        emit(".s3cfg", fam, f);
        break;
      case "azure": {
        const key = r.b64(64);
        const account = `acme${r.str(LOWER + DIGITS, 8)}`;
        f.add("{\n  \"Logging\": { \"LogLevel\": { \"Default\": \"Information\" } },\n  \"ConnectionStrings\": {")
          .secret(`    "Storage": "DefaultEndpointsProtocol=https;AccountName=${account};AccountKey=${key};EndpointSuffix=core.windows.net"`, key, fam, "azure-storage-connection")
          .add("  }\n}");
        emit("appsettings.Production.json", fam, f);
        break;
      }
      case "azure-sas": {
        const sig = encodeURIComponent(r.b64(32));
        const url = `https://acme${r.str(LOWER, 6)}.blob.core.windows.net/backups?sv=2022-11-02&ss=b&srt=co&sp=rwdlac&se=2027-01-01T00:00:00Z&st=2024-01-01T00:00:00Z&spr=https&sig=${sig}`;
        f.secret(`BACKUP_CONTAINER_SAS_URL="${url}"`, sig, fam, "azure-sas");
        emit("ops/backup.env", fam, f);
        break;
      }
      case "gcp-sa": {
        const pem = pemKey(r).text.replace(/-----BEGIN [A-Z ]+-----/, "-----BEGIN PRIVATE KEY-----").replace(/-----END [A-Z ]+-----/, "-----END PRIVATE KEY-----");
        const escaped = `${pem.replace(/\n/g, "\\n")}\\n`;
        f.add(`{\n  "type": "service_account",\n  "project_id": "acme-prod-${r.int(100, 999)}",`)
          .secret(`  "private_key_id": "${r.str(HEX, 40)}",`, "", fam, "gcp-private-key-id")
          .secret(`  "private_key": "${escaped}",`, escaped.slice(0, 60), fam, "gcp-service-account-key")
          .add(`  "client_email": "deployer@acme-prod.iam.gserviceaccount.com",\n  "client_id": "${r.digits(21)}",\n  "token_uri": "https://oauth2.googleapis.com/token"\n}`);
        // The key id alone is not the secret; keep only the private key as a label.
        f.lines.forEach((l) => {
          if (l.positive?.kind === "gcp-private-key-id") delete l.positive;
        });
        emit(`keys/acme-prod-${r.str(HEX, 12)}.json`, fam, f);
        break;
      }
    }
  }

  // Private keys in key files and embedded in configs.
  for (let i = 0; i < 60; i++) {
    const fam = "private-key";
    const form = r.pick(["openssh", "openssh", "putty", "pem", "pem", "pem", "yaml-block", "env-escaped"]);
    const f = new FileBuilder();
    if (form === "openssh") {
      const key = opensshKey(r);
      f.block(key, key.split("\n")[1] ?? "", fam, "openssh");
      emit(r.pick([".ssh/id_ed25519", "deploy/id_rsa", "keys/deploy_key", "ansible/files/ci_key"]), fam, f);
    } else if (form === "putty") {
      const key = puttyKey(r);
      f.block(key, key.split("\n")[4] ?? "", fam, "putty");
      emit(r.pick(["keys/server.ppk", "putty/admin.ppk"]), fam, f);
    } else if (form === "pem") {
      const { text, kind } = pemKey(r);
      f.block(text, text.split("\n")[1] ?? "", fam, kind);
      emit(r.pick(["certs/server.key", "tls/private.pem", "config/jwt/private.pem", "secrets/signing.key", "gpg/release-private.asc"]), fam, f);
    } else if (form === "yaml-block") {
      const { text, kind } = pemKey(r);
      f.add("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tls-material\ndata:\n  tls.key: |");
      f.block(text.split("\n").map((l) => `    ${l}`).join("\n"), text.split("\n")[1] ?? "", fam, `${kind}-yaml`);
      emit("k8s/tls-configmap.yaml", fam, f);
    } else {
      const { text, kind } = pemKey(r);
      const escaped = text.replace(/\n/g, "\\n");
      f.add("NODE_ENV=production").secret(`JWT_PRIVATE_KEY="${escaped}"`, escaped.slice(0, 50), fam, `${kind}-escaped`);
      emit(".env", fam, f);
    }
  }

  // Credential files in their own formats.
  const fam = "credential-file";
  for (let i = 0; i < 12; i++) {
    const f = new FileBuilder().add("# hostname:port:database:username:password");
    for (let j = 0; j < r.int(1, 3); j++) {
      const pw = password(r);
      f.secret(`${r.pick(["db.internal", "10.0.3.12", "*", "pg-prod.acme.io"])}:${r.pick(["5432", "*"])}:${r.pick(["orders", "*", "billing"])}:${r.pick(["app", "postgres", "report_ro"])}:${pw}`, pw, fam, "pgpass");
    }
    emit(".pgpass", fam, f);
  }
  for (let i = 0; i < 12; i++) {
    const f = new FileBuilder();
    const pw = r.chance(0.5) ? `ghp_${r.str(ALNUM, 36)}` : password(r);
    if (r.chance(0.5)) {
      f.add(`machine ${r.pick(["api.heroku.com", "github.com", "artifacts.acme.io"])}`).add(`  login ${r.pick(["deploy@acme.io", "ci-bot", "jenkins"])}`).secret(`  password ${pw}`, pw, fam, "netrc");
    } else {
      f.secret(`machine ${r.pick(["ftp.acme.io", "registry.acme.io"])} login ${r.pick(["ci", "deploy"])} password ${pw}`, pw, fam, "netrc");
    }
    emit(".netrc", fam, f);
  }
  for (let i = 0; i < 12; i++) {
    const f = new FileBuilder();
    const pw = r.pick([password(r) + "@x", `pa#${r.str(ALNUM, 10)}`, `ghp_${r.str(ALNUM, 36)}`, r.str(ALNUM, 16), `${r.str(ALNUM, 8)}%40${r.str(ALNUM, 6)}`]);
    f.secret(`https://${r.pick(["jdoe", "ci-bot", "oauth2", "x-access-token"])}:${pw}@${r.pick(["github.com", "gitlab.acme.io", "bitbucket.org"])}`, pw, fam, "git-credentials");
    emit(".git-credentials", fam, f);
  }
  for (let i = 0; i < 12; i++) {
    const f = new FileBuilder().add("registry=https://registry.npmjs.org/");
    const form = r.pick(["token", "auth", "password"]);
    if (form === "token") {
      const t = r.chance(0.5) ? `npm_${r.str(ALNUM, 36)}` : r.uuid();
      f.secret(`//${r.pick(["registry.npmjs.org", "npm.pkg.github.com", "acme.jfrog.io/artifactory/api/npm/npm"])}/:_authToken=${t}`, t, fam, "npmrc-token");
    } else if (form === "auth") {
      const t = Buffer.from(`deploy:${password(r)}`).toString("base64");
      f.secret(`_auth=${t}`, t, fam, "npmrc-auth");
    } else {
      const t = Buffer.from(password(r)).toString("base64");
      f.add("//nexus.acme.io/repository/npm/:username=ci").secret(`//nexus.acme.io/repository/npm/:_password=${t}`, t, fam, "npmrc-password");
    }
    f.add("always-auth=true");
    emit(".npmrc", fam, f);
  }
  for (let i = 0; i < 12; i++) {
    const auth = Buffer.from(`${r.pick(["acme", "ci", "_json_key"])}:${password(r)}`).toString("base64");
    const f = new FileBuilder().add('{\n  "auths": {').add(`    "${r.pick(["https://index.docker.io/v1/", "ghcr.io", "123456789012.dkr.ecr.eu-west-1.amazonaws.com"])}": {`).secret(`      "auth": "${auth}"`, auth, fam, "docker-config").add('    }\n  },\n  "credsStore": ""\n}');
    emit(".docker/config.json", fam, f);
  }
  for (let i = 0; i < 12; i++) {
    const pw = password(r);
    const base64 = r.chance(0.5);
    const shown = base64 ? Buffer.from(pw).toString("base64") : pw;
    const f = new FileBuilder().add('<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>\n<FileZilla3 version="3.66.1" platform="windows">\n  <Servers>\n    <Server>')
      .add(`      <Host>${r.pick(["ftp.acme.io", "192.168.1.20"])}</Host>\n      <Port>21</Port>\n      <Protocol>0</Protocol>\n      <Type>0</Type>\n      <User>${r.pick(["webmaster", "upload"])}</User>`)
      .secret(`      <Pass${base64 ? ' encoding="base64"' : ""}>${shown}</Pass>`, shown, fam, base64 ? "filezilla-base64" : "filezilla-plain")
      .add("      <Logontype>1</Logontype>\n      <Name>prod</Name>\n    </Server>\n  </Servers>\n</FileZilla3>");
    emit(r.pick(["FileZilla/sitemanager.xml", "FileZilla/recentservers.xml"]), fam, f);
  }
  for (let i = 0; i < 12; i++) {
    const f = new FileBuilder();
    const shadow = r.chance(0.3);
    for (let j = 0; j < r.int(1, 3); j++) {
      const user = r.pick(["admin", "deploy", "monitor", "alice", "bob"]);
      const hash = r.pick([
        () => `$apr1$${r.str(ALNUM, 8)}$${r.str(ALNUM + "./", 22)}`,
        () => `$2y$05$${r.str(ALNUM + "./", 53)}`,
        () => `{SHA}${r.b64(20)}`,
        () => `$6$${r.str(ALNUM, 16)}$${r.str(ALNUM + "./", 86)}`,
      ])();
      const crypt = shadow && !hash.startsWith("{") ? hash : `$6$${r.str(ALNUM, 16)}$${r.str(ALNUM + "./", 86)}`;
      if (shadow) f.secret(`${user}:${crypt}:19723:0:99999:7:::`, crypt, fam, "shadow");
      else f.secret(`${user}:${hash}`, hash, fam, "htpasswd");
    }
    emit(shadow ? "backup/etc/shadow" : r.pick([".htpasswd", "nginx/htpasswd"]), fam, f);
  }
  for (let i = 0; i < 10; i++) {
    const f = new FileBuilder().add("-- MySQL dump 10.13  Distrib 8.0.36\n--\n-- Table structure for table `users`\n--\n\nLOCK TABLES `users` WRITE;");
    const hash = r.pick([`$2y$10$${r.str(ALNUM + "./", 53)}`, `pbkdf2_sha256$600000$${r.str(ALNUM, 22)}$${r.b64(32)}`, `*${r.str(HEX.toUpperCase(), 40)}`]);
    f.secret(`INSERT INTO \`users\` VALUES (${r.int(1, 99)},'${r.pick(["admin", "ops"])}@acme.io','${hash}','2024-03-01 10:00:00');`, hash, fam, "sql-dump-hash");
    const pw = password(r);
    if (r.chance(0.5)) f.secret(`CREATE USER 'app'@'%' IDENTIFIED BY '${pw}';`, pw, fam, "sql-create-user");
    f.add("UNLOCK TABLES;");
    emit("backups/dump.sql", fam, f);
  }
  for (let i = 0; i < 8; i++) {
    const pw = password(r);
    const f = new FileBuilder().add('{\n  "folders": {},\n  "connections": {\n    "postgres-jdbc-18c": {\n      "provider": "postgresql",\n      "driver": "postgres-jdbc",\n      "name": "prod",\n      "configuration": {\n        "host": "pg.acme.io",\n        "port": "5432",\n        "database": "orders",\n        "url": "jdbc:postgresql://pg.acme.io:5432/orders",\n        "user": "report",')
      .secret(`        "password": "${pw}",`, pw, fam, "dbeaver")
      .add('        "auth-model": "native"\n      }\n    }\n  }\n}');
    emit(".dbeaver/data-sources.json", fam, f);
  }
  for (let i = 0; i < 8; i++) {
    const enc = `MDoEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECL${r.b64(27)}`;
    const f = new FileBuilder().add(`{"nextId":3,"logins":[{"id":1,"hostname":"https://intranet.acme.io","httpRealm":null,"formSubmitURL":"https://intranet.acme.io","usernameField":"user","passwordField":"pass",`)
      .secret(`"encryptedUsername":"MDoEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECK${r.b64(12)}","encryptedPassword":"${enc}","guid":"{${r.uuid()}}","encType":1}]}`, enc, fam, "firefox-logins");
    emit("profile/logins.json", fam, f);
  }
  for (let i = 0; i < 10; i++) {
    const f = new FileBuilder();
    const form = r.pick(["pypirc", "maven", "nuget", "mycnf", "composer", "pipconf", "gem", "kubeconfig"]);
    const pw = password(r);
    if (form === "pypirc") {
      const t = `pypi-AgEIcHlwaS5vcmc${r.str(B64URL, 80)}`;
      f.add("[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__").secret(`password = ${t}`, t, fam, "pypirc");
      emit(".pypirc", fam, f);
    } else if (form === "maven") {
      f.add("<settings>\n  <servers>\n    <server>\n      <id>acme-releases</id>\n      <username>deployer</username>").secret(`      <password>${pw}</password>`, pw, fam, "maven-settings").add("    </server>\n  </servers>\n</settings>");
      emit(".m2/settings.xml", fam, f);
    } else if (form === "nuget") {
      f.add('<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <packageSourceCredentials>\n    <acme>\n      <add key="Username" value="ci" />').secret(`      <add key="ClearTextPassword" value="${pw}" />`, pw, fam, "nuget-config").add("    </acme>\n  </packageSourceCredentials>\n</configuration>");
      emit("NuGet.Config", fam, f);
    } else if (form === "mycnf") {
      f.add("[client]\nuser=backup\nhost=mysql.internal").secret(`password=${pw}`, pw, fam, "my-cnf");
      emit(".my.cnf", fam, f);
    } else if (form === "composer") {
      f.add('{\n  "http-basic": {\n    "repo.acme.io": {\n      "username": "ci",').secret(`      "password": "${pw}"`, pw, fam, "composer-auth").add("    }\n  }\n}");
      emit("auth.json", fam, f);
    } else if (form === "pipconf") {
      f.add("[global]").secret(`index-url = https://ci:${pw.replace(/[@#:/?%]/g, "x")}@pypi.acme.io/simple`, pw.replace(/[@#:/?%]/g, "x"), fam, "pip-conf");
      emit("pip.conf", fam, f);
    } else if (form === "gem") {
      const t = `rubygems_${r.str(HEX, 48)}`;
      f.add("---").secret(`:rubygems_api_key: ${t}`, t, fam, "gem-credentials");
      emit(".gem/credentials", fam, f);
    } else {
      const jwt = `eyJhbGciOiJSUzI1NiIsImtpZCI6Ij${r.str(B64URL, 40)}.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50Ii${r.str(B64URL, 200)}.${r.str(B64URL, 342)}`;
      f.add("apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://k8s.acme.io:6443\n  name: prod\nusers:\n- name: ci\n  user:").secret(`    token: ${jwt}`, jwt, fam, "kubeconfig-token");
      emit(".kube/config", fam, f);
    }
  }

  // Connection URIs and connection strings.
  for (let i = 0; i < 80; i++) {
    const famU = "connection-uri";
    const pw = password(r).replace(/[@#:/?%]/g, "");
    const user = r.pick(["app", "admin", "svc_orders", "root", "postgres"]);
    const host = r.pick(["db.internal", "10.2.0.15", "prod-cluster.abc123.eu-west-1.rds.amazonaws.com", "cluster0.x1y2z.mongodb.net", "cache.acme.io"]);
    const form = r.pick<() => { value: string; secret: string; kind: string }>([
      () => ({ value: `postgres://${user}:${pw}@${host}:5432/orders`, secret: pw, kind: "postgres" }),
      () => ({ value: `postgresql://${user}:${pw}@${host}/billing?sslmode=require`, secret: pw, kind: "postgres" }),
      () => ({ value: `mysql://${user}:${pw}@${host}:3306/shop`, secret: pw, kind: "mysql" }),
      () => ({ value: `mongodb+srv://${user}:${pw}@${host}/app?retryWrites=true&w=majority`, secret: pw, kind: "mongodb" }),
      () => ({ value: `mongodb://${user}:${pw}@mongo-0:27017,mongo-1:27017/admin?replicaSet=rs0`, secret: pw, kind: "mongodb" }),
      () => ({ value: `redis://:${pw}@${host}:6379/0`, secret: pw, kind: "redis-empty-user" }),
      () => ({ value: `rediss://default:${pw}@${host}:6380`, secret: pw, kind: "redis" }),
      () => ({ value: `amqp://${user}:${pw}@rabbitmq.internal:5672/%2F`, secret: pw, kind: "amqp" }),
      () => ({ value: `amqps://${user}:${pw}@b-1234.mq.eu-west-1.amazonaws.com:5671`, secret: pw, kind: "amqp" }),
      () => ({ value: `smtp://${user}%40acme.io:${pw}@smtp.sendgrid.net:587`, secret: pw, kind: "smtp" }),
      () => ({ value: `ftp://${user}:${pw}@ftp.acme.io/incoming`, secret: pw, kind: "ftp" }),
      () => ({ value: `sftp://${user}:${pw}@files.acme.io:22/upload`, secret: pw, kind: "ftp" }),
      () => ({ value: `https://${user}:${pw}@nexus.acme.io/repository/maven-releases/`, secret: pw, kind: "http-basic" }),
      () => ({ value: `jdbc:postgresql://${host}:5432/orders?user=${user}&password=${pw}`, secret: pw, kind: "jdbc" }),
      () => ({ value: `jdbc:mysql://${host}:3306/shop?user=${user}&password=${pw}&useSSL=true`, secret: pw, kind: "jdbc" }),
      () => ({ value: `jdbc:sqlserver://${host}:1433;databaseName=erp;user=${user};password=${pw};encrypt=true`, secret: pw, kind: "jdbc" }),
      () => ({ value: `Server=tcp:acme-sql.database.windows.net,1433;Initial Catalog=erp;User ID=${user};Password=${pw};Encrypt=True;`, secret: pw, kind: "adonet" }),
      () => ({ value: `Data Source=sql01;Initial Catalog=Crm;User Id=${user};Password=${pw};`, secret: pw, kind: "adonet" }),
      () => ({ value: `Host=${host};Port=5432;Database=orders;Username=${user};Password=${pw}`, secret: pw, kind: "npgsql" }),
      () => ({ value: `nats://${user}:${pw}@nats.internal:4222`, secret: pw, kind: "nats" }),
      () => ({ value: `mqtt://${user}:${pw}@broker.acme.io:1883`, secret: pw, kind: "mqtt" }),
      () => ({ value: `neo4j+s://neo4j:${pw}@abcd1234.databases.neo4j.io`, secret: pw, kind: "neo4j" }),
      () => ({ value: `clickhouse://${user}:${pw}@ch.internal:9000/default`, secret: pw, kind: "clickhouse" }),
      () => ({ value: `snowflake://${user}:${pw}@acme-xy12345/analytics`, secret: pw, kind: "snowflake" }),
      () => ({ value: `${user}:${pw}@tcp(${host}:3306)/shop?parseTime=true`, secret: pw, kind: "go-mysql-dsn" }),
      () => ({ value: `mssql://${user}:${pw}@${host}:1433/erp`, secret: pw, kind: "mssql" }),
      () => ({ value: `ldaps://cn=admin,dc=acme,dc=io:${pw}@ldap.acme.io`, secret: pw, kind: "ldap" }),
    ])();
    const lang = r.pick(["env", "yaml", "json", "py", "js", "properties", "toml", "xml", "go", "cs", "k8s-env", "gha"] as const);
    const words = r.pick([["database", "url"], ["db", "url"], ["connection", "string"], ["redis", "url"], ["broker", "url"], ["dsn"], ["datasource", "url"], ["mongo", "uri"]] as const);
    const val = lang === "xml" ? form.value.replace(/&/g, "&amp;") : form.value;
    mixed(lang, famU, [{ words, value: val, positive: { family: famU, kind: form.kind, secret: form.secret } }]);
  }

  // Generic secret assignments: secret-ish key, random value, every carrier.
  for (let i = 0; i < 140; i++) {
    const famG = "generic-secret";
    const lang = r.pick(ALL_LANGS);
    const { value, shape } = genericValue(r);
    mixed(lang, famG, [{ words: r.pick(GENERIC_KEYS), value, positive: { family: famG, kind: shape } }]);
  }

  // Passwords: password-like keys with human-made values, in every carrier and some trickier forms.
  const PASSWORD_KEYS = [["password"], ["passwd"], ["pwd"], ["pass"], ["db", "password"], ["mysql", "root", "password"], ["postgres", "password"], ["redis", "pass"], ["smtp", "password"], ["admin", "pass"], ["keystore", "password"], ["ldap", "bind", "password"], ["mail", "password"], ["rabbitmq", "default", "pass"]] as const;
  for (let i = 0; i < 90; i++) {
    const famP = "password";
    const lang = r.pick(ALL_LANGS);
    const pw = password(r);
    mixed(lang, famP, [{ words: r.pick(PASSWORD_KEYS), value: pw, positive: { family: famP, kind: `assign-${lang}` } }]);
  }
  for (let i = 0; i < 90; i++) {
    const famP = "password";
    const pw = password(r).replace(/["'\\$`]/g, "9");
    const u = r.pick(["admin", "svc_report", "deploy", "root", "ci@acme.io"]);
    const forms: [string, string, string][] = [
      ["py", `    conn = psycopg2.connect(host="db.internal", dbname="orders", user="${u}", password="${pw}")`, "connect-kwarg"],
      ["py", `    db = mysql.connector.connect(host='mysql', user='${u}', passwd='${pw}', database='shop')`, "connect-kwarg"],
      ["py", `    ftp.login("${u}", "${pw}")`, "login-args"],
      ["py", `    server.login("${u}", "${pw}")`, "login-args"],
      ["py", `    resp = requests.get(url, auth=("${u}", "${pw}"), timeout=10)`, "auth-tuple"],
      ["py", `    client.connect("bastion.acme.io", username="${u}", password="${pw}")`, "connect-kwarg"],
      ["py", `    ldap_conn.simple_bind_s("cn=${u},dc=acme,dc=io", "${pw}")`, "bind-args"],
      ["java", `        Connection c = DriverManager.getConnection(url, "${u}", "${pw}");`, "getconnection-args"],
      ["cs", `        var credential = new NetworkCredential("${u}", "${pw}");`, "networkcredential"],
      ["php", `$pdo = new PDO('mysql:host=localhost;dbname=shop', '${u}', '${pw}');`, "pdo-args"],
      ["php", `$link = mysqli_connect("localhost", "${u}", "${pw}", "shop");`, "mysqli-args"],
      ["rb", `  Net::SSH.start("bastion", "${u}", password: "${pw}") do |ssh|`, "ruby-kwarg"],
      ["js", `const pool = mysql.createPool({ host: 'db', user: '${u}', password: '${pw}', database: 'app' });`, "object-literal"],
      ["js", `await client.login('${u}', '${pw}');`, "login-args"],
      ["go", `\tauth := smtp.PlainAuth("", "${u}", "${pw}", "smtp.acme.io")`, "plainauth-args"],
      ["sh", `mysql -u ${u} -p'${pw}' -h db.internal shop < schema.sql`, "cli-flag"],
      ["sh", `sshpass -p '${pw}' ssh ${u}@10.0.0.5 uptime`, "cli-flag"],
      ["sh", `curl -u ${u}:${pw} https://nexus.acme.io/service/rest/v1/status`, "cli-flag"],
      ["sh", `docker login -u ${u} -p ${pw} registry.acme.io`, "cli-flag"],
      ["sh", `echo '${pw}' | sudo -S systemctl restart api`, "cli-flag"],
    ];
    const [lang, line, kind] = r.pick(forms);
    const head: Record<string, string> = {
      py: "import psycopg2\n\n\ndef open_connection(url):",
      java: "class Db {\n    Connection open(String url) throws SQLException {",
      cs: "class Mailer\n{\n    void Send()\n    {",
      php: "<?php\n",
      rb: "def uptime",
      js: "const mysql = require('mysql2');\n",
      go: "package mail\n\nfunc auth() {",
      sh: "#!/bin/bash\nset -e",
    };
    const f = new FileBuilder().add(head[lang] ?? "").secret(line, pw, famP, kind).add(lang === "java" ? "    }\n}" : lang === "cs" ? "    }\n}" : lang === "go" ? "\t_ = auth\n}" : lang === "rb" ? "  end\nend" : "");
    const fileFor: Record<string, string> = { py: "app/db.py", java: "src/main/java/com/acme/Db.java", cs: "Mailer.cs", php: "db.php", rb: "lib/ssh.rb", js: "db/pool.js", go: "mail/auth.go", sh: "ops/restore.sh" };
    emit(fileFor[lang] ?? "x.txt", famP, f);
  }
  for (let i = 0; i < 30; i++) {
    const famP = "password";
    const pw = password(r).replace(/["'\\]/g, "7");
    const form = r.pick(["yaml-next", "py-paren", "yaml-folded", "xml-element", "xml-attr", "ini-spaces", "tf-var"]);
    const f = new FileBuilder();
    if (form === "yaml-next") {
      f.add("spring:\n  datasource:\n    url: jdbc:postgresql://db:5432/app\n    username: app\n    password:").secret(`      ${pw}`, pw, famP, "yaml-next-line");
      emit("src/main/resources/application-prod.yml", famP, f);
    } else if (form === "yaml-folded") {
      f.add("mail:\n  smtp:\n    host: smtp.acme.io\n    password: >-").secret(`      ${pw}`, pw, famP, "yaml-block-scalar");
      emit("config/mail.yml", famP, f);
    } else if (form === "py-paren") {
      f.add("DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'NAME': 'shop',\n        'PASSWORD': (").secret(`            '${pw}'`, pw, famP, "py-next-line").add("        ),\n    }\n}");
      emit("shop/settings/production.py", famP, f);
    } else if (form === "xml-element") {
      f.add("<datasources>\n  <datasource jndi-name=\"java:jboss/datasources/AppDS\">\n    <connection-url>jdbc:postgresql://db/app</connection-url>\n    <security>\n      <user-name>app</user-name>").secret(`      <password>${pw}</password>`, pw, famP, "xml-element").add("    </security>\n  </datasource>\n</datasources>");
      emit("standalone/configuration/datasources.xml", famP, f);
    } else if (form === "xml-attr") {
      f.add('<Context>').secret(`  <Resource name="jdbc/app" auth="Container" type="javax.sql.DataSource" username="app" password="${pw}" url="jdbc:mysql://db:3306/app"/>`, pw, famP, "xml-attribute").add("</Context>");
      emit("conf/context.xml", famP, f);
    } else if (form === "ini-spaces") {
      f.add("[database]\nhost     = db.internal\nuser     = app").secret(`password = ${pw}`, pw, famP, "ini").add("");
      emit("grafana/grafana.ini", famP, f);
    } else {
      f.add('variable "db_password" {\n  type      = string\n  sensitive = true').secret(`  default   = "${pw}"`, pw, famP, "tf-variable-default").add("}");
      emit("infra/variables.tf", famP, f);
    }
  }

  // Encoded values: Kubernetes Secret data, basic-auth headers, JSON-escaped and XML-escaped strings, base64 env blobs.
  for (let i = 0; i < 60; i++) {
    const famE = "encoded";
    const form = r.pick(["k8s-data", "k8s-data", "basic-header", "json-escaped", "xml-escaped", "b64-env-blob", "percent-query"]);
    const f = new FileBuilder();
    if (form === "k8s-data") {
      const name = `${r.pick(["api", "orders", "billing"])}-secrets`;
      f.add(`apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: prod\ntype: Opaque\ndata:`);
      const entries = r.int(1, 3);
      for (let j = 0; j < entries; j++) {
        const plain = r.pick([password(r), `ghp_${r.str(ALNUM, 36)}`, r.str(HEX, 40), `postgres://app:${password(r).replace(/[@#:/?%]/g, "")}@db:5432/app`]);
        const enc = Buffer.from(plain).toString("base64");
        f.secret(`  ${r.pick(["password", "api-token", "DATABASE_URL", "secret-key", "token"])}: ${enc}`, enc, famE, "k8s-secret-data");
      }
      emit(`k8s/${name}.yaml`, famE, f);
    } else if (form === "basic-header") {
      const enc = Buffer.from(`${r.pick(["admin", "api", "ci"])}:${password(r)}`).toString("base64");
      f.add("GET /api/v1/status HTTP/1.1\nHost: jenkins.acme.io").secret(`Authorization: Basic ${enc}`, enc, famE, "basic-auth-header").add("Accept: application/json");
      emit("http/jenkins-status.http", famE, f);
    } else if (form === "json-escaped") {
      const secret = r.chance(0.5) ? password(r).replace(/["\\]/g, "x") : r.str(LOWER + DIGITS, 32);
      const key = r.pick(["db_password", "apiKey", "client_secret", "token"]);
      f.add("{\n  \"version\": 4,\n  \"resources\": [").secret(`    {"name": "app-config", "value": "{\\"${key}\\":\\"${secret}\\",\\"host\\":\\"db.internal\\"}"}`, secret, famE, "json-escaped").add("  ]\n}");
      emit("state/app.tfstate.backup.json", famE, f);
    } else if (form === "xml-escaped") {
      const secret = r.str(ALNUM, 28);
      f.add("<job>\n  <builders>\n    <hudson.tasks.Shell>").secret(`      <command>curl -H &quot;X-Api-Key: ${secret}&quot; -d &apos;{&quot;api_key&quot;:&quot;${secret}&quot;}&apos; https://api.acme.io</command>`, secret, famE, "xml-escaped").add("    </hudson.tasks.Shell>\n  </builders>\n</job>");
      emit("jenkins/jobs/deploy/config.xml", famE, f);
    } else if (form === "b64-env-blob") {
      const inner = `DB_PASSWORD=${password(r)}\nSTRIPE_SECRET_KEY=sk_live_${r.str(ALNUM, 24)}\n`;
      const enc = Buffer.from(inner).toString("base64");
      f.add("variables:").secret(`  ENV_FILE_B64: "${enc}"`, enc, famE, "base64-dotenv");
      emit(".gitlab-ci.yml", famE, f);
    } else {
      const secret = r.str(ALNUM, 32);
      f.secret(`TOKEN_URL="https://auth.acme.io/oauth/token?grant_type=client_credentials&client_id=web&client_secret=${secret}"`, secret, famE, "query-string");
      emit("ops/oauth.env", famE, f);
    }
  }

  // Framework configuration files with their well-known secret settings.
  for (let i = 0; i < 45; i++) {
    const famA = "app-config";
    const form = r.pick(["wp-config", "laravel", "django", "rails", "symfony", "drupal", "magento", "phpmyadmin", "flask"]);
    const f = new FileBuilder();
    if (form === "wp-config") {
      const pw = password(r).replace(/['\\]/g, "x");
      f.add("<?php\ndefine( 'DB_NAME', 'wordpress' );\ndefine( 'DB_USER', 'wp_user' );").secret(`define( 'DB_PASSWORD', '${pw}' );`, pw, famA, "wp-db-password").add("define( 'DB_HOST', 'localhost' );\n");
      for (const k of ["AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY", "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT"]) {
        const salt = r.str(ALNUM + "!@#$%^&*()-_[]{}<>~+=,.;:/?|", 64).replace(/'/g, "x");
        f.secret(`define( '${k}',${" ".repeat(Math.max(1, 18 - k.length))}'${salt}' );`, salt, famA, "wp-salt");
      }
      f.add("\n$table_prefix = 'wp_';");
      emit("wp-config.php", famA, f);
    } else if (form === "laravel") {
      const key = `base64:${r.b64(32)}`;
      f.add("APP_NAME=Shop\nAPP_ENV=production").secret(`APP_KEY=${key}`, key, famA, "laravel-app-key").add("APP_DEBUG=false\nDB_CONNECTION=mysql\nDB_HOST=127.0.0.1\nDB_USERNAME=shop");
      const pw = password(r);
      f.secret(`DB_PASSWORD=${pw}`, pw, famA, "laravel-db-password");
      const ps = r.str(LOWER + DIGITS, 20);
      f.add("PUSHER_APP_ID=1823456\nPUSHER_APP_KEY=a1b2c3").secret(`PUSHER_APP_SECRET=${ps}`, ps, famA, "laravel-pusher-secret");
      emit(".env", famA, f);
    } else if (form === "django") {
      const key = r.chance(0.5) ? `django-insecure-${r.str(LOWER + DIGITS + "!@#$%^&*(-_=+)", 50)}` : r.str(LOWER + DIGITS + "!@#$%^&*(-_=+)", 50);
      f.add("from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n").secret(`SECRET_KEY = '${key}'`, key, famA, "django-secret-key").add("\nDEBUG = False\nALLOWED_HOSTS = ['shop.acme.io']");
      emit("shop/settings.py", famA, f);
    } else if (form === "rails") {
      const key = r.str(HEX, 128);
      f.add("production:").secret(`  secret_key_base: ${key}`, key, famA, "rails-secret-key-base");
      emit("config/secrets.yml", famA, f);
      const f2 = new FileBuilder();
      const mk = r.str(HEX, 32);
      f2.secret(mk, mk, famA, "rails-master-key");
      emit("config/master.key", famA, f2);
    } else if (form === "symfony") {
      const key = r.str(HEX, 32);
      f.add("###> symfony/framework-bundle ###\nAPP_ENV=prod").secret(`APP_SECRET=${key}`, key, famA, "symfony-app-secret").add("###< symfony/framework-bundle ###");
      emit(".env.local", famA, f);
    } else if (form === "drupal") {
      const salt = r.str(B64URL, 74);
      const pw = password(r).replace(/['\\]/g, "x");
      f.add("<?php\n$databases['default']['default'] = [\n  'database' => 'drupal',\n  'username' => 'drupal',").secret(`  'password' => '${pw}',`, pw, famA, "drupal-db-password").add("  'host' => 'localhost',\n  'driver' => 'mysql',\n];").secret(`$settings['hash_salt'] = '${salt}';`, salt, famA, "drupal-hash-salt");
      emit("sites/default/settings.php", famA, f);
    } else if (form === "magento") {
      const key = r.str(HEX, 32);
      f.add("<?php\nreturn [\n    'crypt' => [").secret(`        'key' => '${key}'`, key, famA, "magento-crypt-key").add("    ],\n];");
      emit("app/etc/env.php", famA, f);
    } else if (form === "phpmyadmin") {
      const key = r.str(ALNUM, 32);
      f.add("<?php\ndeclare(strict_types=1);\n").secret(`$cfg['blowfish_secret'] = '${key}';`, key, famA, "phpmyadmin-blowfish").add("$i = 0;\n$i++;\n$cfg['Servers'][$i]['auth_type'] = 'cookie';");
      emit("config.inc.php", famA, f);
    } else {
      const key = r.str(HEX, 48);
      f.add("from flask import Flask\n\napp = Flask(__name__)").secret(`app.config["SECRET_KEY"] = "${key}"`, key, famA, "flask-secret-key").add("app.config[\"SESSION_COOKIE_SECURE\"] = True");
      emit("web/app.py", famA, f);
    }
  }

  // Secrets in the idioms code uses rather than plain assignments: headers, dict/struct literals, setters, flags, comments.
  for (let i = 0; i < 80; i++) {
    const useVendor = r.chance(0.5);
    const vendor = r.pick(VENDORS);
    const value = useVendor ? vendor.make(r) : genericValue(r).value;
    const family = useVendor ? vendor.family : "generic-secret";
    const k = useVendor ? r.pick(vendor.keys) : r.pick(GENERIC_KEYS);
    const forms: [string, string, string][] = [
      ["py", `headers = {"Authorization": "Bearer ${value}", "Accept": "application/json"}`, "bearer-header-dict"],
      ["py", `os.environ["${styleKey(k, "upper")}"] = "${value}"`, "environ-set"],
      ["py", `settings = {"${styleKey(k, "snake")}": "${value}", "timeout": 30}`, "dict-literal"],
      ["py", `client = Client(${styleKey(k, "snake")}="${value}", region="eu-west-1")`, "kwarg"],
      ["js", `const res = await fetch(url, { headers: { 'X-Api-Key': '${value}' } });`, "fetch-header"],
      ["js", `axios.defaults.headers.common['Authorization'] = 'Bearer ${value}';`, "axios-header"],
      ["js", `const client = new Client({ ${styleKey(k, "camel")}: "${value}" });`, "constructor-object"],
      ["go", `	os.Setenv("${styleKey(k, "upper")}", "${value}")`, "setenv"],
      ["go", `	cfg := Config{${styleKey(k, "pascal")}: "${value}", Region: "us-east-1"}`, "struct-literal"],
      ["go", `	req.Header.Set("Authorization", "Bearer ${value}")`, "go-header"],
      ["java", `        props.put("${styleKey(k, "dotted")}", "${value}");`, "properties-put"],
      ["java", `        client.set${styleKey(k, "pascal")}("${value}");`, "setter"],
      ["cs", `        options.${styleKey(k, "pascal")} = "${value}";`, "options-property"],
      ["cs", `        request.Headers.Add("X-API-KEY", "${value}");`, "cs-header"],
      ["sh", `./deploy --${styleKey(k, "kebab")}=${value} --env prod`, "cli-long-flag"],
      ["sh", `java -D${styleKey(k, "dotted")}=${value} -jar app.jar`, "jvm-property"],
      ["sh", `# ${styleKey(k, "snake")}: ${value}`, "comment"],
      ["ps1", `$${styleKey(k, "pascal")} = "${value}"`, "powershell"],
      ["bat", `set ${styleKey(k, "upper")}=${value}`, "batch"],
      ["yaml", `    x-api-key: ${value}`, "yaml-header"],
      ["rb", `  conn.headers["Authorization"] = "Token token=${value}"`, "ruby-header"],
      ["php", `curl_setopt($ch, CURLOPT_HTTPHEADER, ['Authorization: Bearer ${value}']);`, "php-curl-header"],
      ["md", `Use \`${styleKey(k, "upper")}=${value}\` when calling the staging API.`, "markdown-inline"],
    ];
    const [lang, line, kind] = r.pick(forms);
    const head: Record<string, string> = { py: "import os\n", js: "import axios from 'axios';\n", go: "package main\n\nfunc setup() {", java: "class Setup {\n    void run() {", cs: "class Setup\n{\n    void Run()\n    {", sh: "#!/bin/sh", ps1: "Set-StrictMode -Version Latest", bat: "@echo off", yaml: "paths:\n  /orders:\n    parameters:", rb: "def connect(conn)", php: "<?php\n$ch = curl_init($url);", md: "# Staging access\n" };
    const tail: Record<string, string> = { go: "}", java: "    }\n}", cs: "    }\n}", rb: "end" };
    const fileFor: Record<string, string> = { py: "src/bootstrap.py", js: "src/api.js", go: "cmd/setup/main.go", java: "src/main/java/Setup.java", cs: "Setup.cs", sh: "run.sh", ps1: "deploy.ps1", bat: "start.bat", yaml: "openapi/orders.yaml", rb: "lib/conn.rb", php: "sync.php", md: "NOTES.md" };
    const f = new FileBuilder().add(head[lang] ?? "").secret(line, value, family, `idiom-${kind}`).add(tail[lang] ?? "");
    emit(fileFor[lang] ?? "x.txt", family, f);
  }
  // Bare vendor tokens with no key at all, as public token samples hold them.
  for (let i = 0; i < 40; i++) {
    const vendor = r.pick(VENDORS.filter((x) => !/^(heroku-api-key|plaid-secret|datadog|cloudflare|linode|azure-devops|honeycomb|rollbar|twitter-secret|etsy|messagebird|postmark|mailjet|zendesk|algolia|segment|cohere|sidekiq|okta|adyen|discord-bot)/.test(x.kind)));
    const value = vendor.make(r);
    const f = new FileBuilder().add(r.pick(["leaked tokens from the incident channel:", "- rotated on Monday", "notes"])).secret(r.pick([value, `  ${value}`, `token ${value}`, `"${value}",`]), value, vendor.family, `${vendor.kind}-bare`);
    emit(r.pick(["notes.txt", "incident/tokens.txt", "scratch.md"]), vendor.family, f);
  }

  // Negatives: look-alikes that must not be reported.
  const famN = "negative";
  for (let i = 0; i < 150; i++) {
    const lang = r.pick(ALL_LANGS);
    const items: Item[] = [benign(r)];
    for (let j = 0; j < r.int(1, 3); j++) items.push(negativeItem(r));
    items.push(benign(r));
    emit(r.pick(LANG_FILES[lang]), famN, render(lang, items, r));
  }
  for (let i = 0; i < 40; i++) {
    const f = new FileBuilder();
    const form = r.pick(["form", "schema", "model", "ts-interface", "sql-ddl", "i18n", "validation", "prompt", "django-form"]);
    switch (form) {
      case "form":
        f.add("<form method=\"post\" action=\"/login\">\n  <label for=\"username\">Username</label>\n  <input type=\"text\" id=\"username\" name=\"username\">").negative('  <input type="password" id="password" name="password" placeholder="Password" autocomplete="current-password">', "password-field").add("  <button type=\"submit\">Sign in</button>\n</form>");
        emit("templates/login.html", famN, f);
        break;
      case "schema":
        f.add('{\n  "type": "object",\n  "properties": {').negative('    "password": { "type": "string", "minLength": 12, "format": "password" },', "password-field").negative('    "apiKey": { "type": "string", "description": "API key issued by the dashboard" }', "password-field").add("  }\n}");
        emit("schemas/user.schema.json", famN, f);
        break;
      case "model":
        f.add("const userSchema = new mongoose.Schema({\n  email: { type: String, required: true },").negative("  password: { type: String, required: true, select: false },", "password-field").negative("  resetToken: { type: String },", "password-field").add("});");
        emit("models/user.js", famN, f);
        break;
      case "ts-interface":
        f.add("export interface Credentials {\n  username: string;").negative("  password: string;", "password-field").negative("  apiKey?: string;", "password-field").negative("  secretAccessKey: string | undefined;", "password-field").add("}");
        emit("src/types.ts", famN, f);
        break;
      case "sql-ddl":
        f.add("CREATE TABLE users (\n  id BIGSERIAL PRIMARY KEY,\n  email TEXT NOT NULL UNIQUE,").negative("  password_hash VARCHAR(255) NOT NULL,", "password-field").negative("  api_token CHAR(64),", "password-field").add(");");
        emit("db/migrations/001_users.sql", famN, f);
        break;
      case "i18n":
        f.add("{").negative('  "forgot_password": "Forgot your password?",', "password-field").negative('  "password_too_short": "Your password must be at least 12 characters",', "password-field").negative('  "token_expired": "Your session token has expired, please sign in again"', "password-field").add("}");
        emit("locales/en.json", famN, f);
        break;
      case "validation":
        f.add("def validate(user):").negative("    if len(user.password) < 12:", "password-field").add("        raise ValueError(\"too short\")").negative("    user.password = make_password(user.password)", "password-field").negative("    token = secrets.token_urlsafe(32)", "password-field").add("    return token");
        emit("accounts/validators.py", famN, f);
        break;
      case "prompt":
        f.add("import getpass\n").negative('password = getpass.getpass("Password: ")', "password-field").negative('api_key = input("API key: ").strip()', "password-field").negative('secret = request.form["secret"]', "password-field");
        emit("cli/login.py", famN, f);
        break;
      default:
        f.add("from django import forms\n\nclass LoginForm(forms.Form):\n    username = forms.CharField(max_length=150)").negative("    password = forms.CharField(widget=forms.PasswordInput)", "password-field");
        emit("accounts/forms.py", famN, f);
    }
  }
  for (let i = 0; i < 20; i++) {
    const f = new FileBuilder();
    const form = r.pick(["package-lock", "yarn-lock", "go-sum", "cargo-lock", "poetry-lock"]);
    if (form === "package-lock") {
      f.add('{\n  "name": "web",\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/lodash": {\n      "version": "4.17.21",\n      "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz",').negative(`      "integrity": "sha512-${r.b64(64)}"`, "lockfile").add("    }\n  }\n}");
      emit("package-lock.json", famN, f);
    } else if (form === "yarn-lock") {
      f.add('lodash@^4.17.21:\n  version "4.17.21"').negative(`  resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz#${r.str(HEX, 40)}"`, "lockfile").negative(`  integrity sha512-${r.b64(64)}`, "lockfile");
      emit("yarn.lock", famN, f);
    } else if (form === "go-sum") {
      for (let j = 0; j < 3; j++) f.negative(`github.com/${r.pick(["aws/aws-sdk-go-v2", "spf13/cobra", "stretchr/testify"])} v1.${r.int(1, 30)}.${r.int(0, 9)} h1:${r.b64(32)}`, "lockfile");
      emit("go.sum", famN, f);
    } else if (form === "cargo-lock") {
      f.add('[[package]]\nname = "serde"\nversion = "1.0.200"\nsource = "registry+https://github.com/rust-lang/crates.io-index"').negative(`checksum = "${r.str(HEX, 64)}"`, "lockfile");
      emit("Cargo.lock", famN, f);
    } else {
      f.add('[[package]]\nname = "requests"\nversion = "2.32.3"\nfiles = [').negative(`    {file = "requests-2.32.3-py3-none-any.whl", hash = "sha256:${r.str(HEX, 64)}"},`, "lockfile").add("]");
      emit("poetry.lock", famN, f);
    }
  }
  for (let i = 0; i < 30; i++) {
    const f = new FileBuilder();
    const form = r.pick(["gha-pin", "image-digest", "public-key", "cert", "data-uri", "minified", "test-vector", "uuid-fixture", "helm-ref", "erb-ref", "tf-ref", "url-noauth", "sri"]);
    switch (form) {
      case "gha-pin":
        f.add("steps:").negative(`  - uses: actions/checkout@${r.str(HEX, 40)} # v4.1.1`, "hash-id").negative(`  - uses: actions/setup-node@${r.str(HEX, 40)} # v4.0.2`, "hash-id");
        emit(".github/workflows/ci.yml", famN, f);
        break;
      case "image-digest":
        f.negative(`FROM node:20-alpine@sha256:${r.str(HEX, 64)}`, "hash-id").add("RUN npm ci");
        emit("Dockerfile", famN, f);
        break;
      case "public-key":
        f.negative(`ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${r.str(B64, 43)} deploy@ci`, "public-key").negative(`ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ${r.str(B64, 200)} ops@bastion`, "public-key");
        emit(".ssh/authorized_keys", famN, f);
        break;
      case "cert":
        f.negative("-----BEGIN CERTIFICATE-----", "public-key").add(wrap(`MIIDdzCCAl+gAwIBAgIE${r.b64(700)}`, 64)).add("-----END CERTIFICATE-----").negative("-----BEGIN PUBLIC KEY-----", "public-key").add(wrap(`MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA${r.b64(230)}`, 64)).add("-----END PUBLIC KEY-----");
        emit("certs/ca-bundle.pem", famN, f);
        break;
      case "data-uri":
        f.add(".logo {").negative(`  background-image: url("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9h${r.b64(300)}");`, "image").add("}");
        emit("static/css/site.css", famN, f);
        break;
      case "minified":
        f.negative(`!function(e,t){"object"==typeof exports?module.exports=t():e.lib=t()}(this,function(){var n="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=",r={token:null,secret:void 0,apiKey:function(e){return e.apiKey||""}};function o(e){return e.password&&e.password.length>8}return{alphabet:n,state:r,check:o,id:"${r.str(HEX, 16)}"}});`, "minified");
        emit("public/vendor/lib.min.js", famN, f);
        break;
      case "test-vector":
        f.add("import hashlib\n\n\ndef test_sha256():").negative('    assert hashlib.sha256(b"abc").hexdigest() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"', "test-vector").negative('    expected_hmac = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"', "test-vector");
        emit("tests/test_crypto.py", famN, f);
        break;
      case "uuid-fixture":
        f.add("[").negative(`  { "id": "${r.uuid()}", "name": "widget", "sku": "${r.str(UPPER + DIGITS, 10)}" },`, "hash-id").negative(`  { "id": "${r.uuid()}", "name": "gadget", "correlationId": "${r.uuid()}" }`, "hash-id").add("]");
        emit("data/products.json", famN, f);
        break;
      case "helm-ref":
        f.add("env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: db\n        key: password").negative("  password: {{ .Values.postgresql.auth.password | quote }}", "reference").negative("  token: {{ required \"token is required\" .Values.token }}", "reference");
        emit("chart/templates/secret.yaml", famN, f);
        break;
      case "erb-ref":
        f.add("production:").negative('  secret_key_base: <%= ENV["SECRET_KEY_BASE"] %>', "reference").negative("  password: <%= Rails.application.credentials.dig(:db, :password) %>", "reference");
        emit("config/database.yml", famN, f);
        break;
      case "tf-ref":
        f.add('resource "aws_db_instance" "main" {\n  engine   = "postgres"\n  username = "app"').negative("  password = random_password.db.result", "reference").add("}").negative('  secret_string = jsonencode({ password = var.db_password })', "reference");
        emit("infra/db.tf", famN, f);
        break;
      case "url-noauth":
        f.negative("DATABASE_URL=postgres://app:${DB_PASSWORD}@db.internal:5432/orders", "reference").negative("REDIS_URL=redis://localhost:6379/0", "secret-ish-name").negative("MONGO_URI=mongodb://user:<password>@cluster0.mongodb.net/test", "placeholder").negative("AMQP_URL=amqp://guest:guest@localhost:5672/", "placeholder");
        emit(".env.example", famN, f);
        break;
      default:
        f.negative(`<script src="https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/js/bootstrap.bundle.min.js" integrity="sha384-${r.b64(48)}" crossorigin="anonymous"></script>`, "hash-id");
        emit("public/index.html", famN, f);
    }
  }

  // Ordinary code around credentials: variables, calls and concatenations, never literals.
  for (let i = 0; i < 40; i++) {
    const f = new FileBuilder();
    const lines: [string, string][] = [
      ["js", "const token = await getAccessToken(clientId, clientSecret);"],
      ["js", "return { apiKey, secret: options.secret, password: this.password };"],
      ["js", "const signed = jwt.sign(payload, process.env.JWT_SECRET, { expiresIn: '1h' });"],
      ["js", "headers.Authorization = `Bearer ${token}`;"],
      ["py", "password = config['database']['password']"],
      ["py", "secret_key = settings.SECRET_KEY"],
      ["py", "api_key = get_secret('prod/api-key')"],
      ["py", "token = base64.b64encode(f\"{user}:{password}\".encode()).decode()"],
      ["go", "\tpassword := os.Getenv(\"DB_PASSWORD\")"],
      ["go", "\tsecret, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})"],
      ["java", "        String password = System.getProperty(\"db.password\");"],
      ["java", "        char[] password = console.readPassword(\"Password: \");"],
      ["cs", "        var apiKey = Configuration[\"Stripe:ApiKey\"];"],
      ["rb", "  password = Rails.application.credentials.database[:password]"],
      ["php", "$password = $_POST['password'] ?? '';"],
      ["php", "$apiKey = getenv('MAILGUN_API_KEY');"],
      ["sh", "TOKEN=$(aws secretsmanager get-secret-value --secret-id prod/token --query SecretString --output text)"],
      ["sh", "export GITHUB_TOKEN=\"$(gh auth token)\""],
      ["yaml", "      GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}"],
      ["yaml", "      password: ${POSTGRES_PASSWORD:-}"],
      ["hcl", "  password = data.aws_ssm_parameter.db_password.value"],
      ["ini", "password = %(DB_PASSWORD)s"],
      ["properties", "spring.datasource.password=${DB_PASSWORD}"],
      ["xml", "<password>${env.NEXUS_PASSWORD}</password>"],
      ["md", "Set `STRIPE_SECRET_KEY` to the key from the dashboard (it starts with `sk_live_`)."],
      ["txt", "The default password is printed in the container log on first start."],
      ["js", "const cacheKey = `user:${id}:token`;"],
      ["py", "KEY_PATTERN = re.compile(r\"ghp_[A-Za-z0-9]{36}\")"],
      ["js", "if (passwordInput.value !== confirmPassword.value) showError('passwords differ');"],
      ["py", "bypass_token_check = os.getenv('BYPASS_TOKEN_CHECK') == '1'"],
    ];
    for (let j = 0; j < r.int(2, 4); j++) {
      const [, line] = r.pick(lines);
      f.negative(line, "code-reference");
    }
    emit(r.pick(["src/auth.js", "app/secrets.py", "lib/auth.go", "Auth.java", "README.md", "handlers/login.php"]), famN, f);
  }

  return { seed, files, positives, negatives, fileFamily };
}

/** Writes the tree under DIR/tree and the labels under DIR/labels.json (outside the scanned tree). */
export function writeCorpus(dir: string, corpus: Corpus): string {
  const tree = path.join(dir, "tree");
  rmSync(dir, { recursive: true, force: true });
  for (const [file, text] of corpus.files) {
    const target = path.join(tree, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  writeFileSync(
    path.join(dir, "labels.json"),
    JSON.stringify({ seed: corpus.seed, positives: corpus.positives, negatives: corpus.negatives, fileFamily: Object.fromEntries(corpus.fileFamily) }),
    { mode: 0o600 },
  );
  return tree;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? path.join(tmpdir(), "vaultlift-blind");
  const corpus = generateCorpus(Number(process.argv[3] ?? 20261201));
  writeCorpus(dir, corpus);
  process.stdout.write(`${corpus.files.size} files, ${corpus.positives.length} positives, ${corpus.negatives.length} negatives in ${dir}\n`);
}
