// Copy the built files of the front-end libraries (installed by `npm ci`) into the Python package,
// so that `pip install eventcoder` ships them and nothing is fetched from a CDN at run time.
// Usage: cd web && npm ci && npm run vendor
import { cpSync, mkdirSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const nm = join(here, "node_modules");
const out = join(here, "..", "src", "eventcoder", "web", "static", "vendor");

const files = {
  leaflet: ["dist/leaflet.js", "dist/leaflet.css", "dist/images", "LICENSE"],
  "leaflet.markercluster": [
    "dist/leaflet.markercluster.js",
    "dist/MarkerCluster.css",
    "dist/MarkerCluster.Default.css",
    "MIT-LICENCE.txt",
  ],
  uplot: ["dist/uPlot.iife.min.js", "dist/uPlot.min.css", "LICENSE"],
  "topojson-client": ["dist/topojson-client.min.js", "LICENSE"],
  // Natural Earth 1:50m country outlines (public domain data; ISC packaging)
  "world-atlas": ["countries-50m.json", "LICENSE"],
  // the OpenAPI explorer served at /docs (FastAPI's default would load it from a CDN)
  "swagger-ui-dist": [
    "swagger-ui-bundle.js",
    "swagger-ui-bundle.js.LICENSE.txt",
    "swagger-ui.css",
    "favicon-32x32.png",
    "LICENSE",
    "NOTICE",
  ],
};

rmSync(out, { recursive: true, force: true });
const manifest = {};
for (const [pkg, paths] of Object.entries(files)) {
  const version = JSON.parse(readFileSync(join(nm, pkg, "package.json"), "utf8")).version;
  manifest[pkg] = version;
  for (const p of paths) {
    const src = join(nm, pkg, p);
    const dst = join(out, pkg, p.replace(/^dist\//, ""));
    mkdirSync(dirname(dst), { recursive: true });
    cpSync(src, dst, { recursive: true });
  }
}
writeFileSync(join(out, "VERSIONS.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log("vendored", manifest, "into", out);
