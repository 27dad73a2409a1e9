/** Where the config is looked for when neither --config nor VAULTLIFT_CONFIG names one. */
export const DEFAULT_CONFIG_FILE = "vaultlift.yaml";
