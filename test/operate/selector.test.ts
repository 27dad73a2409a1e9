import { describe, expect, it } from "vitest";
import { diffSides } from "../../scripts/store/diff.ts";
import { diffValues, formatDiff } from "../../scripts/store/diff.ts";
import { dumpPath } from "../../scripts/store/dump.ts";
import { parseSecretRef } from "../../scripts/store/selector.ts";

describe("compact selectors", () => {
  it.each([
    ["db", { name: "db", selector: {} }],
    ["/a/db#0f3c9f7e-1111-4a4a-9b9b-123456789abc", { name: "/a/db", selector: { versionId: "0f3c9f7e-1111-4a4a-9b9b-123456789abc" } }],
    ["/a/db:AWSPREVIOUS", { name: "/a/db", selector: { stage: "AWSPREVIOUS" } }],
    ["/a/db:blue", { name: "/a/db", selector: { stage: "blue" } }],
    ["/a/db:3", { name: "/a/db", selector: { version: 3 } }],
    ["/a/db~2", { name: "/a/db", selector: { back: 2 } }],
    ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:/a/db-AbCdEf", { name: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:/a/db-AbCdEf", selector: {} }],
    ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:/a/db-AbCdEf:AWSPREVIOUS", { name: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:/a/db-AbCdEf", selector: { stage: "AWSPREVIOUS" } }],
    ["arn:aws:ssm:eu-west-1:123456789012:parameter/a/p:4", { name: "arn:aws:ssm:eu-west-1:123456789012:parameter/a/p", selector: { version: 4 } }],
  ])("%s", (text, expected) => {
    expect(parseSecretRef(text)).toEqual(expected);
  });

  it.each(["db~x", "db#", "db:", "~1"])("refuses %s", (text) => {
    expect(() => parseSecretRef(text)).toThrow();
  });
});

describe("diff sides", () => {
  const current = (name: string) => ({ name, selector: {} });
  it("defaults to AWSPREVIOUS vs current, and reads NAME~2 NAME as written", () => {
    expect(diffSides("/a/db")).toEqual([{ name: "/a/db", selector: { stage: "AWSPREVIOUS" } }, current("/a/db")]);
    expect(diffSides("/a/db~2", "/a/db")).toEqual([{ name: "/a/db", selector: { back: 2 } }, current("/a/db")]);
    expect(diffSides("/a/db~2")).toEqual([{ name: "/a/db", selector: { back: 2 } }, current("/a/db")]);
    expect(diffSides("/a/db", "AWSPREVIOUS")).toEqual([{ name: "/a/db", selector: { stage: "AWSPREVIOUS" } }, current("/a/db")]);
    expect(diffSides("/a/db", "~3", "#abc")).toEqual([
      { name: "/a/db", selector: { back: 3 } },
      { name: "/a/db", selector: { versionId: "abc" } },
    ]);
    expect(diffSides("/a/db", "/b/db:AWSPREVIOUS")).toEqual([{ name: "/b/db", selector: { stage: "AWSPREVIOUS" } }, current("/a/db")]);
  });
});

describe("value diff", () => {
  it("reports JSON keys added, removed and changed, nested as dotted paths", () => {
    const diff = diffValues('{"a":"1","b":{"c":"x"},"gone":true}', '{"a":"1","b":{"c":"y"},"new":[1]}');
    expect(diff.keys).toEqual([
      { key: "b.c", change: "changed", before: "x", after: "y" },
      { key: "gone", change: "removed", before: "true" },
      { key: "new", change: "added", after: "[1]" },
    ]);
    expect(formatDiff("", "", diff, false)).toEqual(["~ b.c: ********(<8) -> ********(<8)", "- gone: ********(<8)", "+ new: ********(<8)"]);
  });

  it("treats anything but two JSON objects as text", () => {
    expect(diffValues("[1]", "[1]")).toEqual({ same: true });
    expect(formatDiff("a", "b", diffValues("a", "b"), false)).toEqual(["~ value: ********(<8) -> ********(<8)"]);
  });
});

describe("dump paths", () => {
  it("keeps every file inside DIR", () => {
    expect(dumpPath({ name: "/a/../../etc/passwd", store: "secretsmanager" })).toBe("secretsmanager/a/%2E%2E/%2E%2E/etc/passwd");
    expect(dumpPath({ name: "plain", store: "ssm" })).toBe("ssm/plain");
  });
});
