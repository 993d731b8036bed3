import { type Command, InvalidArgumentError } from "commander";
import { addLogOptions } from "../logs/settings.ts";
import type { RegisterCommand } from "./index.ts";

function whole(min: number, max: number, what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`${what} is a whole number from ${min} to ${max}`);
    return n;
  };
}

/** `agent serve [files or folders]`: answer phone calls (SIP webhook) and browser sessions (WebRTC). */
export const registerServe: RegisterCommand = (program: Command) => {
  const command = program
    .command("serve")
    .description(
      "answer phone calls (SIP, via the Realtime API webhook) and browser sessions (WebRTC) with your agents",
    )
    .argument("[paths...]", "agent files or folders (default: `agents:` of the serve config)")
    .option("-p, --port <port>", "port to listen on (default 8080)", whole(0, 65535, "a port"))
    .option("--host <host>", "interface to bind (default 127.0.0.1; 0.0.0.0 for every interface)")
    .option(
      "-c, --config <file>",
      "serve config (YAML): routes, maxCalls, baseUrl, browser, clientSecret…",
    )
    .option(
      "--max-calls <n>",
      "calls held at once; more get 486 Busy",
      whole(1, 1_000_000, "max calls"),
    )
    .option("--no-watch", "do not reload agents when their files change")
    .option(
      "--console",
      "also serve the browser console on 127.0.0.1 (its own port and token): watch and join the calls",
    )
    .option(
      "--console-port <port>",
      "the console's port (default: a free one)",
      whole(0, 65535, "a port"),
    );
  addLogOptions(command)
    .addHelpText(
      "after",
      "\nEnv: OPENAI_API_KEY (accepts calls), OPENAI_WEBHOOK_SECRET (verifies the webhook), OPENAI_BASE_URL (API base).\n" +
        "Endpoints: POST /openai/webhook, POST /session, POST /client-secret, GET /client.js, /healthz, /readyz.\n" +
        "Try it offline: agent serve agents/ in one terminal, agent sim call http://127.0.0.1:8080/openai/webhook in another (docs/serve.md).",
    )
    .action(async (paths: string[], opts: Record<string, unknown>) => {
      const { runServe } = await import("../serve/run-serve.ts");
      process.exitCode = await runServe(paths, opts);
    });
};
