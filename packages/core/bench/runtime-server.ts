// A local Realtime server in its own process for the runtime benchmarks, so its work is not measured as ours.
// Prints one JSON line { url, certificate } and runs until stdin closes.
import { startLocalRealtime } from "@parley/local-realtime";

const server = await startLocalRealtime({ port: 0, pace: 0, tls: process.argv.includes("--tls") });
process.stdout.write(`${JSON.stringify({ url: server.url, certificate: server.certificate })}\n`);
process.stdin.on("end", () => {
  void server.close().then(() => process.exit(0));
});
process.stdin.resume();
