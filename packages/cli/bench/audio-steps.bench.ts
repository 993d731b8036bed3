// `agent test` determinism: the audio scenario (speech audio → tool call → filler → answer) run many times in one
// process must pass every time, whatever the machine's load (turn ends come from protocol events, never from a
// quiet spell). Run it with both cores busy (`node -e 'for(;;);' &` twice) to check the claim. `PARLEY_AUDIO_RUNS`
// (default 100) sets the count. Run: `pnpm bench audio-steps`.
import { join } from "node:path";
import { loadScenarioFile } from "../src/scenario/load.ts";
import { runScenario } from "../src/scenario/run.ts";

const runs = Number(process.env.PARLEY_AUDIO_RUNS ?? 100);
const file = join(import.meta.dirname, "../test/fixtures/scenarios/weather.test.yaml");
const [audio] = await loadScenarioFile(file);
let passed = 0;
for (let i = 0; i < runs; i++) {
  const result = await runScenario(audio as never);
  if (result.status === "passed") passed++;
  else
    console.log(
      `run ${i + 1} failed: ${result.error ?? result.steps.find((s) => s.status === "failed")?.message}`,
    );
}
console.log(
  `audio scenario: ${passed}/${runs} passed (target ${runs}/${runs}) ${passed === runs ? "PASS" : "FAIL"}`,
);
process.exit(passed === runs ? 0 : 1);
