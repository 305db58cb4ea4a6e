import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** The repository's root folder. */
export const ROOT = new URL('../../', import.meta.url).pathname

/** A markdown file of the repository: README.md or docs/*.md, by its path from the root. */
export interface DocFile { path: string, text: string }

export function docFile (path: string): DocFile {
  return { path, text: readFileSync(join(ROOT, path), 'utf8') }
}

/** README.md and every page of docs/, the files whose examples npm test runs. */
export function allDocs (): DocFile[] {
  const pages = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).sort()
  return [docFile('README.md'), ...pages.map((name) => docFile(`docs/${name}`))]
}

/** One fenced code block: its language (`''` for a plain block), its text, and its first line as its name. */
export interface CodeBlock { file: string, lang: string, code: string, name: string }

export function codeBlocks (doc: DocFile): CodeBlock[] {
  return [...doc.text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({
    file: doc.path,
    lang: m[1]!,
    code: m[2]!,
    name: m[2]!.split('\n')[0]!
  }))
}

/** The text from a heading (a line of its own) to the end of the file. */
function sectionFrom (doc: DocFile, heading: string): string {
  const at = `\n${doc.text}`.indexOf(`\n${heading}\n`)
  if (at === -1) throw new Error(`${doc.path} has no heading ${heading}`)
  return doc.text.slice(at)
}

/** The first block of `lang` after a heading (that contains `marker`, when given). */
export function snippetAfter (doc: DocFile, heading: string, marker = '', lang = 'js'): string {
  for (const match of sectionFrom(doc, heading).matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))) {
    if (match[1]!.includes(marker)) return match[1]!
  }
  throw new Error(`no ${lang} block after ${heading} in ${doc.path}`)
}

/** The plain block after "It prints:" under a heading: what the doc says a snippet prints. */
export function outputAfter (doc: DocFile, heading: string): string {
  const match = /It prints:\n\n```\n([\s\S]*?)```/.exec(sectionFrom(doc, heading))
  if (match === null) throw new Error(`no output block after ${heading} in ${doc.path}`)
  return match[1]!
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
export function anchorOf (heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-')
}

/** The anchors of a markdown file's headings (outside code blocks), numbered as GitHub does when repeated. */
export function anchorsOf (text: string): Set<string> {
  const seen = new Map<string, number>()
  const anchors = new Set<string>()
  for (const [, heading] of text.replace(/^```[\s\S]*?^```$/gm, '').matchAll(/^#{1,6} (.+)$/gm)) {
    const base = anchorOf(heading!)
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    anchors.add(n === 0 ? base : `${base}-${n}`)
  }
  return anchors
}
