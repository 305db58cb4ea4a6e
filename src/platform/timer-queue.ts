/**
 * A priority queue of things that fall due, keyed by time (a binary min-heap). An entry is a hint, not a promise:
 * whoever pops it checks the current state, so an entry made stale by a later change is simply dropped. The same
 * (key, time) is queued once.
 */
export interface Due<K extends string = string> {
  at: number
  key: K
}

export class TimerQueue<K extends string = string> {
  private readonly heap: Array<Due<K>> = []
  private readonly queued = new Set<string>()

  get size (): number {
    return this.heap.length
  }

  push (at: number, key: K): void {
    const id = `${at}\u0000${key}`
    if (this.queued.has(id)) return
    this.queued.add(id)
    this.heap.push({ at, key })
    this.up(this.heap.length - 1)
  }

  peek (): Due<K> | undefined {
    return this.heap[0]
  }

  pop (): Due<K> | undefined {
    const top = this.heap[0]
    if (top === undefined) return undefined
    const last = this.heap.pop()!
    if (this.heap.length > 0) {
      this.heap[0] = last
      this.down(0)
    }
    this.queued.delete(`${top.at}\u0000${top.key}`)
    return top
  }

  clear (): void {
    this.heap.length = 0
    this.queued.clear()
  }

  private up (i: number): void {
    const entry = this.heap[i]!
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (this.heap[parent]!.at <= entry.at) break
      this.heap[i] = this.heap[parent]!
      i = parent
    }
    this.heap[i] = entry
  }

  private down (i: number): void {
    const entry = this.heap[i]!
    const n = this.heap.length
    for (;;) {
      let child = 2 * i + 1
      if (child >= n) break
      if (child + 1 < n && this.heap[child + 1]!.at < this.heap[child]!.at) child += 1
      if (this.heap[child]!.at >= entry.at) break
      this.heap[i] = this.heap[child]!
      i = child
    }
    this.heap[i] = entry
  }
}
