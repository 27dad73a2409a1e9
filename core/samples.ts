/**
 * Where test code, fixtures, examples and documentation live: the values there are samples
 * far more often than live credentials. One list, in gitignore syntax (case-insensitive):
 * the scanner marks findings there with their kind, and migrate skips them by default
 * (config `migrate.skipPaths`).
 */
import ignore from "ignore";

export type SampleContext = "test" | "fixture" | "example" | "docs";

const TEST_CLASSES = ["java", "kt", "cs", "swift", "scala"].flatMap((extension) => [`*Test.${extension}`, `*Tests.${extension}`]);

/** In the order they are tried: fixtures before tests, as `test/fixtures/` is both. A name without `/` matches a file or a directory at any depth. */
export const SAMPLE_PATHS: readonly (readonly [SampleContext, readonly string[]])[] = [
  [
    "fixture",
    ["fixture", "fixtures", "__fixtures__", "testdata", "test-data", "test_data", "mock", "mocks", "__mocks__", "stub", "stubs", "snapshot", "snapshots", "__snapshots__", "cassette", "cassettes", "vcr", "*.snap"],
  ],
  [
    "test",
    [
      "test", "tests", "__tests__", "spec", "specs", "e2e", "integration-test", "integration-tests", "unit-test", "unit-tests", "testing", "testutil", "testutils",
      "test_*", "*.test.*", "*_test.*", "*-test.*", "*.tests.*", "*_tests.*", "*-tests.*", "*.spec.*", "*_spec.*", "*-spec.*", ...TEST_CLASSES, "conftest.py",
    ],
  ],
  [
    "example",
    ["example", "examples", "sample", "samples", "demo", "demos", "tutorial", "tutorials", "quickstart", "playground", "*.example", "*.sample", "*.template", "*.dist", "*.tmpl", "*.tpl", "*.example.*", "*.sample.*"],
  ],
  ["docs", ["doc", "docs", "documentation", "man", "website", "site", "wiki", "*.md", "*.mdx", "*.markdown", "*.rst", "*.adoc", "*.asciidoc", "README*", "CHANGELOG*", "CONTRIBUTING*"]],
];

/** Every sample path glob: the default of `migrate.skipPaths`. */
export const DEFAULT_SAMPLE_PATHS: readonly string[] = SAMPLE_PATHS.flatMap(([, globs]) => globs);

/** A matcher for gitignore-style globs over a path relative to its root, or an `s3://bucket/key`. */
export function pathGlobMatcher(globs: readonly string[]): (file: string) => boolean {
  if (globs.length === 0) return () => false;
  const matcher = ignore().add([...globs]);
  return (file) => {
    const relative = file.replace(/^s3:\/\/[^/]+\//, "").replace(/^\/+/, "");
    try {
      return relative !== "" && matcher.ignores(relative);
    } catch {
      // A path `ignore` refuses (`../x`) is outside the root: no glob of the root names it.
      return false;
    }
  };
}

const MATCHERS = SAMPLE_PATHS.map(([context, globs]) => [context, pathGlobMatcher(globs)] as const);

/** The first kind of sample path that `file` is in, or undefined for any other file. */
export function samplePathContext(file: string): SampleContext | undefined {
  return MATCHERS.find(([, matches]) => matches(file))?.[0];
}
