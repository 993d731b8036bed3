// The console page: bundled by scripts/build.mjs into packages/cli/dist/console/console.js (Preact included; no CDN,
// nothing fetched at run time), served by `agent dev --web` under its token.
import { options, render } from "preact";
import { App } from "./app.tsx";
import { openEarly } from "./connection.ts";

// One render per frame, however many messages arrived in it (a replay is hundreds at once); a hidden page, whose
// frames stop, still renders.
options.debounceRendering = (render) => {
  if (document.hidden) setTimeout(render);
  else requestAnimationFrame(render);
};

// Connecting first: the handshake and the hello travel while the page renders.
const early = openEarly();
const root = document.getElementById("app");
if (root) {
  root.textContent = "";
  render(<App early={early} />, root);
}
