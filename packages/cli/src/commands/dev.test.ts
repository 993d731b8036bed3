import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PtySession, runCli, testEnv } from "../../test/helpers/cli.ts";

const fixture = join(import.meta.dirname, "../../test/fixtures/dev");
let dir: string;
let agentFile: string;
let pty: PtySession | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "parley-dev-"));
  cpSync(fixture, dir, { recursive: true });
  agentFile = join(dir, "desk.agent.yaml");
});
afterEach(() => {
  pty?.kill();
  pty = undefined;
  rmSync(dir, { recursive: true, force: true });
});

// Real processes on a shared machine: generous time, the assertions stay exact.
describe("agent dev in a terminal", { timeout: 120_000 }, () => {
  it("talks, shows a tool call with its filler, asks for approval, reloads on save and quits", async () => {
    pty = new PtySession(["dev", agentFile], { cwd: dir });
    await pty.waitFor("costs shown are estimates at API prices");
    await pty.waitFor("Ctrl-D or /quit");
    let at = await pty.waitFor(/agent\s+Hello from the desk\./);

    pty.type("look up booking ABC\r");
    at = await pty.waitFor(/you\s+look up booking ABC/, { from: at });
    // The filler is marked as a filler, the call shows its arguments, elapsed time and outcome.
    await pty.waitFor(/filler\s+Hang on, checking the ledger\./, { from: at });
    at = await pty.waitFor(
      /✓ lookup_booking \{"ref":"ABC"\} (?:\d+ms|\d+(?:\.\d)?s) → \{"ref":"ABC","status":"confirmed"\}/,
      { from: at },
    );
    at = await pty.waitFor(/agent\s+.*confirmed/, { from: at });
    // Offline nothing is billed: the figure is what the same tokens would cost at API prices.
    await pty.waitFor(
      /local · gpt-realtime · ~\$\d\.\d{4} est\. · last turn: first audio \d+(?:ms|\.\ds) · answer \d+(?:ms|\.\ds)/,
      { from: at },
    );

    pty.type("refund me 40 euros\r");
    at = await pty.waitFor(
      /approve\s+Allow refund\(\{"amount":40\}\)\? \(this tool always needs approval\)/,
      { from: at },
    );
    await pty.waitFor(/⠿?.*refund \{"amount":40\} \S+ waiting for approval/, { from: at });
    at = await pty.waitFor("? allow? [y/n]", { from: at });
    pty.type("maybe\r");
    at = await pty.waitFor("please answer y or n", { from: at });
    pty.type("y\r");
    at = await pty.waitFor(/\? refund approved by terminal/, { from: at });
    at = await pty.waitFor(/✓ refund \{"amount":40\}/, { from: at });

    // Save a change mid-conversation: the session is updated and the conversation goes on.
    writeFileSync(
      agentFile,
      readFileSync(agentFile, "utf8").replace("never guess.", "never guess; be brief."),
    );
    at = await pty.waitFor(/reloaded in \d+ ms: instructions/, { from: at });
    pty.type("look up booking ABC\r");
    at = await pty.waitFor(/✓ lookup_booking/, { from: at });

    pty.type("/quit\r");
    expect(await pty.exited()).toBe(0);
    expect(pty.text).toMatch(/session ended · \d+ turns · 3 tool calls · ~\$\d/);
    expect(pty.text).not.toMatch(/at .*\.ts:\d+/); // no stack trace anywhere
  });

  it("at 80 columns: fillers before the outcome they covered, Ctrl-C denies an approval, /quit sums up", async () => {
    // Real time, so the filler is still being spoken when the tool's result is in.
    pty = new PtySession(["dev", agentFile, "--pace", "1"], { cwd: dir, cols: 80 });
    // A slow start on a busy machine is not what this test is about.
    let at = await pty.waitFor(/agent\s+Hello from the desk\./, { timeoutMs: 40_000 });
    pty.type("look up booking ABC\r");
    at = await pty.waitFor(/agent\s+.*confirmed/, { from: at });
    const turn = pty.text;
    const filler = turn.search(/filler\s+Hang on, checking the ledger\.\n/);
    const outcome = turn.search(/✓ lookup_booking/);
    expect(filler).toBeGreaterThan(0);
    expect(outcome).toBeGreaterThan(filler);
    // The outcome fits one row: its JSON is cut with an ellipsis, never wrapped mid-token by the terminal.
    const row = turn.slice(outcome).split("\n")[0] as string;
    expect([...row].length).toBeLessThanOrEqual(80);
    expect(row).toMatch(/✓ lookup_booking \{"ref":"ABC"\} \S+ → \{"ref":"ABC",.*[}…]$/);

    pty.type("refund me 40 euros\r");
    at = await pty.waitFor("? allow? [y/n]", { from: at });
    pty.type("\u0003"); // Ctrl-C at the prompt: no to this call, the session goes on
    at = await pty.waitFor("denied with Ctrl-C · Ctrl-C again to quit", { from: at });
    at = await pty.waitFor(/\? refund denied by terminal/, { from: at });
    // The person's time at the prompt is reported apart from the agent's answer time.
    at = await pty.waitFor(/── local · ~\$\S+ est\. · audio \S+ · answer \S+ · approval \S+/, {
      from: at,
    });
    pty.type("/quit\r");
    expect(await pty.exited()).toBe(0);
    const end = pty.text.slice(at);
    expect(end).toMatch(
      /session ended · 2 turns · 2 tool calls · ~\$\d\.\d{4} \(estimate at API prices\) · first audio median \S+ · answer median \S+/,
    );
    const saved = /transcript saved to (\S+) \(secrets redacted\)/.exec(end)?.[1] as string;
    const transcript = readFileSync(join(dir, saved), "utf8");
    expect(transcript).toMatch(/user: look up booking ABC\n.*tool: lookup_booking \{"ref":"ABC"\}/);
    expect(transcript).toContain("approval: refund denied by terminal");
  });

  it("a second Ctrl-C after a denial quits", async () => {
    pty = new PtySession(["dev", agentFile], { cwd: dir });
    let at = await pty.waitFor(/agent\s+Hello from the desk\./, { timeoutMs: 40_000 });
    pty.type("refund me 40 euros\r");
    at = await pty.waitFor("? allow? [y/n]", { from: at });
    pty.type("\u0003");
    await pty.waitFor("Ctrl-C again to quit", { from: at });
    pty.type("\u0003");
    expect(await pty.exited()).toBe(0);
  });

  it("shows located errors for an invalid save and keeps the previous version running", async () => {
    pty = new PtySession(["dev", agentFile], { cwd: dir });
    let at = await pty.waitFor(/Hello from the desk\./);
    writeFileSync(
      agentFile,
      readFileSync(agentFile, "utf8").replace("instructions:", "instrucions:"),
    );
    at = await pty.waitFor(/desk\.agent\.yaml:4:1/, { from: at });
    await pty.waitFor(/did you mean "instructions"\?/, { from: at });
    at = await pty.waitFor("the previous version keeps running", { from: at });
    pty.type("look up booking ABC\r");
    await pty.waitFor(/✓ lookup_booking/, { from: at });
    pty.type("\u0004"); // Ctrl-D
    expect(await pty.exited()).toBe(0);
  });

  it("re-imports an edited tool handler (the next call runs the new code) and watches the files it extends", async () => {
    pty = new PtySession(["dev", agentFile], { cwd: dir });
    let at = await pty.waitFor(/Hello from the desk\./);
    const tools = join(dir, "desk-tools.ts");
    writeFileSync(
      tools,
      readFileSync(tools, "utf8").replace('status: "confirmed"', 'status: "moved to room 12"'),
    );
    at = await pty.waitFor(/reloaded in \d+ ms: re-imported desk-tools\.ts/, { from: at });
    pty.type("look up booking ABC\r");
    await pty.waitFor(
      /✓ lookup_booking \{"ref":"ABC"\} (?:\d+ms|\d+(?:\.\d)?s) → \{"ref":"ABC","status":"moved to room 12"\}/,
      { from: at },
    );

    // A file it extends is watched too.
    writeFileSync(join(dir, "house.yaml"), "persona:\n  tone: brisk\n");
    await pty.waitFor(/reloaded in \d+ ms: persona/, { from: at });
    pty.type("/quit\r");
    expect(await pty.exited()).toBe(0);
  });

  it("gives an agent that had no tools its first tool on save", async () => {
    const bare = join(dir, "bare.agent.yaml");
    writeFileSync(bare, "name: bare\ninstructions: You help.\ngreeting: Hi.\n");
    pty = new PtySession(["dev", bare], { cwd: dir });
    let at = await pty.waitFor(/agent\s+Hi\./);
    const desk = readFileSync(agentFile, "utf8");
    const tool = desk.slice(desk.indexOf("tools:"), desk.indexOf("  - name: refund"));
    writeFileSync(bare, `name: bare\ninstructions: You help.\ngreeting: Hi.\n${tool}`);
    at = await pty.waitFor(/reloaded in \d+ ms: .*tools \+lookup_booking/, { from: at });
    pty.type("look up booking ABC\r");
    await pty.waitFor(/✓ lookup_booking \{"ref":"ABC"\}/, { from: at });
    pty.type("/quit\r");
    expect(await pty.exited()).toBe(0);
  });

  it("interrupts the agent mid-sentence and shows where it was cut off", async () => {
    // Real-time pace and a long greeting, so there is a sentence in progress to cut.
    const long =
      "Hello from the desk, where we are always happy to help with bookings, rooms, taxis and dinner tables, day and night, all year round.";
    writeFileSync(
      agentFile,
      readFileSync(agentFile, "utf8").replace(
        "greeting: Hello from the desk.",
        `greeting: ${long}`,
      ),
    );
    pty = new PtySession(["dev", agentFile, "--pace", "1"], { cwd: dir });
    let at = await pty.waitFor(/agent\s+Hello …/);
    pty.type("/interrupt\r");
    at = await pty.waitFor("interrupted", { from: at });
    await pty.waitFor(/agent\s+Hello[^\n]* — cut off/, { from: at });
    expect(pty.text).not.toContain("all year round.");
    pty.type("/quit\r");
    expect(await pty.exited()).toBe(0);
  });

  it("runs commands: /vars, /call, /help, and explains unknown ones", async () => {
    pty = new PtySession(["dev", agentFile, "--var", "guest=Ada"], { cwd: dir });
    let at = await pty.waitFor(/Hello from the desk\./);
    pty.type("/vars\r");
    at = await pty.waitFor('variables: {"guest":"Ada"}', { from: at });
    pty.type('/call lookup_booking {"ref":"ZZ9"}\r');
    at = await pty.waitFor(/✓ lookup_booking \{"ref":"ZZ9"\}/, { from: at });
    pty.type("/frobnicate\r");
    at = await pty.waitFor("unknown command /frobnicate", { from: at });
    pty.type("/help\r");
    await pty.waitFor("/call <tool> <json>", { from: at });
    pty.type("\u0003"); // Ctrl-C on an empty line leaves
    expect(await pty.exited()).toBe(0);
  });
});

// Real processes on a shared machine: generous time, the assertions stay exact.
describe("agent dev piped", { timeout: 120_000 }, () => {
  it("reads one user line per input line, prints a plain transcript and exits when input ends", async () => {
    const { code, stdout, stderr } = await runCli(["dev", agentFile], {
      cwd: dir,
      input: "look up booking ABC\nrefund me 40 euros\ny\n",
    });
    expect(stderr).toContain("embedded local Realtime server");
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines).toEqual([
      "agent: Hello from the desk.",
      "user: look up booking ABC",
      'tool: lookup_booking {"ref":"ABC"}',
      "filler: Hang on, checking the ledger.",
      expect.stringMatching(
        /^tool: lookup_booking completed in (?:\d+ms|\d+(?:\.\d)?s) → \{"ref":"ABC","status":"confirmed"\}$/,
      ),
      expect.stringMatching(/^agent: .*confirmed/),
      "user: refund me 40 euros",
      'tool: refund {"amount":40}',
      expect.stringMatching(/^approval\? Allow refund\(\{"amount":40\}\)\? .* \[y\/n\]$/),
      "approval: refund approved by terminal",
      expect.stringMatching(
        /^tool: refund completed in (?:\d+ms|\d+(?:\.\d)?s) → \{"refunded":40\}$/,
      ),
      expect.stringMatching(/^agent: .*40/),
    ]);
  });

  it("sends images, interrupts, and reports a bad command without stopping", async () => {
    const { code, stdout, stderr } = await runCli(["dev", agentFile], {
      cwd: dir,
      input:
        "/image ./pixel.png what colour is this?\n/image ./missing.png\n/interrupt\n/call\nlook up booking ABC\n",
    });
    expect(code).toBe(0);
    expect(stdout).toContain("user: [image ./pixel.png] what colour is this?\nagent: ");
    expect(stderr).toMatch(/missing\.png/);
    expect(stderr).toContain("# nothing to interrupt: the agent is not speaking");
    expect(stderr).toContain("usage: /call <tool> <json arguments>");
    expect(stdout).toMatch(/user: look up booking ABC\ntool: lookup_booking \{"ref":"ABC"\}/);
  });

  it("says how to get sox when --audio cannot find it, and goes on with typing", async () => {
    const { code, stdout, stderr } = await runCli(["dev", agentFile, "--audio"], {
      cwd: dir,
      input: "look up booking ABC\n",
      env: testEnv({ PATH: dirname(process.execPath) }),
    });
    expect(code).toBe(0);
    expect(stderr).toContain("--audio needs sox (`rec` and `play`): install it");
    expect(stdout).toContain('tool: lookup_booking {"ref":"ABC"}');
  });

  it("talks to any Realtime server given with --url", async () => {
    const { startLocalRealtime } = await import("@parley/local-realtime");
    const server = await startLocalRealtime({ pace: 0 });
    try {
      const { code, stdout, stderr } = await runCli(["dev", agentFile, "--url", server.url], {
        cwd: dir,
        input: "look up booking ABC\n",
      });
      expect(code).toBe(0);
      expect(stderr).toContain(`# Running against ${server.url}.`);
      expect(stdout).toContain('tool: lookup_booking {"ref":"ABC"}');
    } finally {
      await server.close();
    }
  });

  it("ends normally when the agent's cost budget runs out, ignoring input left over", async () => {
    const tiny = join(dir, "tiny.agent.yaml");
    writeFileSync(
      tiny,
      "name: tiny\ninstructions: You help.\ngreeting: Hello there.\nlimits: { costBudgetUsd: 0.001 }\n",
    );
    const { code, stdout, stderr } = await runCli(["dev", tiny], {
      cwd: dir,
      input: "hello\nhello again\n",
    });
    expect(code).toBe(0);
    expect(stderr).toMatch(/# the session ended: the cost budget of \$0\.001 would be exceeded/);
    expect(stdout).not.toContain("user: hello");
    expect(stderr).not.toContain("the session is closed");
  });

  it("needs an API key for --live, and a usable --pace", async () => {
    const live = await runCli(["dev", agentFile, "--live"], { cwd: dir });
    expect(live.code).toBe(1);
    expect(live.stderr).toContain("--live needs OPENAI_API_KEY");
    const pace = await runCli(["dev", agentFile, "--pace", "fast"], { cwd: dir });
    expect(pace.code).toBe(2);
    expect(pace.stderr).toContain(
      'pace must be a number ≥ 0 (1 = real time, 0 = as fast as possible), got "fast"',
    );
  });

  it("runs an agent whose secrets are unset offline, with a warning", async () => {
    const support = join(import.meta.dirname, "../../../../agents/support/support.agent.md");
    const { code, stdout, stderr } = await runCli(["dev", support], {
      cwd: dir,
      input: "hello\n",
      timeoutMs: 60_000,
    });
    expect(stderr).toMatch(/warning\[missing_env\] .*support\.agent\.md:\d+:\d+/);
    expect(stderr).toContain("HELPDESK_MCP_TOKEN is not set");
    expect(stdout).toContain("user: hello\nagent: ");
    expect(code).toBe(0);
  });

  it("fails with the located problems of an invalid agent file, without a stack trace", async () => {
    writeFileSync(agentFile, "name: desk\nvoice: marine\n");
    const { code, stdout, stderr } = await runCli(["dev", agentFile], {
      cwd: dir,
      input: "hello\n",
    });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/desk\.agent\.yaml:2:8/);
    expect(stderr).toContain('did you mean "marin"?');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
