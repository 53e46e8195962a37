// axe-core over HTML files in headless Chromium with ONE reused page.
//
//   node bench/axe/run_axe.mjs [--chromium /usr/bin/chromium] FILE.html...
//   ls *.html | node bench/axe/run_axe.mjs          # files from stdin, one per line, as they come
//
// Chromium is started here with a fixed set of flags and a fresh --user-data-dir, and playwright-core
// connects to it over the DevTools protocol, so the browser runs with exactly these flags. For every file
// the same page loads it (file:// URL, until the load event), axe-core is injected and axe.run() is awaited;
// each step is timed. Output is JSON lines on stdout: first the browser and axe-core versions, then one
// record per file, written as soon as that file is done, with its timings and its violations (rule id ->
// number of nodes). Reading files from stdin lets a caller interleave its own work between files.

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const axeVersion = require("axe-core/package.json").version;

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function parseArgs(argv) {
  const options = { chromium: "/usr/bin/chromium", files: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === "--chromium") {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      options.chromium = argv[i + 1];
      i += 1;
    } else if (arg.startsWith("--")) {
      throw new Error(`unknown option ${arg}`);
    } else {
      options.files.push(resolve(arg));
    }
  }
  return options;
}

async function startChromium(executable) {
  const profile = mkdtempSync(join(tmpdir(), "axe-bench-profile-"));
  const child = spawn(
    executable,
    [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, "--remote-debugging-port=0", "about:blank"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const portFile = join(profile, "DevToolsActivePort");
  const deadline = Date.now() + 30_000;
  while (!existsSync(portFile) || readFileSync(portFile, "utf8").split("\n").length < 2) {
    if (child.exitCode !== null) throw new Error(`chromium exited with ${child.exitCode}: ${stderr.trim()}`);
    if (Date.now() > deadline) throw new Error(`chromium did not open a DevTools port in 30 s: ${stderr.trim()}`);
    await sleep(50);
  }
  const port = readFileSync(portFile, "utf8").split("\n")[0].trim();
  return { child, profile, endpoint: `http://127.0.0.1:${port}` };
}

function emit(record) {
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

// The files named on the command line, or else each line of stdin as it arrives.
async function* inputFiles(named) {
  if (named.length > 0) {
    yield* named;
    return;
  }
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim()) yield resolve(line.trim());
  }
}

function violationCounts(results) {
  const counts = {};
  for (const violation of results.violations) counts[violation.id] = violation.nodes.length;
  return counts;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const { child, profile, endpoint } = await startChromium(options.chromium);
  let browser;
  try {
    browser = await chromium.connectOverCDP(endpoint);
    const context = browser.contexts()[0] ?? (await browser.newContext());
    const page = await context.newPage();
    emit({ browser: `Chromium ${browser.version()}`, axe_core: axeVersion, flags: CHROMIUM_FLAGS });
    for await (const file of inputFiles(options.files)) {
      const started = performance.now();
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      const loaded = performance.now();
      await page.addScriptTag({ content: axeSource });
      const injected = performance.now();
      const results = await page.evaluate(() => window.axe.run(document));
      const finished = performance.now();
      emit({
        file,
        load_ms: loaded - started,
        inject_ms: injected - loaded,
        run_ms: finished - injected,
        total_ms: finished - started,
        violations: violationCounts(results),
      });
    }
  } finally {
    if (browser) await browser.close().catch(() => {});
    child.kill("SIGTERM");
    await new Promise((done) => {
      if (child.exitCode !== null) done();
      else child.once("exit", done);
    });
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`run_axe: ${error.message}`);
  process.exit(2);
});
