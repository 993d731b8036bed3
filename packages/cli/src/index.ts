export { main } from "./main.ts";
// Scenarios, for running them from your own test runner (what `agent test` does, one scenario at a time).
export { ScenarioFileError, type ScenarioProblem } from "./scenario/errors.ts";
export { loadScenarioFile, parseScenarioFile } from "./scenario/load.ts";
export { formatJunitReport } from "./scenario/report-junit.ts";
export { formatTextReport } from "./scenario/report-text.ts";
export {
  type RunSummary,
  type ScenarioResult,
  type StepResult,
  summarize,
  type TranscriptLine,
} from "./scenario/result.ts";
export { type RunScenarioOptions, runScenario } from "./scenario/run.ts";
export { type Scenario, type Step, scenarioFileSchema } from "./scenario/schema.ts";
export { compileScript, type ScriptTurn } from "./scenario/script.ts";
