// The official Node SDK row of the two-process loopback harness (bench/Klaviyo.Benchmarks, `harness`, issue 16).
//
//   node get-profiles.js <baseUrl> <requests> <concurrency> [--warmup <n>]
//   node get-profiles.js <baseUrl> --serve
//
// Calls ProfilesApi.getProfiles({pageSize: 20}) through an ApiKeySession, as the SDK's README shows, against the
// loopback stand-in at <baseUrl> (e.g. http://127.0.0.1:5123), and reads the body as the SDK returns it (the
// deserialized document's data array). The SDK's generated API classes have a public `basePath` setter (the
// default is https://a.klaviyo.com); setting it is the SDK's own way to point at another host, so the SDK's code
// is not changed. Nothing is tuned: the default axios instance and Node's global HTTP agent (keep-alive since
// Node 19), the default retry policy.
//
// First it checks that the request the SDK put on the wire is the one the .NET rows send (path, query, revision
// header), then warms up (JIT, connections) with --warmup requests (default 500), then times <requests> requests
// over <concurrency> concurrent callers and prints one JSON line:
//   {"requests":n,"concurrency":c,"seconds":s,"rate":r,"cpuMicros":u}
// where cpuMicros is this process's user + system CPU time over the timed requests (process.cpuUsage()).
//
// With --serve it checks the request, then stays up and reads one command a line on stdin, answering each with
// one JSON line as above: `<requests> <concurrency>` times that many calls (a warm-up is a run whose answer the
// caller ignores). The harness uses this so that V8 stays warm across rounds, as the .NET rows do in their
// process: a fresh process needs a few thousand calls before its rate settles.
"use strict";

const { ApiKeySession, ProfilesApi } = require("klaviyo-api");

function usage(message) {
  process.stderr.write(
    `${message}\nusage: node get-profiles.js <baseUrl> <requests> <concurrency> [--warmup <n>]\n`,
  );
  process.exit(2);
}

const args = process.argv.slice(2);
const serve = args.includes("--serve");
const warmupAt = args.indexOf("--warmup");
const warmup = warmupAt >= 0 ? Number(args[warmupAt + 1]) : 500;
const positional = warmupAt >= 0 ? args.filter((_, i) => i !== warmupAt && i !== warmupAt + 1) : args;
const [baseUrl, requestsText, concurrencyText] = positional;
const requests = Number(requestsText);
const concurrency = Number(concurrencyText);
if (!baseUrl) usage("expected a base URL");
if (!serve && (!(requests > 0) || !(concurrency > 0) || !(warmup >= 0)))
  usage("expected a base URL, a positive request count and a positive concurrency");

// Not a real key: the stand-in does not check it, and nothing leaves the loopback interface.
const session = new ApiKeySession("pk_benchmark_key");
const profilesApi = new ProfilesApi(session);
profilesApi.basePath = baseUrl;

async function call() {
  const { body } = await profilesApi.getProfiles({ pageSize: 20 });
  if (!body || !Array.isArray(body.data) || body.data.length === 0)
    throw new Error("node: unexpected response");
  return body;
}

// The request as sent (Node's ClientRequest behind axios): it must be the one the .NET rows send.
async function checkRequest() {
  const { response, body } = await profilesApi.getProfiles({ pageSize: 20 });
  const sent = response.request;
  const path = decodeURIComponent(sent.path);
  const revision = sent.getHeader("revision");
  if (response.status !== 200 || path !== "/api/profiles?page[size]=20" || !revision)
    throw new Error(
      `node: unexpected exchange: status ${response.status}, path ${sent.path}, revision ${revision}`,
    );
  if (!Array.isArray(body.data) || body.data.length === 0)
    throw new Error("node: the SDK returned no data");
}

async function run(n, c) {
  let next = 0;
  const worker = async () => {
    while (next++ < n) await call();
  };
  await Promise.all(Array.from({ length: c }, worker));
}

async function timed(n, c) {
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  await run(n, c);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  process.stdout.write(
    JSON.stringify({
      requests: n,
      concurrency: c,
      seconds,
      rate: n / seconds,
      cpuMicros: cpu.user + cpu.system,
    }) + "\n",
  );
}

async function main() {
  await checkRequest();
  if (!serve) {
    await run(warmup, concurrency);
    await timed(requests, concurrency);
    return;
  }
  process.stdout.write("ready\n");
  const lines = require("readline").createInterface({ input: process.stdin });
  for await (const line of lines) {
    const [n, c] = line.trim().split(/\s+/).map(Number);
    if (!(n > 0) || !(c > 0)) throw new Error(`node: expected "<requests> <concurrency>", got "${line}"`);
    await timed(n, c);
  }
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
