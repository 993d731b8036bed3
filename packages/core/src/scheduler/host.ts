// The runtime ⇄ scheduler contract lives in contracts/ (neutral ground for both); re-exported for existing imports.
export type {
  CallHandler,
  ResponseQueue,
  ResponseRequest,
  SchedulerHost,
} from "../contracts/scheduler-host.ts";
