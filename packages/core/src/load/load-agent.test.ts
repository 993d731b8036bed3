import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AgentFileError, compileSession, loadAgent } from "../index.ts";

const fixtures = new URL("../../test/fixtures/", import.meta.url).pathname;
const valid = (file: string) => join(fixtures, "valid", file);

describe("the three styles of agent file", () => {
  it("YAML, Markdown and TypeScript versions of one agent compile to the same bytes", async () => {
    const compiled = await Promise.all(
      ["yaml", "md", "ts"].map(async (ext) =>
        JSON.stringify(compileSession(await loadAgent(valid(`styles/front-desk.agent.${ext}`)))),
      ),
    );
    expect(compiled[1]).toBe(compiled[0]);
    expect(compiled[2]).toBe(compiled[0]);
    expect(JSON.parse(compiled[0] as string).session.instructions).toContain(
      "Help guests with their bookings at Hotel Larch.",
    );
  });

  it("the Markdown body becomes the instructions", async () => {
    const agent = await loadAgent(valid("styles/front-desk.agent.md"));
    expect(agent.config.instructions).toBe(
      "Help guests with their bookings at {{hotel}}.\nLook bookings up before answering.",
    );
  });
});

describe("extends", () => {
  it("merges bases left to right under the child, by the documented rules", async () => {
    const agent = await loadAgent(valid("extends/desk.agent.yaml"));
    const c = agent.config;
    // scalars: the later base wins over the earlier, the child over both
    expect(c.voice).toBe("cedar");
    // mappings merge key by key
    expect(c.variables).toEqual({ company: "Larch Hotels", region: "US", team: "Reservations" });
    expect(c.persona).toMatchObject({
      tone: "formal",
      language: "English",
      role: "the reservations desk of {{company}}",
    });
    expect(c.audio?.input?.noiseReduction).toBe("far_field");
    expect(c.audio?.input?.turnDetection).toEqual({ type: "server_vad", silenceDuration: 800 });
    // plain lists are replaced
    expect(c.persona?.style).toEqual(["Confirm dates twice."]);
    // tools and mcp accumulate; the same name replaces in place
    expect(agent.tools.map((t) => [t.name, t.timeout])).toEqual([
      ["lookup_booking", 9000],
      ["ring_bell", "5s"],
      ["cancel_booking", undefined],
    ]);
    expect(c.mcp).toEqual([{ label: "wiki", url: "https://wiki.example.com/v2/mcp" }]);
    expect(c.metadata).toEqual({ owner: "reservations" });
    expect(c.filler).toEqual({ after: 2000, lines: ["One moment, please."] });
    expect(c.extends).toBeUndefined();
    expect(agent.files).toEqual(
      expect.arrayContaining([
        valid("extends/company.yaml"),
        valid("extends/team.yaml"),
        join(fixtures, "shared/handlers.ts"),
      ]),
    );
  });
});

describe("tool packs", () => {
  it("applies except, rename, overrides and options, and stamps the origin", async () => {
    const agent = await loadAgent(valid("packs.agent.yaml"));
    const byName = Object.fromEntries(agent.tools.map((t) => [t.name, t]));
    expect(Object.keys(byName)).toEqual(["ring_front_desk_bell", "call_porter", "call_lift"]);
    expect(byName.call_porter).toMatchObject({
      approval: "never",
      timeout: 20000,
      description: "Send a porter to a room.",
    });
    // the pack's defaults fill what its tools leave open
    expect(byName.ring_front_desk_bell).toMatchObject({
      timeout: "5s",
      filler: { after: "2s", lines: ["One moment."] },
    });
    expect(byName.call_lift?.description).toBe("Call the lift to floor 3.");
    expect(byName.call_lift?.origin).toEqual({
      kind: "pack",
      pack: "lifts@0.2.0",
      file: join(fixtures, "shared/options-pack.ts"),
    });
    expect(await byName.ring_front_desk_bell?.run({}, {} as never)).toEqual({ rung: true });
  });
});

describe("handlers", () => {
  it("a defineTool export brings its own name, description and parameters; a plain function gets them from the file", async () => {
    const agent = await loadAgent(valid("policies.agent.yaml"));
    const [lookup, cancel] = agent.tools;
    expect(lookup).toMatchObject({
      name: "lookup_booking",
      description: "Find a booking by its reference.",
      origin: { kind: "inline", file: valid("policies.agent.yaml") },
    });
    expect(await cancel?.run({ reference: "VIP-1" }, {} as never)).toEqual({ cancelled: "VIP-1" });
    expect(cancel?.parameters).toEqual({ type: "object", properties: {} });
  });

  it("folds the agent-wide filler and approval policy into each tool", async () => {
    const agent = await loadAgent(valid("policies.agent.yaml"));
    const [lookup, cancel] = agent.tools;
    expect(lookup?.filler).toEqual({ after: 3000, every: 3000, max: 2, lines: ["Still on it."] });
    expect(lookup?.approval).toBe("never");
    expect(cancel?.filler).toBe(false);
    expect(cancel?.approval).toEqual({
      when: "'VIP' in args.reference",
      timeout: 45000,
      onTimeout: "reject",
      approver: "console",
    });
  });

  describe("reloading after an edit", () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-reload-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("sees the new code of a handler and of the files it imports", async () => {
      const agentFile = join(dir, "reload.agent.yaml");
      writeFileSync(
        agentFile,
        "name: reload\ntools:\n  - name: answer\n    description: The answer.\n    handler: ./answer.ts#answer\n",
      );
      writeFileSync(
        join(dir, "answer.ts"),
        'import { value } from "./value.ts";\nexport const answer = () => value;\n',
      );
      writeFileSync(join(dir, "value.ts"), "export const value = 1;\n");
      const first = await loadAgent(agentFile);
      expect(await first.tools[0]?.run({}, {} as never)).toBe(1);
      expect(first.files).toEqual(
        expect.arrayContaining([join(dir, "answer.ts"), join(dir, "value.ts")]),
      );
      writeFileSync(join(dir, "value.ts"), "export const value = 2;\n");
      const later = new Date(Date.now() + 5000);
      utimesSync(join(dir, "value.ts"), later, later);
      const second = await loadAgent(agentFile);
      expect(await second.tools[0]?.run({}, {} as never)).toBe(2);
    });
  });
});

describe("environment variables", () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the agent file's own ${env:…} syntax, not a template
  it("interpolates ${env:NAME} and ${env:NAME:-default}", async () => {
    const agent = await loadAgent(valid("env.agent.yaml"), {
      env: { PARLEY_FIXTURE_CRM_TOKEN: "tok_123", PARLEY_FIXTURE_REGION: "us" },
    });
    expect(agent.config.mcp?.[0]).toMatchObject({
      url: "https://crm.example.com/mcp",
      authorization: "Bearer tok_123",
      headers: { "X-Region": "us" },
    });
    expect(agent.warnings).toEqual([]);
  });

  it("a missing variable is a located error for a session, and a warning when only validating", async () => {
    const error = await loadAgent(valid("env.agent.yaml"), { env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentFileError);
    expect((error as AgentFileError).problems).toEqual([
      expect.objectContaining({
        code: "missing_env",
        line: 5,
        col: 20,
        path: "mcp[0].authorization",
        severity: "error",
      }),
    ]);
    const lenient = await loadAgent(valid("env.agent.yaml"), { env: {}, missingEnv: "warn" });
    expect(lenient.warnings).toEqual([
      expect.objectContaining({ code: "missing_env", severity: "warning" }),
    ]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the agent file's own ${env:…} syntax, not a template
    expect(lenient.config.mcp?.[0]?.authorization).toBe("Bearer ${env:PARLEY_FIXTURE_CRM_TOKEN}");
  });

  it("never echoes a key that landed in the wrong field", async () => {
    const key = "sk-proj-abcdefgh12345678";
    const text = `name: leaky
instructions: Hi.
voice: "\${env:PARLEY_FIXTURE_VOICE}"
mcp:
  - label: crm
    url: "\${env:PARLEY_FIXTURE_VOICE}"
`;
    const error = await loadAgent("/virtual/leaky.agent.yaml", {
      readFile: async () => text,
      env: { PARLEY_FIXTURE_VOICE: key },
    }).catch((e: unknown) => e);
    const problems = (error as AgentFileError).problems;
    expect(problems.map((p) => p.code)).toEqual(["invalid_value", "invalid_format"]);
    expect(JSON.stringify(problems)).not.toContain("abcdefgh");
    expect(JSON.stringify(problems)).toContain("[redacted]");
  });
});

describe("reading through an injected reader", () => {
  it("loads from the reader instead of the disk", async () => {
    const agent = await loadAgent("/virtual/agent.agent.yaml", {
      readFile: async () => "name: virtual\nvoice: sage\n",
    });
    expect(agent).toMatchObject({
      name: "virtual",
      file: "/virtual/agent.agent.yaml",
      files: ["/virtual/agent.agent.yaml"],
      tools: [],
    });
    expect(agent.config.model).toBe("gpt-realtime");
  });
});

describe("the model name", () => {
  it("accepts names it does not know, and warns about a near miss of one it knows", async () => {
    const load = (model: string) =>
      loadAgent("/virtual/m.agent.yaml", { readFile: async () => `name: m\nmodel: ${model}\n` });
    expect((await load("gpt-realtime-7")).warnings).toEqual([]);
    expect((await load("gpt-realtme")).warnings).toEqual([
      expect.objectContaining({
        code: "unknown_model",
        line: 2,
        col: 8,
        hint: 'did you mean "gpt-realtime"?',
        severity: "warning",
      }),
    ]);
    // A model of another API (not a Realtime one): a warning naming the Realtime models.
    expect((await load("gpt-4o")).warnings).toEqual([
      expect.objectContaining({
        code: "unknown_model",
        line: 2,
        col: 8,
        hint: expect.stringMatching(/^Realtime models: gpt-realtime, .*gpt-realtime-mini/),
        severity: "warning",
      }),
    ]);
  });
});

describe("Markdown agent files", () => {
  it("accept Windows line endings and keep positions in the front matter", async () => {
    const text = "---\r\nname: crlf\r\nvoice: marine\r\n---\r\nHello.\r\n";
    const error = await loadAgent("/virtual/crlf.agent.md", { readFile: async () => text }).catch(
      (e: unknown) => e,
    );
    expect((error as AgentFileError).problems).toEqual([
      expect.objectContaining({ code: "invalid_value", line: 3, col: 8 }),
    ]);
    const ok = await loadAgent("/virtual/crlf.agent.md", {
      readFile: async () => text.replace("marine", "marin"),
    });
    expect(ok.config.instructions).toBe("Hello.");
  });
});
