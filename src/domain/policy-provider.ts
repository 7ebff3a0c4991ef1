import { DEFAULT_POLICY, parsePolicy, type Policy } from './policy';
import type { PolicyStore } from './stores';

export interface PolicyProblemSink {
  (problem: string): void;
}

/**
 * Keeps the admin policy in memory so that authorization never waits for the
 * settings table. `refresh()` is called on a timer and on ReloadPolicy; when
 * the database is unreachable the last known policy stays in force.
 */
export class PolicyProvider {
  private policy: Policy = DEFAULT_POLICY;
  private lastProblems = '';

  constructor(
    private readonly store: PolicyStore,
    private readonly reportProblem: PolicyProblemSink,
  ) {}

  current(): Policy {
    return this.policy;
  }

  private started = 0;
  private applied = 0;

  /**
   * Reads the settings again. A refresh that finishes after a newer one has
   * been applied is dropped, so a slow timer read cannot undo a reload.
   */
  async refresh(): Promise<Policy> {
    const ticket = ++this.started;
    const parsed = parsePolicy(await this.store.loadSettings());
    if (ticket < this.applied) return this.policy;

    this.applied = ticket;
    const problems = parsed.problems.join('; ');
    if (problems && problems !== this.lastProblems) this.reportProblem(problems);
    this.lastProblems = problems;
    this.policy = parsed.policy;
    return this.policy;
  }
}
