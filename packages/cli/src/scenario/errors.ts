import { formatProblems, ParleyError } from "@parley/core";

/** One thing wrong in a scenario file, with where it is. */
export interface ScenarioProblem {
  file: string;
  line: number;
  col: number;
  /** Field path, like `scenarios[0].steps[2].expect_tool`. */
  path: string;
  message: string;
}

/**
 * A scenario file that cannot be read or is not valid. `problems` carry `file:line:col`.
 *
 * @example
 * try { await loadScenarioFile("concierge.test.yaml") } catch (e) { if (e instanceof ScenarioFileError) console.log(e.problems) }
 */
export class ScenarioFileError extends ParleyError<"scenario_invalid"> {
  readonly problems: ScenarioProblem[];
  /** Source text by file, for code frames. */
  readonly sources: Record<string, string>;

  constructor(problems: ScenarioProblem[], sources: Record<string, string> = {}, message?: string) {
    const first = problems[0];
    super(
      "scenario_invalid",
      message ??
        (first
          ? `${problems.length === 1 ? "1 problem" : `${problems.length} problems`} in ${first.file}`
          : "invalid scenario file"),
      first ? { location: { file: first.file, line: first.line, col: first.col } } : undefined,
    );
    this.problems = problems;
    this.sources = sources;
  }

  /** Every problem with a code frame, in the same format as agent file problems. */
  format(options: Parameters<typeof formatProblems>[2] = {}): string {
    return formatProblems(
      this.problems.map((p) => ({ code: "scenario_invalid", severity: "error" as const, ...p })),
      this.sources,
      options,
    );
  }
}
