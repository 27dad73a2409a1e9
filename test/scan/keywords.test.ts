/** The keyword search behind the detector's prefilter: every start, the longest keyword there, any case. */
import { describe, expect, it } from "vitest";
import { KeywordSearch } from "../../scripts/scan/detect/keywords.ts";

const search = new KeywordSearch(["pass", "password", "_password", "word", "key", "api_key"]);

function found(text: string): [number, string][] {
  const hits = search.find(text);
  const pairs: [number, string][] = [];
  for (let index = 0; index < hits.length; index += 2) pairs.push([hits[index] as number, search.keywords[hits[index + 1] as number] as string]);
  return pairs;
}

describe("KeywordSearch", () => {
  it("reports each start once, with the longest keyword starting there, in order", () => {
    expect(found("DB_PASSWORD=x")).toEqual([
      [2, "_password"],
      [3, "password"],
      [7, "word"],
    ]);
  });

  it("finds keywords that overlap or end inside a longer one", () => {
    expect(found("my_api_key key")).toEqual([
      [3, "api_key"],
      [7, "key"],
      [11, "key"],
    ]);
  });

  it("ignores case, as String#toLowerCase does, and finds nothing in text without keywords", () => {
    expect(found("API_\u212AEY")).toEqual([
      [0, "api_key"],
      [4, "key"],
    ]);
    expect(found("const total = 42; // é 😀")).toEqual([]);
  });
});
