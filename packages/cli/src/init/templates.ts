/**
 * `agent init` templates. Each writes an agent file (with the editor schema comment), a tool handler and a scenario
 * file that passes as written: `agent validate` and `agent test` succeed straight after `agent init`.
 *
 * Handlers import only types from `@parley/core` (erased at run time), so a scaffold runs even in a folder where
 * `@parley/core` is not installed yet.
 */

export interface TemplateInput {
  /** The agent's name (also the file stem). */
  name: string;
  /** Path (as written in the file) of the agent JSON Schema, for the `yaml-language-server` comment. */
  agentSchema: string;
  /** Path of the scenario JSON Schema, or undefined when none is available. */
  scenarioSchema: string | undefined;
}

export interface Template {
  description: string;
  files(input: TemplateInput): Record<string, string>;
}

const schemaComment = (path: string | undefined) =>
  path ? `# yaml-language-server: $schema=${path}\n` : "";

const weatherHandler = `import type { ToolContext } from "@parley/core";

/**
 * The get_weather tool. Replace the body with a real weather API call; the agent file declares its name,
 * description and parameters. \`ctx.signal\` is aborted when the call times out or the session ends.
 */
export async function getWeather(args: { city: string }, ctx: ToolContext) {
  ctx.progress(\`Checking the sky over \${args.city}\`);
  await wait(800, ctx.signal); // a slow lookup, so you can hear the filler
  return { city: args.city, sky: "sunny", celsius: 21 };
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}
`;

const basic: Template = {
  description: "a weather assistant with one slow tool and a filler line",
  files: ({ name, agentSchema, scenarioSchema }) => ({
    [`${name}.agent.yaml`]: `${schemaComment(agentSchema)}name: ${name}
description: A friendly assistant that checks the weather.
voice: marin
persona:
  role: a friendly assistant
  tone: warm and brief
instructions: |
  You help people with quick questions. Keep answers to one or two sentences.
  When someone asks about the weather, call get_weather; never guess the weather.
greeting: Hi! Ask me about the weather anywhere.
tools:
  - name: get_weather
    description: The current weather in a city.
    parameters:
      type: object
      properties:
        city: { type: string, description: The city name }
      required: [city]
    handler: ./tools.ts#getWeather
    timeout: 10s
    filler:
      after: 300ms
      lines: ["Let me look at the sky over there."]
    examples:
      - say: what's the weather in Paris
        args: { city: Paris }
`,
    "tools.ts": weatherHandler,
    [`${name}.test.yaml`]: `${schemaComment(scenarioSchema)}# Run with: agent test   (offline, against the local Realtime server's scripted model)
scenarios:
  - name: answers a weather question with the tool
    steps:
      - user: What's the weather in Paris?
      - expect_tool: get_weather
        args: { city: Paris }
      # The handler reports progress, which is said instead of the canned filler line.
      - expect_filler: Checking the sky over Paris
      - expect_say: sunny
        within: 5s

  - name: small talk needs no tool
    steps:
      - user: Thanks, that's all for today.
      - expect_no_tool: true
`,
  }),
};

const approval: Template = {
  description: "a booking assistant whose booking tool needs a person's approval",
  files: ({ name, agentSchema, scenarioSchema }) => ({
    [`${name}.agent.yaml`]: `${schemaComment(agentSchema)}name: ${name}
description: Books tables at a small restaurant; large bookings need a person's yes.
voice: cedar
instructions: |
  You take table bookings for a small restaurant. Ask for the party size and the time if missing.
  Call book_table to book; tell the guest the outcome in one sentence.
greeting: Hello, you're through to the restaurant. How can I help?
tools:
  - name: book_table
    description: Book a table.
    parameters:
      type: object
      properties:
        people: { type: integer, minimum: 1 }
        time: { type: string, description: "24h time, like 19:30" }
      required: [people, time]
    handler: ./tools.ts#bookTable
    approval: { when: "args.people > 6", timeout: 30s, onTimeout: reject }
    examples:
      - say: a table for two at half past seven
        args: { people: 2, time: "19:30" }
`,
    "tools.ts": `import type { ToolContext } from "@parley/core";

/** The book_table tool. Replace the body with your booking system's API. */
export async function bookTable(args: { people: number; time: string }, _ctx: ToolContext) {
  return { booked: true, reference: "T-1042", people: args.people, time: args.time };
}
`,
    [`${name}.test.yaml`]: `${schemaComment(scenarioSchema)}# Run with: agent test   (offline, against the local Realtime server's scripted model)
scenarios:
  - name: books a small table without asking anyone
    steps:
      - user: A table for two at 19:30 please.
      - expect_tool: book_table
        args: { people: 2, time: "19:30" }
      - expect_say: T-1042

  - name: a large party needs approval
    steps:
      - user: A table for ten at 20:00.
      - expect_tool: book_table
        args: { people: 10, time: "20:00" }
      - approve: book_table
      - expect_say: booked
`,
  }),
};

/** The templates `agent init --template <name>` offers; the first is the default. */
export const templates: Record<string, Template> = { basic, approval };
