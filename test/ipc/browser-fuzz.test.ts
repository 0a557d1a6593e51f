import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { createWebSocketApi } from "../../renderer/src/api/websocket";
import type { SocketLike } from "../../renderer/src/api/websocket";
import { rawExchange, statusOf, upgradeRequest } from "./raw-http";

/**
 * Throws malformed HTTP requests and WebSocket upgrades and frames at browser mode running in its own process.
 * Whatever arrives, the process stays up, never answers with a stack, and still serves a valid client afterwards.
 * Every loop is bounded: a fixed list, then a fixed number of seeded mutations.
 */
let child: ChildProcess;
let port = 0;
let token = "";
let origin = "";
let stderr = "";

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "pd-fuzz-"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><html><head><title>ProvisionDesk</title></head></html>");
  child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "fixtures/serve-recording.ts"), dir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("\n")) resolve(out.split("\n")[0] ?? "");
    });
    child.on("exit", (code) => reject(new Error(`server exited (${code}) before starting: ${stderr}`)));
  });
  ({ origin, token } = JSON.parse(line) as { origin: string; token: string });
  port = Number(new URL(origin).port);
}, 30_000);

afterAll(() => {
  child?.kill();
});

/** A WebSocket frame from the client (masked with a zero key, so the payload stays readable). */
function frame(first: number, payload: Buffer, options: { masked?: boolean; length?: Buffer } = {}): Buffer {
  const masked = options.masked ?? true;
  const extended = Buffer.alloc(payload.length < 65536 ? 2 : 8);
  if (payload.length < 65536) extended.writeUInt16BE(payload.length);
  else extended.writeBigUInt64BE(BigInt(payload.length));
  const length =
    options.length ??
    (payload.length < 126
      ? Buffer.from([payload.length])
      : Buffer.concat([Buffer.from([payload.length < 65536 ? 126 : 127]), extended]));
  length[0] = (length[0] ?? 0) | (masked ? 0x80 : 0);
  return Buffer.concat([Buffer.from([first]), length, masked ? Buffer.alloc(4) : Buffer.alloc(0), payload]);
}

const text = (value: string) => Buffer.from(value);

/** A call whose payload nests arrays about 200,000 deep (under the 1 MB frame limit) where the contract takes JSON. */
const deepPayload = (method: string) => {
  const deep = `${"[".repeat(200_000)}${"]".repeat(200_000)}`;
  return `{"id":4,"method":"${method}","payload":{"profile":{"name":${deep}},"draft":{"name":${deep}},"baseRevision":null,"user":"x"}}`;
};

function requests(): (string | Buffer)[] {
  const h = `Host: 127.0.0.1:${port}`;
  const get = (target: string, headers: string[] = []) =>
    [`GET ${target} HTTP/1.1`, h, ...headers, "", ""].join("\r\n");
  const badTargets = [
    "//[",
    "/%",
    "/%ZZ",
    "/..\\..\\win.ini",
    "*",
    "http://evil.example/",
    "/\u00ff\u0000",
    "/?token=%ZZ",
  ];
  const badCookies = ["pd_token=%ZZ", "pd_token", ";;;;", "=", `pd_token=${"A".repeat(8000)}`, "pd_token=\u00e9"];
  const badHeaders = [
    ["Host:"],
    ["Host: evil.example"],
    ["Origin: null"],
    ["Origin: http://127.0.0.1:1"],
    ["no colon here"],
    ["Content-Length: -1"],
    ["Content-Length: abc"],
    ["Transfer-Encoding: chunked", "", "zz\r\n"],
    ["Authorization: Bearer"],
    [`x-provisiondesk-token: ${token}`, `x-provisiondesk-token: ${token}`],
    [`Host: 127.0.0.1:${port}`],
  ];
  const upgradeWithToken = upgradeRequest(port, `/ipc?token=${token}`);
  const frames = [
    frame(0x81, text("hello"), { masked: false }), // clients must mask
    frame(0x83, Buffer.alloc(0)), // reserved opcode
    frame(0xc1, text("x")), // RSV1 without an extension
    frame(0x82, Buffer.alloc(0), { length: Buffer.from([127, 0x7f, 255, 255, 255, 255, 255, 255, 255]) }), // 2^63 bytes
    frame(0x09, Buffer.alloc(0)), // fragmented ping
    frame(0x88, Buffer.from([0x03, 0xe7])), // close code 999
    frame(0x81, Buffer.from([0xc3, 0x28])), // invalid UTF-8
    frame(0x81, text("null")),
    frame(0x81, text("[]")),
    frame(0x81, text('{"id":1e400,"method":"dashboard.get"}')),
    frame(0x81, text('{"id":1,"method":"__proto__","payload":{"__proto__":{"x":1}}}')),
    frame(0x81, text('{"id":2,"method":"sync.setPaused","payload":{"paused":"yes"}}')),
    frame(0x81, text(`{"id":3,"method":"log.list","payload":${"[".repeat(5000)}${"]".repeat(5000)}}`)),
    ...["profile.save", "rules.test", "connections.testDraft"].map((method) => frame(0x81, text(deepPayload(method)))),
  ].map((bytes) => Buffer.concat([Buffer.from(upgradeWithToken), bytes]));
  return [
    "GARBAGE\r\n\r\n",
    "GET\r\n\r\n",
    "GET / HTTP/9.9\r\n\r\n",
    Buffer.from([0, 1, 2, 3, 255, 254, 13, 10, 13, 10]),
    `GET /${"a".repeat(100_000)} HTTP/1.1\r\n${h}\r\n\r\n`,
    get(
      "/",
      Array.from({ length: 200 }, (_, i) => `X-Filler-${i}: ${"b".repeat(500)}`),
    ),
    get("/", [`X-Huge: ${"c".repeat(70_000)}`]),
    ...badTargets.flatMap((target) => [get(target), upgradeRequest(port, target)]),
    ...badCookies.flatMap((cookie) => [
      get("/", [`Cookie: ${cookie}`]),
      upgradeRequest(port, "/ipc", [`Cookie: ${cookie}`]),
    ]),
    ...badHeaders.flatMap((headers) => [
      [`GET /?token=${token} HTTP/1.1`, ...headers, "", ""].join("\r\n"),
      [`GET /ipc?token=${token} HTTP/1.1`, "Upgrade: websocket", "Connection: Upgrade", ...headers, "", ""].join(
        "\r\n",
      ),
    ]),
    upgradeRequest(port, `/ipc?token=${token}`, ["Sec-WebSocket-Version: 99"]),
    upgradeRequest(port, `/ipc?token=${token}`, ["Sec-WebSocket-Key: short"]),
    ...frames,
  ];
}

/** A small seeded PRNG (mulberry32): the same mutations on every run. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Valid requests with random bytes flipped, inserted and cut. */
function mutations(count: number): Buffer[] {
  const random = prng(20261201);
  const seeds = [
    Buffer.from(`GET /?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: pd_token=${token}\r\n\r\n`),
    Buffer.from(upgradeRequest(port, `/ipc?token=${token}`)),
  ];
  return Array.from({ length: count }, (_, i) => {
    const bytes = Buffer.from(seeds[i % seeds.length]!);
    const edits = 1 + Math.floor(random() * 6);
    let out = bytes;
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(random() * out.length);
      const byte = Math.floor(random() * 256);
      const op = random();
      if (op < 0.5) out[at] = byte;
      else if (op < 0.8) out = Buffer.concat([out.subarray(0, at), Buffer.from([byte]), out.subarray(at)]);
      else out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1 + Math.floor(random() * 8))]);
    }
    return out;
  });
}

/** Sends the payloads a batch at a time (bounded concurrency), returning every answer. */
async function sendAll(payloads: (string | Buffer)[]): Promise<string[]> {
  const answers: string[] = [];
  for (let i = 0; i < payloads.length; i += 16) {
    answers.push(...(await Promise.all(payloads.slice(i, i + 16).map((payload) => rawExchange(port, payload, 200)))));
  }
  return answers;
}

async function validClientWorks(): Promise<void> {
  expect((await fetch(`${origin}/?token=${token}`)).status).toBe(200);
  const api = createWebSocketApi({
    url: `${origin.replace("http", "ws")}/ipc?token=${token}`,
    connect: (url) => new WebSocket(url).on("error", () => undefined) as unknown as SocketLike,
  });
  try {
    expect(await api.invoke("dashboard.get", {})).toMatchObject({ ok: true, value: { profileName: "default" } });
  } finally {
    api.close();
  }
}

const LEAK = /\bat [\w.<>]+ \(|node_modules|[/\\]work[/\\]|URIError|TypeError|SyntaxError/;

describe("browser mode under malformed input", () => {
  it("answers every malformed request and upgrade without a stack, stays up, and keeps serving", async () => {
    const payloads = requests();
    const answers = await sendAll(payloads);
    answers.forEach((answer, i) => {
      expect(LEAK.test(answer), `payload ${i}: ${answer.slice(0, 300)}`).toBe(false);
      // Anything answered with a status is a refusal or a page, never a server error.
      if (statusOf(answer) !== 0) expect(statusOf(answer), `payload ${i}`).not.toBe(500);
    });
    expect(child.exitCode).toBeNull();
    await validClientWorks();
    expect(stderr).toBe("");
  }, 60_000);

  it("survives 300 seeded mutations of valid requests and upgrades", async () => {
    const answers = await sendAll(mutations(300));
    answers.forEach((answer, i) => expect(LEAK.test(answer), `mutation ${i}: ${answer.slice(0, 300)}`).toBe(false));
    expect(child.exitCode).toBeNull();
    await validClientWorks();
    expect(stderr).toBe("");
  }, 60_000);
});
