export { systemClock, type Clock, type TimerHandle } from "./clock.ts";
export { VirtualClock } from "./virtual-clock.ts";
