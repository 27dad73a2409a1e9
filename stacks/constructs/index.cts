// CommonJS entry of `vaultlift/constructs`: require() of the ES module build (Node 20.19 and later).
import constructs = require("./index.ts");
export = constructs;
