// The console page: bundled by scripts/build.mjs into packages/cli/dist/console/console.js (Preact included; no CDN,
// nothing fetched at run time), served by `agent dev --web` under its token.
import { render } from "preact";
import { App } from "./app.tsx";

const root = document.getElementById("app");
if (root) {
  root.textContent = "";
  render(<App />, root);
}
