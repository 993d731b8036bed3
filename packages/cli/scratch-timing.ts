const t0 = performance.now();
const lap = (s: string) => console.log(s.padEnd(30), Math.round(performance.now() - t0));
const core = await import("@parley/core"); lap("import core");
const agent = await core.loadAgent("/work/main/agents/hotel-concierge/concierge.agent.yaml"); lap("loadAgent");
const lr = await import("@parley/local-realtime"); lap("import local-realtime");
const server = await lr.startLocalRealtime({ port: 0, pace: 1 }); lap("start server");
const session = await core.startSession({ agent, url: server.url }); lap("startSession");
const { watch } = await import("chokidar"); lap("import chokidar");
await session.close(); await server.close();
