// The soak bench's MCP server, in its own process so its per-connection state is not counted in the runtime's heap.
import { startHttpMcpServer } from "../../../tools/test/mcp-test-server.ts";

const server = await startHttpMcpServer();
process.stdout.write(`${server.url}\n`);
process.stdin.resume();
process.stdin.on("end", () => void server.close().then(() => process.exit(0)));
