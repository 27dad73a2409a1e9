/** The one redaction function: no exact length, no prefix of a short or guessable value. */
import { describe, expect, it } from "vitest";
import { redact } from "../../core/redact.ts";

describe("redact", () => {
  it("buckets the length instead of printing it", () => {
    expect(redact("482913")).toBe("********(<8)");
    expect(redact("4829137")).toBe(redact("48"));
    expect(redact("Tr0ub4dor-Horse")).toBe("********(8-16)");
    expect(redact("Tr0ub4dor-Horse-91")).toBe("********(17-32)");
    expect(redact("x".repeat(200))).toBe("********(>128)");
  });

  it("shows no prefix of a password, however long", () => {
    expect(redact("correct-horse-battery-staple-forever")).toBe("********(33-64)");
    expect(redact("Summer2024!Summer2024!Summer2024!")).not.toMatch(/^Sum/);
  });

  it("shows a known token format's fixed prefix, and nothing of the random part", () => {
    expect(redact("ghp_Q8wZ3kLm9Pz2xY7vB3nR5tW1aC6dE0fG4hJ8")).toBe("ghp_********(33-64)");
    expect(redact("sk_live_4eC39HqLyjWDarjtT1zdp7dcA9xQ")).toBe("sk_live_********(33-64)");
    expect(redact("AKIAQ3EGRIGHJ6X2ZK5M")).toBe("AKIA********(17-32)");
  });

  it("shows four characters only of a long random value", () => {
    expect(redact("Zq8Xk2Lm9Pw3Rt7Vy1Bn5Cd0Fg4Hj6Ks8N")).toBe("Zq8X********(33-64)");
    expect(redact("0123456789abcdef0123456789abcdef")).toBe("********(17-32)");
  });

  it("never shows control characters", () => {
    expect(redact("\u001b[2Jabcdefghijklmnopqrstuvwxyz0123456789ABCDEF")).not.toContain("\u001b");
  });
});
