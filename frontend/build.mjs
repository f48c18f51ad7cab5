// Builds the course pages' front end (frontend/src/page.js) into the fmse Voilà template's static folder:
//   fmse-page.js             the script every course page loads (minified, one file)
//   fmse-page.css            the widgets' style sheet it needs (ipywidgets' own)
//   fmse-page.licenses.txt   the packages bundled into them, each with its licence text
//
//   npm run build:page                 # writes widgets/jupyter/voila/templates/fmse/static/
//   node frontend/build.mjs <folder>   # writes the same three files into <folder> (tests/test_page_bundle.py)
//
// The output depends only on these sources and package-lock.json's versions, so the built files are committed
// (a course started with `scripts/start` needs no Node) and the test rebuilds them to check they are current.
import { build } from "esbuild";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = resolve(process.argv[2] || join(ROOT, "widgets/jupyter/voila/templates/fmse/static"));
const LICENSES = "fmse-page.licenses.txt";
// Project Jupyter's npm packages ship no licence file; each says BSD-3-Clause in its package.json and names its
// copyright holders in its sources' headers and repository LICENSE (jupyterlab, ipywidgets, lumino on GitHub).
const JUPYTER_HOLDERS = {
  "@jupyter-widgets/": "Copyright (c) 2015 Project Jupyter Contributors",
  "@jupyterlab/": "Copyright (c) 2015-2025 Project Jupyter Contributors",
  "@lumino/": "Copyright (c) 2019 Project Jupyter Contributors\nCopyright (c) 2014-2017, PhosphorJS Contributors",
};
const BSD3 = `All rights reserved.

Redistribution and use in source and binary forms, with or without modification, are permitted provided that the
following conditions are met:

1. Redistributions of source code must retain the above copyright notice, this list of conditions and the
   following disclaimer.
2. Redistributions in binary form must reproduce the above copyright notice, this list of conditions and the
   following disclaimer in the documentation and/or other materials provided with the distribution.
3. Neither the name of the copyright holder nor the names of its contributors may be used to endorse or promote
   products derived from this software without specific prior written permission.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY EXPRESS OR IMPLIED WARRANTIES,
INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL,
SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY,
WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE
USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.`;

/* A package's licence text: its own licence file, or for Project Jupyter's packages (none ship one) the BSD-3-Clause
   text with the holders their repositories name. */
function licenceText(name, folder, spdx) {
  const file = readdirSync(folder).find((entry) => /^licen[cs]e/i.test(entry));
  if (file) {
    return readFileSync(join(folder, file), "utf8").trim();
  }
  const prefix = Object.keys(JUPYTER_HOLDERS).find((p) => name.startsWith(p));
  if (prefix && spdx === "BSD-3-Clause") {
    return `${JUPYTER_HOLDERS[prefix]}\n${BSD3}\n\n(The npm package ships no licence file; this is the licence its package.json names, with the\nholders its repository's LICENSE names.)`;
  }
  throw new Error(`${name} has no licence file and no known licence text: add it to frontend/build.mjs`);
}

mkdirSync(OUT, { recursive: true });
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: ["frontend/src/page.js"],
  outfile: join(OUT, "fmse-page.js"),
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2019"],
  charset: "utf8",
  legalComments: "none",  // every bundled package's licence is in fmse-page.licenses.txt instead
  banner: { js: `/* fmse course page front end (frontend/src/page.js). Bundled packages and licences: ${LICENSES} */`,
            css: `/* ipywidgets' style sheets, bundled for the fmse course pages. Licences: ${LICENSES} */` },
  metafile: true,
  logLevel: "warning",
});

// Each bundled package once, with its version and licence text.
const packages = new Map();
const bundled = Object.values(result.metafile.outputs)
  .flatMap((output) => Object.entries(output.inputs))
  .filter(([, use]) => use.bytesInOutput > 0)
  .map(([input]) => input);
for (const input of bundled) {
  const found = /^(node_modules\/(?:.*\/node_modules\/)?((?:@[^/]+\/)?[^/]+))\//.exec(input);
  if (!found || packages.has(found[2])) {
    continue;
  }
  const folder = join(ROOT, found[1]);
  const meta = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
  const spdx = typeof meta.license === "string" ? meta.license : (meta.license && meta.license.type) || "unknown";
  packages.set(found[2], { version: meta.version, license: spdx, text: licenceText(found[2], folder, spdx) });
}
const lines = [
  "fmse-page.js and fmse-page.css bundle these packages (npm), each under its own licence, given in full below.",
  "The course's own code in them (frontend/src/page.js) is under the course's licence (LICENSE).",
  "",
];
for (const name of [...packages.keys()].sort()) {
  const p = packages.get(name);
  lines.push(`${name} ${p.version} (${p.license})`);
}
for (const name of [...packages.keys()].sort()) {
  const p = packages.get(name);
  lines.push("", "=".repeat(78), `${name} ${p.version} (${p.license})`, "=".repeat(78), p.text);
}
writeFileSync(join(OUT, LICENSES), lines.join("\n") + "\n");
