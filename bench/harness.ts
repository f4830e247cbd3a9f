/**
 * A benchmark case measures one or more subjects next to a baseline run in the same process,
 * in the same run, so that the printed ratio (subject / baseline) means something on any machine.
 */
export interface BenchTask {
  name: string;
  fn: () => unknown;
}

export interface BenchCase {
  /** Shown as the group title, e.g. "asn1: GetEimPackageResponse encode+decode". */
  name: string;
  /** What one iteration is, e.g. "message", "poll", "request". */
  unit: string;
  baseline: BenchTask;
  subjects: BenchTask[];
  /** Milliseconds each task is run for (default 1000). */
  time?: number;
  setup?: () => Promise<void> | void;
  teardown?: () => Promise<void> | void;
}

export function defineBench(c: BenchCase): BenchCase {
  return c;
}
