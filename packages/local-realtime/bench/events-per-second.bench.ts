// Events per second one server process sustains: 20 sessions in a client process stream text responses
// back to back at pace 0 for 4 s; the rate is counted in 250 ms windows on the server side.

import { report } from "../../../bench/stats.ts";
import { startLocalRealtime } from "../src/index.ts";
import { runClients } from "./run-clients.ts";

let sent = 0;
const server = await startLocalRealtime({ pace: 0, onServerEvent: () => void sent++ });
const windows: number[] = [];
let last = 0;
let timer: NodeJS.Timeout | undefined;
setTimeout(() => {
  last = sent;
  timer = setInterval(() => {
    windows.push((sent - last) * 4);
    last = sent;
  }, 250);
}, 1500);
await runClients(server.url, "text", 20, 4);
clearInterval(timer);
report("server events per second (20 sessions, text, pace 0)", windows.slice(1), "events/s");
await server.close();
