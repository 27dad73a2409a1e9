/**
 * Connection URIs as the structured secret AWS rotation functions read for databases:
 * `{"engine","host","port","username","password","dbname"}`. Offered per candidate, never
 * a default: an application that reads a URL needs the URL.
 */

/** URI schemes and the `engine` value rotation functions expect. */
const ENGINES: Record<string, { engine: string; port: number }> = {
  postgres: { engine: "postgres", port: 5432 },
  postgresql: { engine: "postgres", port: 5432 },
  mysql: { engine: "mysql", port: 3306 },
  mariadb: { engine: "mariadb", port: 3306 },
  sqlserver: { engine: "sqlserver", port: 1433 },
  mssql: { engine: "sqlserver", port: 1433 },
  oracle: { engine: "oracle", port: 1521 },
  mongodb: { engine: "mongo", port: 27017 },
  redis: { engine: "redis", port: 6379 },
};

/** The structured form of a database URI (user and password percent-decoded), or a one-line reason it has none. */
export function databaseSecret(uri: string): { json: string } | { problem: string } {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^:/?#@]*)(?::([^@/?#]*))?@([^:/?#]+)(?::(\d+))?(?:\/([^?#]*))?/i.exec(uri.trim());
  if (!match) return { problem: "is not a URI of the form scheme://user:password@host[:port]/dbname" };
  const scheme = (match[1] as string).toLowerCase().replace(/\+.*$/, "").replace(/^jdbc:/, "");
  const known = ENGINES[scheme];
  if (!known) return { problem: `has scheme "${scheme}", not a database engine (known: ${Object.keys(ENGINES).join(", ")})` };
  try {
    const secret = {
      engine: known.engine,
      host: match[4] as string,
      port: match[5] ? Number(match[5]) : known.port,
      username: decodeURIComponent(match[2] as string),
      password: decodeURIComponent(match[3] ?? ""),
      ...(match[6] ? { dbname: decodeURIComponent(match[6]) } : {}),
    };
    return { json: JSON.stringify(secret) };
  } catch {
    return { problem: "has a malformed percent-encoding in its user or password" };
  }
}
