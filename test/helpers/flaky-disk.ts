import { open, type FileHandle } from 'node:fs/promises'

/**
 * A disk whose journal writes fail while `broken` is set: what ENOSPC or EIO does to the real one. Pass
 * `openFile` to createStore.
 */
export function flakyDisk () {
  const disk = {
    broken: false,
    openFile: async (path: string, flags: string): Promise<FileHandle> => {
      const handle = await open(path, flags)
      const write = handle.write.bind(handle) as (...args: unknown[]) => Promise<unknown>
      return Object.assign(handle, {
        write: async (...args: unknown[]) => {
          if (disk.broken) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
          return await write(...args)
        }
      })
    }
  }
  return disk
}
