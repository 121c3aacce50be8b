#!/usr/bin/env node
// The package mirror this project builds against serves only linux-x64 builds of native packages, so
// npm leaves the other platforms' optional packages out of package-lock.json and `npm ci` then refuses
// the lock as out of sync. This adds those entries back, marked optional with their os/cpu, so npm ci
// accepts the lock and skips them on this platform (and installs them from the public registry elsewhere).
// Run after `npm install` changes the lock: `node scripts/lock-platform-stubs.mjs`.
import { readFileSync, writeFileSync } from "node:fs";

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(file, "utf8"));
const packages = lock.packages;
const osOf = (name) =>
  ["android", "darwin", "freebsd", "linux", "openbsd", "sunos", "win32", "aix", "openharmony", "netbsd"].find(
    (os) => name.includes(os),
  );
const cpuOf = (name) =>
  ["arm64", "x64", "ia32", "arm", "ppc64", "s390x", "riscv64", "loong64", "wasm32"].find((c) =>
    name.includes(c),
  );

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  if (!entry.optionalDependencies || !path) continue;
  for (const [dep, range] of Object.entries(entry.optionalDependencies)) {
    const nested = `${path}/node_modules/${dep}`;
    const hoisted = `node_modules/${dep}`;
    if (packages[nested] || packages[hoisted]) continue;
    const os = osOf(dep);
    const cpu = cpuOf(dep);
    if (!os && !cpu) continue;
    const stub = { version: range.replace(/^[\^~=]/, ""), optional: true };
    if (entry.dev) stub.dev = true;
    if (cpu) stub.cpu = [cpu];
    if (os) stub.os = [os];
    if (dep.includes("musl")) stub.libc = ["musl"];
    else if (os === "linux") stub.libc = ["glibc"];
    packages[hoisted] = stub;
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1)),
);
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} platform stub entries to package-lock.json`);
