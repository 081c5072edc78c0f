// Opens the built site (docs/.vitepress/dist) in headless Chromium (Debian's /usr/bin/chromium, or CHROMIUM) and
// checks that the home page, the API reference and a troubleshooting entry render, and that search finds a reason.
// Run after `npm run build`: `npm run test:browser`. Exits non-zero on the first failed check.
import { createServer } from 'node:http'
import { readFile, stat } from 'node:fs/promises'
import { join, extname, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { chromium } from 'playwright-core'

const dist = join(dirname(fileURLToPath(import.meta.url)), 'dist')
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.woff2': 'font/woff2', '.png': 'image/png' }

async function file(path) {
  for (const candidate of [path, path + '.html', join(path, 'index.html')]) {
    try {
      if ((await stat(candidate)).isFile()) return candidate
    } catch {}
  }
  return null
}

const server = createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname)
  const found = await file(join(dist, path))
  if (!found) {
    res.writeHead(404).end('not found')
    return
  }
  res.writeHead(200, { 'content-type': types[extname(found)] ?? 'application/octet-stream' })
  res.end(await readFile(found))
})
await new Promise((r) => server.listen(0, '127.0.0.1', r))
const base = `http://127.0.0.1:${server.address().port}`

const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'apikey-docs-chromium-')), {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
})
const failures = []
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`)
  if (!ok) failures.push(what)
}

try {
  const page = await browser.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(e.message))

  await page.goto(`${base}/`, { waitUntil: 'networkidle' })
  check((await page.title()).includes('apikey-operator'), 'home page: title names the project')
  check(await page.locator('h1', { hasText: 'apikey-operator documentation' }).isVisible(), 'home page: heading rendered')
  check(await page.locator('.VPSidebar a', { hasText: 'Troubleshooting' }).count() > 0, 'home page: sidebar links troubleshooting')
  check(await page.locator('.VPSidebar a', { hasText: 'API' }).count() > 0, 'home page: sidebar links the API reference')

  await page.goto(`${base}/reference/api`, { waitUntil: 'networkidle' })
  check(await page.locator('h1', { hasText: 'API reference' }).isVisible(), 'API reference: heading rendered')
  check(await page.locator('table code', { hasText: 'spec.rotation.gracePeriod' }).count() > 0,
    'API reference: the field table lists spec.rotation.gracePeriod')
  check(await page.locator('h2#clusterapikeyprovider').count() === 1, 'API reference: a section per kind')

  await page.goto(`${base}/troubleshooting#revocationfailed`, { waitUntil: 'networkidle' })
  const entry = page.locator('h3#revocationfailed')
  check(await entry.isVisible(), 'troubleshooting: the RevocationFailed entry is rendered')
  const body = await page.locator('h3#revocationfailed + p').innerText()
  check(body.includes('What it means') && body.includes('What to do'), 'troubleshooting: the entry says what it means and what to do')

  await page.locator('.VPNavBarSearch button').first().click()
  const input = page.locator('.VPLocalSearchBox input')
  await input.waitFor({ state: 'visible', timeout: 20000 })
  await input.fill('RevocationFailed')
  await page.waitForSelector('.VPLocalSearchBox .result', { timeout: 20000 }).catch(() => {})
  check(await page.locator('.VPLocalSearchBox .result').count() > 0, 'search: finds RevocationFailed')

  check(errors.length === 0, `no JavaScript errors (${errors.join('; ')})`)
} finally {
  await browser.close()
  server.close()
}
if (failures.length > 0) {
  console.error(`${failures.length} check(s) failed`)
  process.exit(1)
}
console.log('browser test passed')
