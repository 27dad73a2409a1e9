// CommonJS entry of `vaultlift`: require() of the ES module build (Node 20.19 and later).
import vaultlift = require("./index.ts");
export = vaultlift;
