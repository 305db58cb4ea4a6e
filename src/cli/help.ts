import { SERVE_FLAGS } from './serve-flags.js'

/** The commands, each with its synopsis (shown with a usage error) and its full help (`--help`). */
export type CommandName = 'serve' | 'seal' | 'open' | 'readiness'

const NAME = 'ottpay-sandbox'

export const USAGE: Record<CommandName | 'top', string> = {
  top: [
    'Usage:',
    `  ${NAME} [serve] [options]     start the sandbox (the default command)`,
    `  ${NAME} seal --key KEY [--action ACTION --merchant ID [--version V]] < data.json`,
    `  ${NAME} open --key KEY < sealed.json`,
    `  ${NAME} readiness --merchant ID [--sandbox URL] [--callback URL]`
  ].join('\n'),
  serve: `Usage: ${NAME} [serve] [--port N] [--host ADDRESS] [--db-file FILE] [--fixtures-dir DIR] [options]`,
  seal: `Usage: ${NAME} seal --key KEY [--action ACTION --merchant ID [--version V]] < data.json`,
  open: `Usage: ${NAME} open --key KEY < sealed.json`,
  readiness: `Usage: ${NAME} readiness --merchant ID [--sandbox URL] [--callback URL] [--ack status|body] [--poll-within DURATION] [--token T] [--format text|json]`
}

const SAMPLE = '{"operator_id":"0000020156","amount":"100","biz_type":"ALIPAY","call_back_url":"http://127.0.0.1:3000/cb"}'

export function topHelp (version: string): string {
  return `${NAME} ${version}: a local stand-in for the OTT Pay gateway (processV2), for integration tests

${USAGE.top}

Commands:
  serve    start the server; every option mirrors an environment variable
  seal     encrypt the data object read on stdin: prints {"data","md5"}, or a whole request envelope
  open     decrypt {data, md5}, a request, an answer or a callback read on stdin: prints its data
  readiness  the go-live checklist of a merchant, callback probe included; exit 1 when a required check fails

Options:
  -h, --help    show this help; each command has its own (${NAME} seal --help)
  --version     print the version

Run \`${NAME} <command> --help\` for a command's options.
`
}

export function serveHelp (): string {
  const rows = SERVE_FLAGS.map((f) => {
    const fallback = f.fallback === undefined ? '' : ` (default ${f.fallback})`
    return `  --${f.flag} ${f.value}\n      ${f.env}: ${f.help}${fallback}`
  })
  return `${USAGE.serve}

Starts the sandbox and logs where it listens. Each option sets the environment variable named below it
(the option wins over the variable), so the messages about a bad value name the variable.
Stop it with Ctrl-C or SIGTERM: it finishes in-flight requests and writes, then exits 0.

Options:
${rows.join('\n')}
  -h, --help
      show this help

Examples:
  ${NAME} --port 0 --db-file :memory:       any free port, nothing kept on disk
  ${NAME} serve --autopay-after 3s --callback-retry-schedule 1s,1s
`
}

export function sealHelp (): string {
  return `${USAGE.seal}

Reads a data object (JSON) on stdin and seals it as Appendix A says: md5 of the values sorted by key, AES with
the key derived from that md5 and the sign key. Prints {"data","md5"} on one line; with --action and --merchant,
prints the whole processV2 request {action, version, merchant_id, data, md5}, ready for curl.

Options:
  --key KEY          the merchant's sign key (required)
  --action ACTION    print a whole request for this action, e.g. ACTIVEPAY
  --merchant ID      the request's merchant_id (with --action)
  --version V        the request's version (default: the action's documented version)
  -h, --help         show this help

Example (a request, its answer opened):
  echo '${SAMPLE}' \\
    | ${NAME} seal --key SANDBOXKEY000001 --action ACTIVEPAY --merchant QC00005496 \\
    | curl -s -H 'content-type: application/json' --data-binary @- http://127.0.0.1:8080/processV2 \\
    | ${NAME} open --key SANDBOXKEY000001
`
}

export function openHelp (): string {
  return `${USAGE.open}

Reads JSON with the string fields data and md5 on stdin (a sealed pair, a request, an answer or a callback
body), decrypts data with the sign key, checks md5 and prints the data object on one line.
When it cannot, it says why on stderr (the failing step, the decrypted text, the md5 expected, likely
mistakes) and exits 1; an answer without data (a rejected request) prints its rsp_code and rsp_msg.

Options:
  --key KEY     the merchant's sign key (required)
  -h, --help    show this help

Example:
  curl -s -H 'content-type: application/json' --data-binary @request.json http://127.0.0.1:8080/processV2 \\
    | ${NAME} open --key SANDBOXKEY000001
`
}

export function readinessHelp (): string {
  return `${USAGE.readiness}

Asks a running sandbox for the go-live checklist of a merchant (docs/go-live-checklist.md): first it runs the
callback probe against --callback, or the call_back_url the merchant used last (forged callbacks marked
x-sandbox-probe: readiness; no order changes), then it prints each check: passed, FAIL or not yet exercised, with
the evidence, the fix and the docs section. Exit 0 when no required check failed, 1 when one did (or the sandbox
could not answer), 2 for a bad command line: a merchant's CI can gate on it.

Options:
  --merchant ID             the merchant to check (required)
  --sandbox URL             the sandbox (default: SANDBOX_URL, else http://127.0.0.1:8080)
  --callback URL            the endpoint to probe (default: the merchant's last call_back_url)
  --ack status|body         an acknowledgement is any 2xx (status, the default) or a 2xx whose body says SUCCESS
  --poll-within DURATION    how soon a STATUS_QUERY must follow a payment whose callback is missing (default 300s)
  --settle MS               how long the probe waits after each callback for your server's gateway calls (default 500)
  --token T                 the admin token when the sandbox has ADMIN_TOKEN (default: ADMIN_TOKEN)
  --format text|json        the checklist as text (default) or the JSON report
  -h, --help                show this help

Example (in CI, after the integration tests ran against the sandbox):
  ${NAME} readiness --merchant QC00005496 --callback http://127.0.0.1:3000/ottpay/callback
`
}
