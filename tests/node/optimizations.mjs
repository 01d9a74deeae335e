// Drives every Optimizations call of the published `opik` npm package (the TypeScript SDK) against a
// running mockopik, and checks what the SDK makes of the answers.
// Usage: node optimizations.mjs <mockopik base URL> <directory where `opik` is installed>
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

const [baseUrl, sdkDir] = process.argv.slice(2);
const { Opik, generateId } = createRequire(join(sdkDir, "package.json"))("opik");
const UNKNOWN_ID = "0193b3a0-0000-7000-8000-000000000001";

const client = new Opik({ apiUrl: `${baseUrl}/api`, workspaceName: "default", projectName: "Default Project" });
const api = client.api.optimizations;

// How the SDK reports a failed call: its typed errors (class names are minified; the message starts
// with the name) or its generic OpikApiError ("Status code: ...").
async function rejection(call) {
  try {
    await call();
  } catch (error) {
    const first = error.message.split("\n")[0];
    return { error: first.endsWith("Error") ? first : "OpikApiError", statusCode: error.statusCode, body: error.body };
  }
  assert.fail("the call succeeded");
}

const id = generateId();
await api.createOptimization({
  id,
  name: `typescript ${id}`,
  datasetName: "qa-set",
  objectiveName: "accuracy",
  status: "running",
  projectName: "Default Project",
  metadata: { optimizer: "GepaOptimizer" },
});
const created = await api.getOptimizationById(id);
assert.equal(created.id, id);
assert.equal(created.name, `typescript ${id}`);
assert.equal(created.datasetName, "qa-set");
assert.equal(created.objectiveName, "accuracy");
assert.equal(created.status, "running");
assert.deepEqual(created.metadata, { optimizer: "GepaOptimizer" });
assert.equal(created.numTrials, 0);
assert.equal(created.createdBy, "admin");
assert.ok(created.createdAt instanceof Date && created.projectId && created.datasetId);

await api.upsertOptimization({ id, datasetName: "qa-set", objectiveName: "f1", status: "running" });
await api.updateOptimizationsById(id, { status: "completed" });
await api.updateOptimizationsById(id, { name: `renamed ${id}` });
const updated = await api.getOptimizationById(id);
assert.deepEqual([updated.name, updated.objectiveName, updated.status], [`renamed ${id}`, "f1", "completed"]);

const page = await api.findOptimizations({
  page: 1,
  size: 5,
  name: `RENAMED ${id}`,
  filters: JSON.stringify([{ field: "status", operator: "=", value: "completed" }]),
});
assert.deepEqual([page.page, page.size, page.total], [1, 1, 1]);
assert.equal(page.content[0].id, id);

const logs = await api.getStudioOptimizationLogs(id);
assert.equal(logs.url, `${baseUrl}/_mockopik/studio-logs/default/${id}.log.gz`);
assert.ok(logs.expiresAt instanceof Date);
const log = gunzipSync(Buffer.from(await (await fetch(logs.url)).arrayBuffer())).toString("utf8");
assert.match(log, /Opik Optimization Studio/);

assert.deepEqual(await rejection(() => api.cancelStudioOptimizations(id, {}, { maxRetries: 0 })), {
  error: "NotImplementedError",
  statusCode: 501,
  body: undefined,
});
assert.deepEqual(await rejection(() => api.findOptimizations({ filters: "not-json" })), {
  error: "BadRequestError",
  statusCode: 400,
  body: { code: 400, message: "Invalid filters query parameter 'not-json'" },
});
assert.deepEqual(await rejection(() => api.updateOptimizationsById(UNKNOWN_ID, { status: "completed" })), {
  error: "OpikApiError",
  statusCode: 404,
  body: { code: 404, message: `Optimization id: ${UNKNOWN_ID} not found` },
});

await api.deleteOptimizationsById({ ids: [id] });
assert.deepEqual(await rejection(() => api.getOptimizationById(id)), {
  error: "NotFoundError",
  statusCode: 404,
  body: { code: 404, message: `Not found optimization with id '${id}'` },
});
assert.equal((await api.findOptimizations({ name: id })).total, 0);
console.log("ok");
