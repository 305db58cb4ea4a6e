import type { Test } from 'tap'

/** What a helper needs of a test: a place to register its cleanup (a tap `Test`, or anything with `teardown`). */
export type Tap = Pick<Test, 'teardown'>
