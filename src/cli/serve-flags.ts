import { CONFIG_VAR_LIST } from '../config/config-vars.js'

/** One `serve` option: it sets one environment variable, which src/config/config.ts validates as usual. */
export interface ServeFlag {
  flag: string
  env: string
  /** The placeholder shown in the help. */
  value: string
  help: string
  /** The default as the variable would spell it, when there is one to show. */
  fallback?: string
}

/** One flag for every variable loadConfig reads, spelled as the variable: the rows of src/config/config-vars.ts. */
export const SERVE_FLAGS: readonly ServeFlag[] = CONFIG_VAR_LIST.map((v) => ({
  flag: v.env.toLowerCase().replace(/_/g, '-'),
  env: v.env,
  value: v.value,
  help: v.help,
  ...(v.fallback === undefined || v.serveDefault === true ? {} : { fallback: v.fallback })
}))
