/** A detection worker: receives fragments from the pool, answers with findings and their values. */
import { parentPort } from "node:worker_threads";
import { Detector } from "./detector.ts";
import type { FragmentMessage, ResultMessage } from "./pool.ts";

const detector = new Detector();
const port = parentPort;
if (!port) throw new Error("worker.ts runs as a worker thread");

port.postMessage({ ready: true } satisfies ResultMessage);
port.on("message", (message: FragmentMessage) => {
  const { id, content, ...rest } = message;
  let reply: ResultMessage;
  try {
    const findings = detector.detect({ ...rest, content: Buffer.from(content.buffer, content.byteOffset, content.byteLength) });
    reply = { id, findings: findings.map((finding) => ({ finding: { ...finding }, secret: finding.secret })) };
  } catch (error) {
    reply = { id, error: (error as Error).message };
  }
  port.postMessage(reply);
});
