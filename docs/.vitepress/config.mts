import { readdirSync, statSync } from 'node:fs'
import { join, relative, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitepress'

// The sidebar mirrors docs/ (index.md lists the same pages). Every .md under docs/ must be in it: the build fails
// otherwise, so that no page is left out of the navigation.
const sidebar = [
  { text: 'Overview', link: '/' },
  { text: 'Getting started', link: '/getting-started' },
  {
    text: 'Concepts', items: [
      { text: 'ApiKey', link: '/concepts/apikey' },
      { text: 'Providers and policy', link: '/concepts/providers-and-policy' },
      { text: 'The ledger and the guarantees', link: '/concepts/guarantees' },
      { text: 'Ready and Synced', link: '/concepts/ready-and-synced' },
    ],
  },
  {
    text: 'Vendors', items: [
      { text: 'Harness FME', link: '/integrations/fme' },
      { text: 'Statsig', link: '/integrations/statsig' },
      { text: 'LaunchDarkly', link: '/integrations/launchdarkly' },
      { text: 'Unleash', link: '/integrations/unleash' },
      { text: "The vendors' Admin APIs", link: '/integrations/vendor-apis' },
    ],
  },
  {
    text: 'Guides', items: [
      { text: 'Rotation and grace', link: '/guides/rotation' },
      { text: 'Adoption', link: '/guides/adoption' },
      { text: 'Secret templates', link: '/guides/secret-templates' },
      { text: 'Consumers and restarts', link: '/guides/consumers' },
      { text: 'Multi-tenancy', link: '/guides/multi-tenancy' },
      { text: 'GitOps: Argo CD and Flux', link: '/guides/gitops' },
      { text: 'Several clusters, one account', link: '/guides/several-clusters' },
      { text: 'Migrating', link: '/guides/migrating' },
    ],
  },
  {
    text: 'Reference', items: [
      { text: 'API', link: '/reference/api' },
      { text: 'Settings', link: '/reference/settings' },
      { text: 'Metrics and traces', link: '/reference/metrics' },
      { text: 'Alerts', link: '/reference/alerts' },
      { text: 'Events', link: '/reference/events' },
      { text: 'Troubleshooting', link: '/troubleshooting' },
    ],
  },
  {
    text: 'Operations', items: [
      { text: 'Install', link: '/operations/install' },
      { text: 'Upgrade', link: '/operations/upgrade' },
      { text: 'RBAC', link: '/operations/rbac' },
      { text: 'Leader election', link: '/operations/leader-election' },
      { text: 'Sizing', link: '/operations/sizing' },
      { text: 'Backup and restore', link: '/operations/backup-and-restore' },
      { text: 'Uninstall', link: '/operations/uninstall' },
      { text: 'Releasing', link: '/operations/releasing' },
    ],
  },
  {
    text: 'Design records', items: [
      { text: 'Architecture', link: '/design/architecture' },
      { text: 'The key ledger', link: '/design/ledger' },
      { text: 'Pacing and fairness', link: '/design/pacing' },
      { text: 'Memory and start-up', link: '/design/memory-and-startup' },
    ],
  },
  { text: 'Development', link: '/development' },
]

const docsDir = join(dirname(fileURLToPath(import.meta.url)), '..')

function pages(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (name.startsWith('.') || name === 'node_modules') return []
    if (statSync(path).isDirectory()) return pages(path)
    return name.endsWith('.md') ? [path] : []
  })
}

function links(items: any[]): string[] {
  return items.flatMap((i) => [...(i.link ? [i.link] : []), ...(i.items ? links(i.items) : [])])
}

const inSidebar = new Set(links(sidebar))
const missing = pages(docsDir)
  .map((p) => '/' + relative(docsDir, p).replace(/\\/g, '/').replace(/\.md$/, '').replace(/(^|\/)index$/, ''))
  .map((l) => (l === '/' ? '/' : l.replace(/\/$/, '')))
  .filter((l) => !inSidebar.has(l))
if (missing.length > 0) {
  throw new Error(`docs/.vitepress/config.mts: pages missing from the sidebar: ${missing.join(', ')}`)
}

export default defineConfig({
  title: 'apikey-operator',
  description: 'Feature-flag vendor API keys as Kubernetes resources: created, stored, rotated and revoked',
  cleanUrls: true,
  lastUpdated: false,
  // a broken link between pages fails the build (VitePress' default, kept explicit)
  ignoreDeadLinks: false,
  srcExclude: ['**/node_modules/**'],
  markdown: {
    // Mustache templates ({{key}}) appear in inline code: keep Vue from reading them as interpolations.
    config(md) {
      const inline = md.renderer.rules.code_inline!
      md.renderer.rules.code_inline = (tokens, idx, options, env, self) =>
        inline(tokens, idx, options, env, self).replace(/^<code/, '<code v-pre')
    },
  },
  themeConfig: {
    nav: [
      { text: 'Getting started', link: '/getting-started' },
      { text: 'API', link: '/reference/api' },
      { text: 'Troubleshooting', link: '/troubleshooting' },
    ],
    sidebar,
    search: { provider: 'local' },
    outline: { level: [2, 3] },
  },
})
