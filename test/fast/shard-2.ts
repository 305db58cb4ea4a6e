// `npm run test:fast`: the second of two processes that run test/unit and test/app (see ./shard.ts).
import { runShard } from './shard.js'

await runShard(1, 2)
