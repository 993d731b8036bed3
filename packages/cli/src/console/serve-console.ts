import type { LoadedAgent, Session } from "@parley/core";
import { agentInfo } from "./agent-info.ts";
import { CallPicker } from "./call-picker.ts";
import { ConsoleApprovals } from "./console-approvals.ts";
import { ConsoleHub } from "./console-hub.ts";
import { type ConsoleServer, startConsoleServer } from "./console-server.ts";

export interface ServeConsoleOptions {
  /** The agent shown before the first call. */
  agent: LoadedAgent;
  host?: string;
  port?: number;
  token?: string;
}

/** A call of `agent serve` (its AttachOptions). */
export interface ServedCall {
  callId: string;
  kind: "sip" | "webrtc";
  agent: LoadedAgent;
}

export interface ServeConsole {
  readonly url: string;
  readonly server: ConsoleServer;
  /** The calls listed and the pages watching them. */
  readonly calls: CallPicker;
  /** Answers approvals whose rule names the `console` approver. */
  readonly approvals: ConsoleApprovals;
  /** A call was attached (serve's `onSession`): listed, and the pages that follow the newest call go to it. */
  follow(session: Session, call: ServedCall): void;
  /** The event log of every call listed (JSON lines, redacted), oldest call first. */
  events(): string;
  close(): Promise<void>;
}

const TARGET = {
  label: "serve",
  describe: "Watching the calls of agent serve: pick one, or follow the newest.",
  costIsEstimate: false,
};

/**
 * `agent serve --console`: the console page, on its own loopback port with its own token, watching the calls serve
 * answers. A page lists the live calls and the recently ended ones and picks the one to watch (by default it
 * follows the newest): its transcript, tool timeline and meters, from the call's start; the person can type into the
 * call, answer approvals (for rules that name the `console` approver) and end the call. The call's audio travels
 * between the caller and the Realtime API (SIP or WebRTC), not through Parley, so the page has no microphone and no
 * speaker there.
 */
export async function startServeConsole(options: ServeConsoleOptions): Promise<ServeConsole> {
  const approvals = new ConsoleApprovals();
  const pick = (ws: Parameters<CallPicker["pick"]>[0], callId: string | null) =>
    calls.pick(ws, callId);
  const hubFor = (agent: LoadedAgent, session?: Session) =>
    new ConsoleHub({
      mode: "watch",
      target: TARGET,
      agent: agentInfo(agent),
      approvals,
      pick,
      ...(session ? { end: () => session.close() } : {}),
    });
  const calls = new CallPicker(hubFor(options.agent));
  const transcript = () => calls.hubs.map((h) => h.transcript()).join("");
  const events = () => calls.hubs.map((h) => h.events()).join("");
  const server = await startConsoleServer({
    ...(options.host ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.token ? { token: options.token } : {}),
    onSocket: (ws) => calls.add(ws),
    transcript,
    events,
  });
  return {
    url: server.url,
    server,
    calls,
    approvals,
    events,
    follow(session, call) {
      calls.added(
        { id: call.callId, agent: call.agent.name, kind: call.kind, startedAt: Date.now() },
        hubFor(call.agent, session),
        session,
      );
    },
    async close() {
      calls.close();
      await server.close();
    },
  };
}
