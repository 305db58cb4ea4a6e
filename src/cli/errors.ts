/**
 * The two ways a command fails. A usage error is the caller's command line (exit 2, with the usage); an input
 * error is what came in on stdin or could not be opened (exit 1, the reason only).
 */
export class UsageError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export class InputError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'InputError'
  }
}
