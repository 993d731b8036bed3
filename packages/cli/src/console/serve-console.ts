import type { LoadedAgent, Session } from "@parley/core";
import { agentInfo } from "./agent-info.ts";
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

export interface ServeConsole {
  readonly url: string;
  readonly server: ConsoleServer;
  readonly hub: ConsoleHub;
  /** Answers approvals whose rule names the `console` approver. */
  readonly approvals: ConsoleApprovals;
  /** Follow this call (serve's `onSession`): the page switches to the newest call. */
  follow(session: Session, agent: LoadedAgent): void;
  close(): Promise<void>;
}

/**
 * `agent serve --console`: the console page, on its own loopback port with its own token, watching the calls serve
 * answers. It follows the newest call: its transcript, tool timeline and meters live; the person can type into the
 * call, answer approvals (for rules that name the `console` approver) and end the call. The call's audio travels
 * between the caller and the Realtime API (SIP or WebRTC), not through Parley, so the page has no microphone.
 */
export async function startServeConsole(options: ServeConsoleOptions): Promise<ServeConsole> {
  const approvals = new ConsoleApprovals();
  const hub: ConsoleHub = new ConsoleHub({
    mode: "watch",
    target: {
      label: "serve",
      describe: "Watching the calls of agent serve (the newest call is shown).",
      costIsEstimate: false,
    },
    agent: agentInfo(options.agent),
    approvals,
    end: async () => {
      await hub.session?.close();
    },
  });
  const server = await startConsoleServer({
    ...(options.host ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.token ? { token: options.token } : {}),
    onSocket: (ws) => hub.add(ws),
    transcript: () => hub.transcript(),
    events: () => hub.events(),
  });
  return {
    url: server.url,
    server,
    hub,
    approvals,
    follow(session, agent) {
      hub.starting();
      hub.agentChanged(agentInfo(agent));
      hub.attach(session);
    },
    async close() {
      hub.close();
      await server.close();
    },
  };
}
