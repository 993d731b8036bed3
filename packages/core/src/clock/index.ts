export { type Clock, systemClock, type TimerHandle } from "./clock.ts";
export { type SleepTimers, sleep } from "./sleep.ts";
export { VirtualClock } from "./virtual-clock.ts";
