/**
 * Where a finding sits: test code, fixtures, examples and documentation hold sample
 * credentials far more often than live ones, so their findings are marked, not dropped.
 */
export type FindingContext = "test" | "fixture" | "example" | "docs";

const RULES: [FindingContext, RegExp][] = [
  ["fixture", /(?:^|\/)(?:fixtures?|__fixtures__|testdata|test-data|test_data|mocks?|__mocks__|stubs?|snapshots?|__snapshots__|cassettes?|vcr)(?:\/|$)|\.snap$/i],
  ["test", /(?:^|\/)(?:tests?|__tests__|spec|specs|e2e|integration-tests?|unit-tests?|testing|testutils?)(?:\/|$)|(?:^|\/)test_[^/]*$|[._-](?:test|tests|spec)\.[a-z0-9]+$|_test\.go$|Tests?\.(?:java|kt|cs|swift|scala)$|(?:^|\/)conftest\.py$/i],
  ["example", /(?:^|\/)(?:examples?|samples?|demos?|tutorials?|quickstart|playground)(?:\/|$)|\.(?:example|sample|template|dist|tmpl|tpl)$|(?:^|\/)[^/]*\.(?:example|sample)\.[a-z0-9]+$/i],
  ["docs", /(?:^|\/)(?:docs?|documentation|man|website|site|wiki)(?:\/|$)|\.(?:md|mdx|markdown|rst|adoc|asciidoc)$|(?:^|\/)(?:README|CHANGELOG|CONTRIBUTING)[^/]*$/i],
];

/** The first kind of path that matches: fixtures before tests, as `test/fixtures/` is both. */
export function pathContext(path: string): FindingContext | undefined {
  const relative = path.replace(/^s3:\/\/[^/]+\//, "");
  for (const [context, pattern] of RULES) if (pattern.test(relative)) return context;
  return undefined;
}
