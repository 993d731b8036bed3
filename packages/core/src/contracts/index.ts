// Neutral ground for what the loader, compiler, runtime, scheduler and local server share.
export type { LoadedAgent, LoadedHandoff, ToolsFollower } from "./agent.ts";
export { CallLedger, functionCallOutput, type LedgerState, ledgerOf } from "./call-ledger.ts";
export { lineToSay, SAY_EXACTLY, sayExactly } from "./fillers.ts";
export type {
  CallHandler,
  ResponseQueue,
  ResponseRequest,
  SchedulerHost,
} from "./scheduler-host.ts";
