// `npm run test:fast`: the first of two processes that run test/unit and test/app (see ./shard.ts).
import { runShard } from './shard.js'

await runShard(0, 2)
