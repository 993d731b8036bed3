import { type Command, InvalidArgumentError } from "commander";

interface SimCallOptions {
  from?: string;
  to?: string;
  say?: string[];
  header?: string[];
  secret?: string;
  answerTimeout: number;
}

function header(value: string, previous: string[] = []): string[] {
  if (!/^[A-Za-z0-9-]+=/.test(value)) throw new InvalidArgumentError('a header is "Name=value"');
  return [...previous, value];
}

function repeat(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * `agent sim call <webhook-url>`: plays a phone caller against an app (`agent serve`) offline. It runs the local
 * Realtime server (the app must use it: OPENAI_BASE_URL), sends a signed `realtime.call.incoming`, waits for the
 * accept, prints what the agent says, says each `--say` line, then hangs up.
 */
export function registerSimCall(sim: Command): void {
  sim
    .command("call")
    .description(
      "ring an app's SIP webhook (e.g. agent serve) from the local server (sim's --port, --pace) and play the caller",
    )
    .argument("<webhook-url>", "the app's webhook, e.g. http://127.0.0.1:8080/openai/webhook")
    .option("--from <number>", "the caller's number", "+14155550100")
    .option("--to <number>", "the dialled number", "+14155550123")
    .option(
      "--say <text>",
      "a line the caller says after the agent spoke (repeatable, in order)",
      repeat,
    )
    .option("--header <name=value>", "an extra SIP header of the INVITE (repeatable)", header)
    .option("--secret <whsec>", "the webhook secret (default OPENAI_WEBHOOK_SECRET)")
    .option("--answer-timeout <ms>", "how long the call rings before it is dropped", Number, 10_000)
    .action(async (webhookUrl: string, options: SimCallOptions) => {
      const secret = options.secret ?? process.env.OPENAI_WEBHOOK_SECRET;
      if (!secret) {
        process.stderr.write(
          "error[usage]: set OPENAI_WEBHOOK_SECRET (the same as the app's) or pass --secret\n",
        );
        process.exitCode = 2;
        return;
      }
      const { startLocalRealtime, LocalRealtimeError } = await import("@parley/local-realtime");
      let server: Awaited<ReturnType<typeof startLocalRealtime>>;
      try {
        // `agent sim --port … --pace … call …`: the local server's options are sim's own.
        const parent = sim.opts() as { port: number; host: string; pace?: number };
        server = await startLocalRealtime({
          port: parent.port,
          host: parent.host,
          pace: parent.pace ?? 1,
        });
      } catch (error) {
        if (!(error instanceof LocalRealtimeError)) throw error;
        process.stderr.write(`error[${error.code}]: ${error.message}\n`);
        process.exitCode = 1;
        return;
      }
      const out = (line: string) => process.stdout.write(`${line}\n`);
      out(
        `local Realtime API at ${server.baseURL} (the app needs OPENAI_BASE_URL=${server.baseURL})`,
      );
      try {
        process.exitCode = await playCall(server, webhookUrl, secret, options, out);
      } finally {
        await server.close();
      }
    });
}

type Server = Awaited<ReturnType<typeof import("@parley/local-realtime").startLocalRealtime>>;

async function playCall(
  server: Server,
  webhookUrl: string,
  secret: string,
  options: SimCallOptions,
  out: (line: string) => void,
): Promise<number> {
  const headers = Object.fromEntries(
    (options.header ?? []).map((h) => [h.slice(0, h.indexOf("=")), h.slice(h.indexOf("=") + 1)]),
  );
  const call = await server.simulateIncomingCall({
    webhookUrl,
    secret,
    from: options.from ?? "+14155550100",
    to: options.to ?? "+14155550123",
    headers,
    answerTimeoutMs: options.answerTimeout,
  });
  out(
    `ringing ${options.to} from ${options.from} (call ${call.callId}); webhook answered ${call.webhook.status || "nothing (unreachable)"}`,
  );
  const answer = await call.answered;
  if (answer.type !== "accepted") {
    out(
      answer.type === "rejected"
        ? `rejected with SIP ${answer.status}`
        : "nobody answered: the call was dropped",
    );
    return 1;
  }
  out("accepted");
  call.on("line", (line) => out(`${line.role === "agent" ? "agent " : "caller"}: ${line.text}`));
  const settle = async () => {
    // The agent's reply may come in several lines (a filler, then the answer): take lines until a quiet second.
    await call.waitForAgent(/./, 30_000);
    for (;;) {
      try {
        await call.waitForAgent(/./, 1_500);
      } catch {
        return;
      }
    }
  };
  try {
    await settle();
    for (const line of options.say ?? []) {
      await call.say(line);
      await settle();
    }
  } catch (error) {
    if (call.state !== "ended") out(`(${(error as Error).message})`);
  }
  for (const target of call.referrals) out(`transferred to ${target}`);
  if (call.state !== "ended") call.hangUp();
  out(`call ended: ${await call.ended}`);
  return 0;
}
