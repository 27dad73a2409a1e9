/** Credential files in their own formats, as the tools that write them lay them out: each value found at its line, and nothing else. */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DirectorySource, scanSources, type ScanReport } from "../../scripts/scan/index.ts";

const b64 = (text: string) => Buffer.from(text).toString("base64");

interface Case {
  file: string;
  content: string;
  /** [ruleId, line, value] of every finding the file must give. */
  expected: [string, number, string][];
}

const CASES: Case[] = [
  {
    file: "home/.pgpass",
    content: "# hostname:port:database:username:password\ndb.acme.internal:5432:billing:billing_app:Xk9#mQ2v!Lp7\n*:*:*:postgres:pg-Adm1n-2024\n",
    expected: [
      ["pgpass-password", 2, "Xk9#mQ2v!Lp7"],
      ["pgpass-password", 3, "pg-Adm1n-2024"],
    ],
  },
  {
    file: "home/.git-credentials",
    content: "https://deploy:p@ss#w0rd@Acme9@git.acme.io\nhttps://ci-bot:Zr7LkQ2mX9vB4nT1@gitlab.acme.io/group\n",
    expected: [
      ["git-credentials", 1, "p@ss#w0rd@Acme9"],
      ["git-credentials", 2, "Zr7LkQ2mX9vB4nT1"],
    ],
  },
  {
    file: "home/.netrc",
    content: "machine api.heroku.com\n  login ops@acme.io\n  password 7c1f0b2e-3d4a-4f5b-9c6d-8e7f6a5b4c3d\nmachine ftp.acme.io login deploy password Ftp-Depl0y-77\n",
    expected: [
      ["netrc-password", 3, "7c1f0b2e-3d4a-4f5b-9c6d-8e7f6a5b4c3d"],
      ["netrc-password", 4, "Ftp-Depl0y-77"],
    ],
  },
  {
    file: "repo/.npmrc",
    content: `registry=https://npm.acme.io/\n//npm.acme.io/:_auth=${b64("ci:Np-Reg1stry-Pw")}\n//npm.pkg.github.com/:_authToken=\${GITHUB_TOKEN}\nalways-auth=true\n`,
    expected: [["npmrc-auth", 2, b64("ci:Np-Reg1stry-Pw")]],
  },
  {
    file: "home/.docker/config.json",
    content: `{\n\t"auths": {\n\t\t"registry.acme.io": {\n\t\t\t"auth": "${b64("deploy:Dk-Reg-2024-pw")}"\n\t\t},\n\t\t"https://index.docker.io/v1/": {}\n\t},\n\t"credsStore": "desktop"\n}\n`,
    expected: [["docker-registry-auth", 4, b64("deploy:Dk-Reg-2024-pw")]],
  },
  {
    file: "AppData/FileZilla/sitemanager.xml",
    content: `<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>\n<FileZilla3 version="3.66.1" platform="windows">\n\t<Servers>\n\t\t<Server>\n\t\t\t<Host>ftp.acme.io</Host>\n\t\t\t<Port>21</Port>\n\t\t\t<Protocol>0</Protocol>\n\t\t\t<Type>0</Type>\n\t\t\t<User>deploy</User>\n\t\t\t<Pass encoding="base64">${b64("Fz-Site-Pass-91")}</Pass>\n\t\t\t<Logontype>1</Logontype>\n\t\t\t<Name>acme prod</Name>\n\t\t</Server>\n\t</Servers>\n</FileZilla3>\n`,
    expected: [["filezilla-password", 10, "Fz-Site-Pass-91"]],
  },
  {
    file: "AppData/FileZilla/recentservers.xml",
    content: `<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>\n<FileZilla3>\n\t<RecentServers>\n\t\t<Server>\n\t\t\t<Host>10.0.0.5</Host>\n\t\t\t<User>backup</User>\n\t\t\t<Pass>Bk-Recent-Pw-33</Pass>\n\t\t</Server>\n\t</RecentServers>\n</FileZilla3>\n`,
    expected: [["filezilla-password", 7, "Bk-Recent-Pw-33"]],
  },
  {
    file: "home/.local/share/DBeaverData/workspace6/General/.dbeaver/data-sources.json",
    content: `{\n\t"folders": {},\n\t"connections": {\n\t\t"postgres-jdbc-18c2": {\n\t\t\t"provider": "postgresql",\n\t\t\t"driver": "postgres-jdbc",\n\t\t\t"name": "billing",\n\t\t\t"save-password": true,\n\t\t\t"configuration": {\n\t\t\t\t"host": "db.acme.internal",\n\t\t\t\t"port": "5432",\n\t\t\t\t"database": "billing",\n\t\t\t\t"url": "jdbc:postgresql://db.acme.internal:5432/billing",\n\t\t\t\t"user": "analyst",\n\t\t\t\t"password": "Db-Eaver-Pw-42",\n\t\t\t\t"type": "prod"\n\t\t\t}\n\t\t}\n\t}\n}\n`,
    expected: [["password-assignment", 15, "Db-Eaver-Pw-42"]],
  },
  {
    file: "home/.mozilla/firefox/x1y2z3.default-release/logins.json",
    content:
      '{"nextId":3,"logins":[{"id":1,"hostname":"https://admin.acme.io","httpRealm":null,"formSubmitURL":"https://admin.acme.io","usernameField":"user","passwordField":"pass","encryptedUsername":"MDIEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECBo5rq1vJZw4BAhp0Yq1zX1eYw==","encryptedPassword":"MEIEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECFz3wXcU0Rh5BBgR7i8n0qUeXlA3bJ9Qv0nK8mWcYp2H1sE=","guid":"{6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d}","encType":1,"timeCreated":1700000000000}],"version":3}\n',
    expected: [["firefox-logins", 1, "MEIEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECFz3wXcU0Rh5BBgR7i8n0qUeXlA3bJ9Qv0nK8mWcYp2H1sE="]],
  },
  {
    file: "etc/nginx/.htpasswd",
    content: "admin:$apr1$rH3p8Zq1$Qm7bXk2Yv9Lc4Tn6Rw1Ps0\nops:$2y$05$H7aKxVw3Lp9Qm2Zr8Ty4ZeJcX1vB6nM0kL3pR5sT7uV9wY1zA2b3C\n",
    expected: [
      ["htpasswd-hash", 1, "$apr1$rH3p8Zq1$Qm7bXk2Yv9Lc4Tn6Rw1Ps0"],
      ["htpasswd-hash", 2, "$2y$05$H7aKxVw3Lp9Qm2Zr8Ty4ZeJcX1vB6nM0kL3pR5sT7uV9wY1zA2b3C"],
    ],
  },
  {
    file: "backup/etc/shadow",
    content:
      "root:$6$Zq8Lm3Rt$5kP9vX2bN7cQ1wE4rT6yU8iO0pA3sD5fG7hJ9kL1zX3cV5bN7mQ9wE1rT3yU5iO7pA9sD1fG3hJ5kL7zX9cV1bN3mQ5wE7rT9y:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\nbackup:!:19700:0:99999:7:::\n",
    expected: [["shadow-hash", 1, "$6$Zq8Lm3Rt$5kP9vX2bN7cQ1wE4rT6yU8iO0pA3sD5fG7hJ9kL1zX3cV5bN7mQ9wE1rT3yU5iO7pA9sD1fG3hJ5kL7zX9cV1bN3mQ5wE7rT9y"]],
  },
  {
    file: "backup/dump.sql",
    content:
      "-- MySQL dump 10.13\nDROP TABLE IF EXISTS `users`;\nCREATE TABLE `users` (`id` int, `email` varchar(255), `password` varchar(255));\nINSERT INTO `users` VALUES (1,'admin@acme.io','$2y$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy'),(2,'ops@acme.io','$2y$10$Kx7bM2vQ9pL3zR8tY4wN1eUjHcF6sD0aG5hJ2kL9mN3pQ7rT1vX5y');\nCREATE USER 'report'@'%' IDENTIFIED BY 'Rp-Sql-Pw-2024';\n",
    expected: [
      ["password-hash", 4, "$2y$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"],
      ["password-hash", 4, "$2y$10$Kx7bM2vQ9pL3zR8tY4wN1eUjHcF6sD0aG5hJ2kL9mN3pQ7rT1vX5y"],
      ["sql-identified-by", 5, "Rp-Sql-Pw-2024"],
    ],
  },
  {
    file: "site/wp-config.php",
    content:
      "<?php\ndefine( 'DB_NAME', 'wordpress' );\ndefine( 'DB_USER', 'wp' );\ndefine( 'DB_PASSWORD', 'Wp-Db-Pass-2024' );\ndefine( 'DB_HOST', 'localhost' );\ndefine( 'AUTH_KEY',         'q<{9$Zt]v!~P@4}K|l-2x&Bn<7Ws^G(1:fH>uE%8]yRm,Jc+D6o=TaN;3iLb0`Ye' );\ndefine( 'NONCE_SALT',       'put your unique phrase here' );\n$table_prefix = 'wp_';\n",
    expected: [
      ["wordpress-config", 4, "Wp-Db-Pass-2024"],
      ["wordpress-config", 6, "q<{9$Zt]v!~P@4}K|l-2x&Bn<7Ws^G(1:fH>uE%8]yRm,Jc+D6o=TaN;3iLb0`Ye"],
    ],
  },
  {
    file: "laravel/.env",
    content: "APP_NAME=Acme\nAPP_ENV=production\nAPP_KEY=base64:Qk7vL2mX9pR4tZ8wN1bY6cV3sD5fG0hJ2kL4mN6pQ8r=\nAPP_DEBUG=false\n",
    expected: [["laravel-app-key", 3, "base64:Qk7vL2mX9pR4tZ8wN1bY6cV3sD5fG0hJ2kL4mN6pQ8r="]],
  },
  {
    file: "deploy/k8s/db-secret.yaml",
    content: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: billing-db\n  namespace: billing\ntype: Opaque\ndata:\n  username: ${b64("billing")}\n  password: ${b64("K8s-Db-Pw-7781")}\n  url: ${b64("postgres://billing:K8s-Db-Pw-7781@db:5432/billing")}\n`,
    expected: [
      ["kubernetes-secret-data", 8, "billing"],
      ["kubernetes-secret-data", 9, "K8s-Db-Pw-7781"],
      ["kubernetes-secret-data", 10, "postgres://billing:K8s-Db-Pw-7781@db:5432/billing"],
    ],
  },
  {
    file: "app/cache.py",
    content: 'CACHE_URL = "redis://:Rd-Cache-Pw-55@cache.acme.internal:6379/0"\n',
    expected: [["uri-password", 1, "Rd-Cache-Pw-55"]],
  },
];

let root: string;
let report: ScanReport;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "vaultlift-credential-files-"));
  for (const { file, content } of CASES) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  }
  report = await scanSources([new DirectorySource(root, { maxFileBytes: 1 << 20 })], { workers: 0 });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("credential files", () => {
  it.each(CASES.map((c) => [c.file, c] as const))("%s", (file, { expected }) => {
    const found = report.findings.filter((finding) => finding.file === file).map((finding) => [finding.ruleId, finding.line, finding.secret]);
    expect(found).toEqual(expected);
  });
});
