/** A detection worker: receives fragments from the pool, answers with findings and their values. */
import { parentPort, workerData } from "node:worker_threads";
import { createFingerprinter } from "../../../core/fingerprint.ts";
import { Detector } from "./detector.ts";
import type { FragmentMessage, ResultMessage } from "./pool.ts";

const hashKey = (workerData as { hashKey?: Uint8Array } | undefined)?.hashKey;
const detector = new Detector(undefined, hashKey ? createFingerprinter(Buffer.from(hashKey)) : undefined);
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
