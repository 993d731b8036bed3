import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import { examples } from "./help.ts";
import type { RegisterCommand } from "./index.ts";
import { registerSimCall } from "./sim-call.ts";

interface SimOptions {
  port: number;
  host: string;
  tls?: boolean;
  apiKey?: string;
  pace?: number;
  certOut?: string;
}

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError("a port is a whole number from 0 to 65535");
  return n;
}

function paceNumber(value: string): number {
  const n = Number(value);
  if (!(n >= 0))
    throw new InvalidArgumentError(
      "pace is a number >= 0 (1 = real time, 0 = as fast as possible)",
    );
  return n;
}

/**
 * `agent sim`: runs the local Realtime server (GA protocol, simulated model) until interrupted, so any Realtime
 * client — Parley, the official SDKs, your own — can talk to it offline.
 */
export const registerSim: RegisterCommand = (program: Command) => {
  const sim = program
    .command("sim")
    .description(
      "run the local Realtime server (OpenAI Realtime GA protocol, simulated model) until Ctrl-C",
    )
    .option("-p, --port <port>", "port to listen on (0 = any free port)", portNumber, 8787)
    .option("--host <host>", "interface to bind", "127.0.0.1")
    .option(
      "--tls",
      "serve wss:// with a generated self-signed certificate (the official openai client dials wss:// only)",
    )
    .option("--api-key <key>", "accept only this bearer key (default: any key)")
    .option(
      "--pace <n>",
      "audio timing: 1 = real time, 0 = as fast as possible (default 1, or PARLEY_SIM_PACE)",
      paceNumber,
    )
    .option(
      "--cert-out <file>",
      "with --tls, where to write the certificate (default: a file in the temp directory)",
    )
    .addHelpText(
      "after",
      examples(
        ["agent sim --port 8787", "the local Realtime server on ws://127.0.0.1:8787/v1/realtime"],
        ["agent test agents --url ws://127.0.0.1:8787/v1/realtime", "run scenarios against it"],
      ),
    )
    .action(async (options: SimOptions) => {
      const { startLocalRealtime, LocalRealtimeError } = await import("@parley/local-realtime");
      const envPace =
        process.env.PARLEY_SIM_PACE === undefined ? undefined : Number(process.env.PARLEY_SIM_PACE);
      let server: Awaited<ReturnType<typeof startLocalRealtime>>;
      try {
        server = await startLocalRealtime({
          port: options.port,
          host: options.host,
          tls: options.tls === true,
          ...(options.apiKey ? { apiKey: options.apiKey } : {}),
          pace: options.pace ?? (envPace !== undefined && envPace >= 0 ? envPace : 1),
          // `agent test --url` hands each scenario's script to its connection (docs/testing.md).
          scriptsFromUrl: true,
        });
      } catch (error) {
        // A busy port or a bad host is the user's input, not our bug: a message, exit 1, no stack trace.
        if (!(error instanceof LocalRealtimeError)) throw error;
        process.stderr.write(`error[${error.code}]: ${error.message}\n`);
        process.exitCode = 1;
        return;
      }
      const lines = [
        `local Realtime server listening on ${server.url}`,
        `  connect with ${server.url}?model=gpt-realtime (any bearer key${options.apiKey ? " but the one given" : ""})`,
      ];
      if (server.certificate) {
        const file = options.certOut ?? join(tmpdir(), `parley-sim-${server.port}.pem`);
        try {
          writeFileSync(file, server.certificate);
        } catch (error) {
          await server.close();
          const reason = (error as NodeJS.ErrnoException).code ?? String(error);
          process.stderr.write(
            `error[cert_out_failed]: --cert-out ${file}: could not write the certificate (${reason})\n`,
          );
          process.exitCode = 1;
          return;
        }
        lines.push(
          `  openai client: baseURL ${server.baseURL}`,
          `  trust the certificate: NODE_EXTRA_CA_CERTS=${file}`,
        );
      }
      lines.push("  Ctrl-C to stop");
      process.stdout.write(`${lines.join("\n")}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      await server.close();
      process.stdout.write("stopped\n");
    });
  registerSimCall(sim);
};
