/** A detection worker: receives batches of fragments from the pool, answers with their findings and values. */
import { parentPort, workerData } from "node:worker_threads";
import { createFingerprinter } from "../../../core/fingerprint.ts";
import { Detector } from "./detector.ts";
import type { BatchMessage, ResultMessage } from "./pool.ts";

const hashKey = (workerData as { hashKey?: Uint8Array } | undefined)?.hashKey;
const detector = new Detector(undefined, hashKey ? createFingerprinter(Buffer.from(hashKey)) : undefined);
const port = parentPort;
if (!port) throw new Error("worker.ts runs as a worker thread");

port.postMessage({ ready: true } satisfies ResultMessage);
port.on("message", ({ id, fragments }: BatchMessage) => {
  let reply: ResultMessage;
  try {
    const findings = fragments.map(({ content, ...rest }) =>
      detector.detect({ ...rest, content: Buffer.from(content.buffer, content.byteOffset, content.byteLength) }).map((finding) => ({ finding: { ...finding }, secret: finding.secret })),
    );
    reply = { id, findings };
  } catch (error) {
    reply = { id, error: (error as Error).message };
  }
  port.postMessage(reply);
});
