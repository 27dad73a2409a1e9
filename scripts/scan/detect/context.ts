/**
 * Where a finding sits: test code, fixtures, examples and documentation hold sample
 * credentials far more often than live ones, so their findings are marked, not dropped.
 * The paths are core/samples.ts's, the list migrate skips by default.
 */
import { samplePathContext, type SampleContext } from "../../../core/samples.ts";

export type FindingContext = SampleContext;

/** The first kind of path that matches: fixtures before tests, as `test/fixtures/` is both. */
export function pathContext(path: string): FindingContext | undefined {
  return samplePathContext(path);
}
