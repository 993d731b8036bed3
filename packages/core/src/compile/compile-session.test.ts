import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { validateAgainstSchema } from "@parley/local-realtime/conformance";
import { describe, expect, it } from "vitest";
import {
  CompileError,
  compileClientSecretBody,
  compileSession,
  compileSipAcceptBody,
  type LoadedAgent,
  loadAgent,
  redact,
  renderGreeting,
  renderTemplate,
} from "../index.ts";

const root = new URL("../../../../", import.meta.url).pathname;
const golden = new URL("../../test/golden/", import.meta.url).pathname;
const EXAMPLES = {
  "hotel-concierge": "agents/hotel-concierge/concierge.agent.yaml",
  support: "agents/support/support.agent.md",
  billing: "agents/support/billing.agent.md",
  "order-desk": "agents/order-desk/order-desk.agent.ts",
};
// Secrets the examples read from the environment; fixed so the compiled output is the same everywhere.
const env = { HELPDESK_MCP_TOKEN: "test-helpdesk-token" };
const load = (file: string): Promise<LoadedAgent> => loadAgent(join(root, file), { env });

describe.each(Object.entries(EXAMPLES))("example agent %s", (name, file) => {
  it("compiles to its reviewed golden session.update (secrets redacted)", async () => {
    const text = `${JSON.stringify(redact(compileSession(await load(file))), null, 2)}\n`;
    const path = join(golden, `${name}.session.json`);
    // UPDATE_GOLDEN=1 rewrites the file; review the diff like code.
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(path, text);
    expect(existsSync(path), `${path} is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(
      true,
    );
    expect(text).toBe(readFileSync(path, "utf8"));
  });

  it("compiles to an event the official spec accepts as RealtimeClientEventSessionUpdate", async () => {
    const event = compileSession(await load(file));
    expect(validateAgainstSchema("RealtimeClientEventSessionUpdate", event)).toEqual([]);
  });

  it("gives the bodies for a client secret and for accepting a SIP call that the spec accepts", async () => {
    const agent = await load(file);
    expect(
      validateAgainstSchema(
        "RealtimeCreateClientSecretRequest",
        compileClientSecretBody(agent, { expiresInSeconds: 300 }),
      ),
    ).toEqual([]);
    expect(
      validateAgainstSchema("RealtimeSessionCreateRequestGA", compileSipAcceptBody(agent)),
    ).toEqual([]);
  });

  it("leaves out of the SIP accept body the turn-detection fields the accept endpoint refuses", async () => {
    const agent = await load(file);
    const td = compileSipAcceptBody(agent).audio?.input?.turn_detection as
      | Record<string, unknown>
      | null
      | undefined;
    const full = compileSession(agent).session.audio?.input?.turn_detection as
      | Record<string, unknown>
      | null
      | undefined;
    for (const key of ["threshold", "prefix_padding_ms", "silence_duration_ms"])
      expect(td?.[key]).toBeUndefined();
    if (full)
      expect(td).toEqual(
        Object.fromEntries(
          Object.entries(full).filter(
            ([k]) => !["threshold", "prefix_padding_ms", "silence_duration_ms"].includes(k),
          ),
        ),
      );
  });

  it("is pure: the same agent and variables give the same bytes", async () => {
    const [a, b] = await Promise.all([load(file), load(file)]);
    expect(JSON.stringify(compileSession(a as LoadedAgent))).toBe(
      JSON.stringify(compileSession(b as LoadedAgent)),
    );
    expect(JSON.stringify(compileSession(a as LoadedAgent))).toBe(
      JSON.stringify(compileSession(a as LoadedAgent)),
    );
  });
});

describe("variables", () => {
  it("session values override the defaults, in instructions and persona", async () => {
    const agent = await load(EXAMPLES["hotel-concierge"]);
    const instructions = compileSession(agent, {
      variables: { hotel_name: "Casa Azul", city: "Porto" },
    }).session.instructions as string;
    expect(instructions).toContain("You are the night concierge at Casa Azul in Porto.");
    expect(instructions).toContain("You answer the phone for Casa Azul, a 40-room hotel in Porto.");
  });

  it("an undeclared variable is refused rather than ignored", async () => {
    const agent = await load(EXAMPLES["hotel-concierge"]);
    expect(() => compileSession(agent, { variables: { hotel: "x" } })).toThrow(CompileError);
    expect(() => compileSession(agent, { variables: { hotel: "x" } })).toThrow(
      /variable "hotel" is not declared/,
    );
  });

  it("a variable declared without default must be given", async () => {
    const agent = await loadAgent("/virtual/a.agent.yaml", {
      readFile: async () =>
        "name: a\nvariables: { caller: null }\ninstructions: Greet {{caller}}.\n",
    });
    expect(() => compileSession(agent)).toThrow(
      expect.objectContaining({ code: "variable_required" }),
    );
    expect(compileSession(agent, { variables: { caller: "Ada" } }).session.instructions).toBe(
      "Greet Ada.",
    );
  });

  it("a template naming a variable its scope lacks is a CompileError, never an empty string", () => {
    expect(renderTemplate("Hi {{ guest }}", { guest: "Ada" })).toBe("Hi Ada");
    expect(() => renderTemplate("Hi {{guest}}", {})).toThrow(
      expect.objectContaining({ name: "CompileError", code: "unknown_variable" }),
    );
  });
});

describe("what the model reads", () => {
  it("tool examples are a trailing block of the function description", async () => {
    const agent = await load(EXAMPLES["hotel-concierge"]);
    const tools = compileSession(agent).session.tools as { name: string; description: string }[];
    expect(tools.find((t) => t.name === "book_room")?.description).toBe(
      "Book a room for a guest once they have agreed to the room type, dates and total price.\n\nExamples:\n" +
        '- "Book the double for three nights from the 12th of March, name is Ada Lovelace" → {"room_type":"double","check_in":"2027-03-12","nights":3,"guest_name":"Ada Lovelace"}',
    );
  });

  it("the persona is a block before the instructions, unless the instructions place it themselves", async () => {
    const agent = await loadAgent("/virtual/p.agent.yaml", {
      readFile: async () =>
        "name: p\npersona: { role: a guide, tone: cheerful, language: French, accent: Québécois, style: [Short answers.] }\ninstructions: Help visitors.\n",
    });
    expect(compileSession(agent).session.instructions).toBe(
      "# Persona\nYou are a guide. Tone: cheerful. Speak French with a Québécois accent.\nStyle:\n- Short answers.\n\n# Instructions\nHelp visitors.",
    );
    const placed = await loadAgent("/virtual/q.agent.yaml", {
      readFile: async () =>
        "name: q\npersona: { role: a guide }\ninstructions: As {{persona.role}}, help visitors.\n",
    });
    expect(compileSession(placed).session.instructions).toBe("As a guide, help visitors.");
  });

  it("maps audio, limits, tracing and MCP approval to the GA field names", async () => {
    const session = compileSession(await load(EXAMPLES.support)).session;
    expect(session.audio?.input?.turn_detection).toEqual({
      type: "server_vad",
      threshold: 0.5,
      prefix_padding_ms: 300,
      silence_duration_ms: 600,
      idle_timeout_ms: 15000,
      create_response: true,
      interrupt_response: true,
    });
    expect(session.truncation).toBe("auto");
    const mcp = session.tools?.find((t) => t.type === "mcp");
    expect(mcp).toMatchObject({
      server_label: "helpdesk",
      authorization: "test-helpdesk-token",
      require_approval: {
        always: { tool_names: ["create_ticket"] },
        never: { tool_names: ["search_articles", "service_status"] },
      },
    });
  });
});

describe("the greeting", () => {
  it("is rendered with the session's variables", async () => {
    const agent = await load(EXAMPLES["hotel-concierge"]);
    expect(renderGreeting(agent, { variables: { guest_name: "Ada" } })).toBe(
      "Good evening, you're through to Hotel Larch. How can I help, Ada?",
    );
  });
});

describe("the newest model settings", () => {
  it("compiles reasoning, parallel_tool_calls and the logprobs include, in a body the spec accepts everywhere", async () => {
    const agent = await loadAgent(
      new URL("../../test/fixtures/valid/reasoner.agent.yaml", import.meta.url).pathname,
    );
    const event = compileSession(agent);
    expect(event.session).toMatchObject({
      model: "gpt-realtime-2",
      reasoning: { effort: "low" },
      parallel_tool_calls: false,
      include: ["item.input_audio_transcription.logprobs"],
    });
    expect(validateAgainstSchema("RealtimeClientEventSessionUpdate", event)).toEqual([]);
    expect(compileSipAcceptBody(agent)).toMatchObject({
      parallel_tool_calls: false,
      reasoning: { effort: "low" },
    });
    expect(compileClientSecretBody(agent).session).toMatchObject({ parallel_tool_calls: false });
  });
});
