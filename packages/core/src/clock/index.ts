export { type Clock, systemClock, type TimerHandle } from "./clock.ts";
export { VirtualClock } from "./virtual-clock.ts";
