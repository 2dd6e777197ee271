// Browser tests: the demo portal served by the real binary, driven in headless Chromium,
// checked with axe-core (WCAG 2.1 A/AA). Run by scripts/e2e, which sets GONGKAI_BIN.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = require('axe-core').source;
const PASSWORD = 'e2e demo password';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let server, base, browser, dataDir;

async function startServer() {
  const bin = process.env.GONGKAI_BIN;
  assert.ok(bin && existsSync(bin), `GONGKAI_BIN must name the gongkai binary (got ${bin})`);
  dataDir = mkdtempSync(join(tmpdir(), 'gongkai-e2e-'));
  server = spawn(bin, ['serve', '--demo', '--bind', '127.0.0.1:0', '--data-dir', dataDir], {
    env: { ...process.env, GONGKAI_DEMO_PASSWORD: PASSWORD, RUST_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/已启动:(http:\/\/[0-9.:]+)\//);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

before(async () => {
  base = await startServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null && server.signalCode === null) {
    // On SIGTERM the server finishes its work (the search indexer may still be writing its
    // index): removing the data directory before it exits raced with that (ENOTEMPTY).
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    const timer = setTimeout(() => server.kill('SIGKILL'), 10000);
    await exited;
    clearTimeout(timer);
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
});

async function newPage(options = {}) {
  // bypassCSP lets the test inject axe-core; the site itself allows no inline script.
  const context = await browser.newContext({ bypassCSP: true, locale: 'zh-CN', ...options });
  return context.newPage();
}

async function axe(page, label) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  const problems = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  assert.deepEqual(problems, [], `${label}: accessibility violations`);
  assert.ok(result.passes.length > 10, `${label}: axe ran its checks`);
}

// Time passing, for steps that wait on the calendar: runs SQL on the portal's database
// (SQLite in the data dir, or the PostgreSQL database the server was given).
function sql(statement) {
  const url = process.env.GONGKAI_DATABASE_URL;
  if (url) execFileSync('psql', [url, '-qc', statement]);
  else execFileSync('sqlite3', [join(dataDir, 'gongkai.db'), statement]);
}

function isoDaysFromToday(days) {
  return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

// The node rebuilds its index at start: wait until it has caught up.
async function searchCaughtUp() {
  for (let i = 0; i < 100; i++) {
    const ready = await (await fetch(base + '/readyz')).json();
    if (ready.search && ready.search.documents > 0 && ready.search.lag === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function login(page, username) {
  await page.goto(`${base}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(`${base}/office`);
}

test('home page: Chinese, landmarks, seed documents, accessible', async () => {
  const page = await newPage();
  await page.goto(base + '/');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), '政府信息公开');
  for (const role of ['banner', 'navigation', 'main', 'contentinfo']) {
    assert.ok(await page.getByRole(role).first().isVisible(), role);
  }
  assert.ok(await page.getByRole('link', { name: /嘉定区政务公开工作要点/ }).isVisible());
  assert.ok(await page.getByRole('link', { name: '云溪区教育局', exact: true }).isVisible());
  await axe(page, 'home');
  await page.context().close();
});

test('keyboard: the skip link is first and moves focus to the main content', async () => {
  const page = await newPage();
  await page.goto(base + '/');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), '跳到主要内容');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => location.hash), '#main');
  await page.context().close();
});

test('document and agency pages are accessible and fit a phone screen', async () => {
  const page = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
  await page.goto(base + '/');
  await page.getByRole('link', { name: /嘉定区政务公开工作要点/ }).click();
  assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /嘉定区政务公开工作要点/);
  assert.ok((await page.textContent('main')).includes('嘉府办发〔2021〕18号'));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling on a phone (overflow ${overflow}px)`);
  await axe(page, 'document');
  await page.goto(base + '/agencies/YX0202');
  assert.ok((await page.textContent('main')).includes('办公时间'));
  await axe(page, 'agency');
  await page.context().close();
});

test('staff log in and out without JavaScript', async () => {
  const page = await newPage({ javaScriptEnabled: false });
  await page.goto(base + '/office');
  assert.ok(page.url().startsWith(`${base}/login`), 'anonymous visitors are sent to the login page');
  await page.getByLabel('用户名').fill('staff');
  await page.getByLabel('密码').fill('not the password');
  await page.getByRole('button', { name: '登录' }).click();
  assert.equal(await page.getByRole('alert').textContent().then((t) => t.trim()), '用户名或密码不正确');
  await login(page, 'staff');
  assert.ok((await page.textContent('header')).includes('机构经办人'));
  await page.goto(`${base}/office/calendar?year=2024&from=2024-09-27&days=20`);
  assert.ok((await page.textContent('main')).includes('2024-10-30'));
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.waitForURL(base + '/');
  await page.goto(base + '/office');
  assert.ok(page.url().startsWith(`${base}/login`), 'logged out');
  await page.context().close();
});

test('office pages are accessible', async () => {
  const page = await newPage();
  await login(page, 'office');
  await axe(page, 'office home');
  await page.goto(`${base}/office/calendar?year=2024&from=2024-09-27&days=20`);
  assert.ok((await page.textContent('main')).includes('国庆节调休上班:计入 1 天'));
  await axe(page, 'calendar with a computed deadline');
  await page.goto(`${base}/office/selfcheck`);
  const main = await page.textContent('main');
  assert.ok(main.includes('互动回应差') && main.includes('不可用的站内链接 0 个'), main);
  await axe(page, 'website self-check');
  await page.goto(`${base}/office/dashboard`);
  assert.ok((await page.textContent('main')).includes('政务公开在绩效考核中的权重为 4.0%'));
  await axe(page, 'office dashboard');
  await page.context().close();
});

test('administrator forms show errors accessibly and change nothing', async () => {
  const page = await newPage();
  await login(page, 'admin');
  await page.goto(base + '/office/agencies');
  await axe(page, 'agency admin');
  await page.getByLabel(/^机构代码/).fill('YX0999');
  await page.getByLabel('机构名称').fill('云溪区统计局');
  await page.getByLabel(/^上级机构代码/).fill('NOPE99');
  await page.getByRole('button', { name: '新增机构' }).click();
  assert.match(await page.getByRole('alert').textContent(), /上级机构代码“NOPE99”不存在/);
  assert.equal(await page.getByLabel(/^上级机构代码/).getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByLabel('机构名称').inputValue(), '云溪区统计局', 'input is kept');
  await axe(page, 'agency form with error');
  await page.goto(base + '/agencies/YX0999');
  assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /未找到/);
  await page.goto(base + '/office/users');
  await axe(page, 'user admin');
  await page.context().close();
});

test('a repealed document shows its banner and links to its replacement', async () => {
  const page = await newPage();
  await page.goto(base + '/');
  await page.getByRole('link', { name: '云溪区政府信息公开申请办理规定', exact: true }).click();
  const banner = page.getByRole('status').filter({ hasText: '本文件已废止' });
  assert.ok(await banner.isVisible(), 'repealed banner');
  await banner.getByRole('link').click();
  assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /2024年修订/);
  const meta = await page.textContent('table.meta-table');
  for (const label of ['索引号', '主题分类', '发布机构', '成文日期', '文号', '发布日期', '有效性', '云府办规〔2024〕2号', '现行有效']) {
    assert.ok(meta.includes(label), `metadata shows ${label}`);
  }
  await axe(page, 'document with relations');
  const interp = page.getByRole('region', { name: '政策解读' });
  assert.equal(await interp.getByRole('listitem').count(), 2, 'a policy with two interpretations');
  await interp.getByRole('link', { name: /一图读懂/ }).click();
  assert.ok((await page.textContent('main')).includes('图解'));
  await axe(page, 'interpretation');
  await page.goBack();
  await page.goto(base + '/documents/2');
  assert.ok((await page.textContent('table.meta-table')).includes('WA1301001-2021-003'), 'seed 001 keeps its own 索引号');
  await page.context().close();
});

test('the office sees overdue publications with the calendar explanation', async () => {
  const page = await newPage();
  await login(page, 'office');
  const row = page.getByRole('row').filter({ hasText: '关于调整部分学校作息时间的通知' });
  assert.ok((await row.textContent()).includes('已超期'));
  await row.getByText('计算说明').click();
  assert.ok((await row.textContent()).includes('不计入'));
  await axe(page, 'office home with the publication clock');
  await page.context().close();
});

test('review workflow: staff register and submit, the reviewer approves, staff publish', async () => {
  const title = '云溪区教育局关于开展校园安全专项检查的通知';
  const staff = await newPage();
  await login(staff, 'staff');
  await staff.goto(base + '/office/documents/new');
  await axe(staff, 'document form');
  await staff.getByLabel('标题').fill(title);
  await staff.getByLabel(/^文号/).fill('云教发[2026]40号');
  await staff.getByLabel('主题分类').selectOption('科技、教育\\教育');
  await staff.getByLabel('成文日期').fill('2026-11-20');
  await staff.getByLabel('正文').fill('各中小学:\n现就开展校园安全专项检查通知如下。');
  await staff.getByRole('radio', { name: '主动公开', exact: true }).check();
  await staff.getByRole('button', { name: '保存' }).click();
  assert.ok((await staff.textContent('main')).includes('云教发〔2026〕40号'), '文号 normalised');
  await staff.getByRole('button', { name: '提交审核' }).click();
  assert.ok((await staff.textContent('main')).includes('待审核'));
  const detail = staff.url();

  const reviewer = await newPage();
  await login(reviewer, 'reviewer');
  await reviewer.goto(detail);
  await axe(reviewer, 'document review');
  await reviewer.getByRole('button', { name: '审核通过' }).click();
  assert.ok((await reviewer.textContent('main')).includes('已审核'));

  await staff.goto(detail);
  await staff.getByRole('button', { name: '发布' }).click();
  await staff.getByRole('link', { name: '查看公开页面' }).click();
  assert.equal(await staff.getByRole('heading', { level: 1 }).textContent(), title);
  assert.ok((await staff.textContent('table.meta-table')).includes('YX0202/2026-'));
  await staff.context().close();
  await reviewer.context().close();
});

test('the 政策文件 list filters without JavaScript and is accessible', async () => {
  const page = await newPage({ javaScriptEnabled: false });
  await page.goto(base + '/');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '政策文件' }).click();
  assert.match(await page.getByRole('status').first().textContent(), /共 \d+ 件/);
  await page.getByLabel('文种').selectOption('report');
  await page.getByRole('button', { name: '筛选' }).click();
  const items = await page.locator('.doc-list li').count();
  assert.ok(items >= 2, `reports listed (${items})`);
  assert.ok((await page.textContent('main')).includes('年度報告'));
  await page.context().close();
  const js = await newPage();
  await js.goto(base + '/documents?validity=repealed');
  assert.ok((await js.textContent('main')).includes('云溪区政府信息公开申请办理规定'));
  await axe(js, 'document list');
  await js.context().close();
});

test('the gazette archive lists the demo issue and its documents in order', async () => {
  const page = await newPage();
  await page.goto(base + '/');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '政府公报' }).click();
  await axe(page, 'gazette archive');
  await page.getByRole('link', { name: '2024年第1期' }).click();
  const items = page.locator('ol.doc-list li');
  assert.equal(await items.count(), 5);
  assert.match(await items.first().textContent(), /2024年云溪区政务公开工作要点/);
  await axe(page, 'gazette issue');
  await page.context().close();
});

test('the catalogue shows its items with content, and the office sees what is missing', async () => {
  const page = await newPage();
  await page.goto(base + '/agencies/YX0100');
  await page.getByRole('link', { name: '主动公开目录' }).click();
  const main = await page.textContent('main');
  for (const text of ['行政规范性文件', '公开依据', '云溪区政府信息公开申请办理规定(2024年修订)', '财政预决算']) {
    assert.ok(main.includes(text), text);
  }
  await axe(page, 'catalogue');
  await login(page, 'office');
  await page.goto(base + '/office/catalogue?agency=YX0100');
  const flagged = page.getByRole('row').filter({ hasText: '财政预决算' }).first();
  assert.ok((await flagged.textContent()).includes('无内容'));
  await axe(page, 'office catalogue');
  await page.context().close();
});

test('error pages are Chinese and accessible', async () => {
  const page = await newPage();
  const res = await page.goto(base + '/no/such/page');
  assert.equal(res.status(), 404);
  assert.ok((await page.textContent('main')).includes('请求编号'));
  await axe(page, '404');
  await page.context().close();
});

test('home browses by topic; the agency column shows the guide and statutory content without JavaScript', async () => {
  const page = await newPage({ javaScriptEnabled: false });
  await page.goto(base + '/');
  await page.getByRole('region', { name: '按主题浏览' }).getByRole('link', { name: '综合政务' }).click();
  assert.match(page.url(), /\/documents\?topic=/);
  assert.match(await page.getByRole('status').first().textContent(), /共 [1-9]\d* 件/);
  await page.goto(base + '/agencies/YX0000');
  const column = page.getByRole('navigation', { name: /政府信息公开/ });
  await column.getByRole('link', { name: '政府信息公开指南' }).click();
  const guide = await page.textContent('main');
  for (const text of ['一、主动公开', '二、依申请公开', '收到申请之日', '100 元/件', '三、监督和救济', '政府信息查阅场所']) {
    assert.ok(guide.includes(text), text);
  }
  assert.equal(await column.getByRole('link', { name: '政府信息公开指南' }).getAttribute('aria-current'), 'page');
  await page.goto(base + '/agencies/YX0100/statutory');
  const item = page.getByRole('listitem').filter({ hasText: '(一)行政法规、规章和规范性文件' });
  assert.ok((await item.textContent()).includes('行政规范性文件'));
  await page.context().close();

  const js = await newPage();
  for (const [path, label] of [['/agencies/YX0000/guide', 'guide'], ['/agencies/YX0100/statutory', 'statutory'], ['/', 'home with topics']]) {
    await js.goto(base + path);
    await axe(js, label);
  }
  await js.context().close();
});

test('政策解读 are listed and filtered by form', async () => {
  const page = await newPage({ javaScriptEnabled: false });
  await page.goto(base + '/');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '政策解读' }).click();
  assert.ok((await page.textContent('main')).includes('共 2 篇'));
  await page.getByLabel('解读形式').selectOption('graphic');
  await page.getByRole('button', { name: '筛选' }).click();
  assert.ok((await page.textContent('main')).includes('共 1 篇'));
  await page.getByRole('link', { name: /一图读懂/ }).click();
  assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /一图读懂/);
  await page.context().close();
  const js = await newPage();
  await js.goto(base + '/interpretations');
  await axe(js, 'interpretations');
  await js.context().close();
});

test('attachments: checked by content on upload, listed and served on the public page', async () => {
  const page = await newPage();
  await page.goto(base + '/documents?kind=notice&agency=YX0201');
  await page.getByRole('link', { name: '云溪区2024年涉企行政事业性收费目录清单' }).click();
  const link = page.getByRole('region', { name: '附件' }).getByRole('link');
  assert.match(await link.textContent(), /收费目录清单\.pdf/);
  const res = await page.request.get(base + await link.getAttribute('href'));
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['content-type'], 'application/pdf');
  assert.ok((await res.body()).subarray(0, 5).equals(Buffer.from('%PDF-')));
  await axe(page, 'document with attachment');

  await login(page, 'office');
  await page.goto(base + '/office/documents');
  await page.getByRole('link', { name: '云溪区教育局关于调整部分学校作息时间的通知' }).first().click();
  const upload = page.getByLabel(/上传附件/);
  await upload.setInputFiles({ name: '作息时间表.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html><script>alert(1)</script></html>') });
  await page.getByRole('button', { name: '上传', exact: true }).click();
  assert.ok((await page.getByRole('alert').textContent()).includes('无法识别的文件类型'));
  await axe(page, 'upload refused');
  await page.getByLabel(/上传附件/).setInputFiles({ name: '作息时间表.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await page.getByRole('button', { name: '上传', exact: true }).click();
  const list = await page.getByRole('region', { name: '附件' }).textContent();
  assert.ok(list.includes('作息时间表.pdf'), list);
  await page.context().close();
});

test('依申请公开: apply without JavaScript, confirm, keep the code and key, follow the request', async () => {
  const page = await newPage({ javaScriptEnabled: false });
  await page.goto(base + '/');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '申请公开' }).click();
  await page.getByLabel('向哪个机关申请').selectOption('YX0202');
  await page.getByLabel('姓名或名称').fill('陈晓');
  await page.getByLabel('证件号码').fill('110105194912310021');
  await page.getByLabel('联系电话').fill('13900001111');
  await page.getByLabel('所需信息的内容描述').fill('本区2025年义务教育阶段学校招生计划');
  await page.getByRole('button', { name: '下一步' }).click();
  assert.ok((await page.getByRole('alert').textContent()).includes('校验位不正确'));
  assert.equal(await page.getByLabel('证件号码').getAttribute('aria-invalid'), 'true');
  await page.getByLabel('证件号码').fill('11010519491231002X');
  await page.getByRole('button', { name: '下一步' }).click();
  assert.ok((await page.textContent('main')).includes('110*************2X'));
  await page.getByRole('button', { name: '确认提交' }).click();
  const code = (await page.locator('#tracking-code').textContent()).trim();
  const key = (await page.locator('#tracking-key').textContent()).trim();
  assert.match(code, /^YSQ\d{4}-\d{6}$/);
  await page.getByRole('link', { name: '查询办理进度' }).click();
  await page.getByLabel('查询码').fill(code);
  await page.getByLabel('查询密钥').fill(key);
  await page.getByRole('button', { name: '查询' }).click();
  assert.ok((await page.textContent('main')).includes('待确认收到'));
  await page.context().close();

  const js = await newPage();
  await js.goto(base + '/requests/new');
  await axe(js, 'application form');
  await js.goto(base + '/requests/track');
  await axe(js, 'tracking form');
  // The office confirms it; the demo's requests show their clocks.
  await login(js, 'staff');
  await js.goto(base + '/office/requests');
  await axe(js, 'request queue');
  await js.getByRole('link', { name: code }).click();
  await js.getByRole('button', { name: '确认收到申请' }).click();
  assert.ok((await js.textContent('main')).includes('答复期限计算'));
  await axe(js, 'request page');
  await js.context().close();
});

test('一网通查: search from the header without JavaScript, in traditional characters, filters as links, accessible on a phone', async () => {
  await searchCaughtUp();
  const plain = await newPage({ javaScriptEnabled: false });
  await plain.goto(base + '/');
  await plain.fill('#site-q', '政務公開');
  await Promise.all([plain.waitForURL(/\/search\?q=/), plain.press('#site-q', 'Enter')]);
  const main = await plain.textContent('main');
  assert.match(main, /找到 \d+ 条结果/);
  assert.match(await plain.locator('.hit-list h3 a').first().textContent(), /政务公开/);
  assert.ok(await plain.locator('.hit-list mark').count() > 0, 'matches are marked');
  // A facet is a plain link that narrows the results.
  await Promise.all([plain.waitForURL(/kind=gazette/), plain.locator('aside.facets').getByRole('link', { name: '政府公报' }).click()]);
  assert.match(await plain.textContent('main'), /找到 \d+ 条结果/);
  for (const kind of await plain.locator('.hit-list .meta').allTextContents()) {
    assert.ok(kind.startsWith('政府公报'), `only gazette issues: ${kind}`);
  }
  await plain.context().close();

  const phone = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
  await phone.goto(base + '/search?q=' + encodeURIComponent('依申请公开'));
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling on a phone (overflow ${overflow}px)`);
  await axe(phone, 'search results');
  // An empty query is refused with a message, not an error page.
  const res = await phone.goto(base + '/search?q=+&page=1');
  assert.equal(res.status(), 422);
  assert.match(await phone.getByRole('alert').textContent(), /请输入检索词/);
  await axe(phone, 'search with an error');
  await phone.context().close();
});

test('一网通答 by passage: a question shows the article that answers it and links to where it stands', async () => {
  await searchCaughtUp();
  // On a phone (the page needs no script; axe does).
  const page = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
  await page.goto(base + '/search?q=' + encodeURIComponent('政府信息公开申请办理规定什么时候开始施行？'));
  const answer = page.locator('section.passage-answer');
  assert.match(await answer.textContent(), /第二条/);
  assert.match(await answer.locator('blockquote').textContent(), /施行/);
  const link = answer.getByRole('link');
  assert.match(decodeURIComponent(await link.getAttribute('href')), /^\/documents\/\d+#第二条$/);
  await axe(page, 'search with a passage answer');
  // The link lands on the article: the page marks where it begins.
  await Promise.all([page.waitForURL(/\/documents\/\d+#/), link.click()]);
  const target = await page.evaluate(() => document.querySelector(':target')?.id);
  assert.equal(target, '第二条');
  assert.match(await page.locator('.body').textContent(), /第二条 本规定自/);
  await page.context().close();
});

test('意见征集: the public comments on a draft; staff decide every opinion and publish the feedback report', async () => {
  // The public, on a phone: find the open consultation, comment on one article.
  const pub = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
  await pub.goto(base + '/consultations');
  await axe(pub, 'consultation list');
  await pub.getByRole('link', { name: /养犬管理办法/ }).click();
  const draftUrl = pub.url();
  await pub.getByRole('link', { name: '对第三条提意见' }).click();
  assert.equal(await pub.getByLabel('针对条款').inputValue(), '3', 'the article link preselects it');
  await axe(pub, 'consultation page');
  const overflow = await pub.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling on a phone (overflow ${overflow}px)`);
  // Too short: refused with the reason, the typed text kept, nothing stored.
  await pub.getByLabel('意见内容').fill('好');
  await pub.getByRole('button', { name: '提交意见' }).click();
  assert.match(await pub.getByRole('alert').textContent(), /意见内容至少需要 5 个字符/);
  assert.equal(await pub.getByLabel('意见内容').getAttribute('aria-invalid'), 'true');
  await axe(pub, 'comment form with error');
  const text = '建议第三条允许在“随申办”上在线办理养犬登记和年检。';
  await pub.getByLabel('意见内容').fill(text);
  await pub.getByLabel(/^姓名或单位/).fill('赵女士');
  await pub.getByLabel(/^联系方式/).fill('zhao@example.cn');
  await pub.getByLabel('在公开的意见中显示我的姓名或单位').check();
  await pub.getByRole('button', { name: '提交意见' }).click();
  assert.match(await pub.getByRole('status').filter({ hasText: '您的意见已收到' }).textContent(), /编号 \d+/);
  const comments = pub.getByRole('region', { name: /公众意见/ });
  assert.ok((await comments.textContent()).includes(text) && (await comments.textContent()).includes('赵女士'));
  assert.ok(!(await pub.textContent('main')).includes('zhao@example.cn'), 'the contact is never shown');

  // Staff decide every opinion of this draft: adopt the new one, refuse one (a reason is
  // required), group the other two into a 集中意见.
  const staff = await newPage();
  await login(staff, 'office');
  await staff.goto(base + '/office/consultations');
  await axe(staff, 'office consultation list');
  await staff.getByRole('link', { name: /养犬管理办法/ }).click();
  const detail = staff.url();
  const row = staff.getByRole('row').filter({ hasText: text });
  assert.ok((await row.textContent()).includes('zhao@example.cn'));
  await row.getByLabel('采纳情况').selectOption('adopted');
  await row.getByRole('button', { name: '保存' }).click();
  const leash = () => staff.getByRole('row').filter({ hasText: '犬链长度' });
  await leash().getByLabel('采纳情况').selectOption('not_adopted');
  await leash().getByRole('button', { name: '保存' }).click();
  assert.match(await staff.getByRole('alert').textContent(), /“不予采纳”须说明理由/);
  await leash().getByLabel('采纳情况').selectOption('not_adopted');
  await leash().getByLabel('理由', { exact: true }).fill('犬链长度由市级条例规定,本办法不再重复');
  await leash().getByRole('button', { name: '保存' }).click();
  await staff.getByRole('row').filter({ hasText: '网上办理养犬登记的渠道' }).getByRole('checkbox').check();
  await staff.getByRole('row').filter({ hasText: '粪便清理' }).getByRole('checkbox').check();
  await staff.getByLabel('集中意见概述').fill('建议方便登记并规范文明养犬');
  await staff.getByLabel('采纳情况', { exact: true }).last().selectOption('partly');
  await staff.getByLabel('理由', { exact: true }).last().fill('网上登记已纳入第三条;粪便清理已有市容规定');
  await staff.getByRole('button', { name: '归为集中意见' }).click();
  assert.ok((await staff.textContent('main')).includes('未填写采纳情况 0 条'));
  await axe(staff, 'ledger');

  // Time passes: the period ends (its dates moved into the past in the database).
  sql(`UPDATE consultations SET opens_on = '${isoDaysFromToday(-40)}', closes_on = '${isoDaysFromToday(-11)}' WHERE title LIKE '%养犬管理办法%'`);
  await staff.goto(detail);
  await staff.getByLabel('决策公布日期').fill(isoDaysFromToday(0));
  await staff.getByRole('button', { name: '保存决策公布日期' }).click();
  assert.match(await staff.textContent('main'), /反馈报告应于 \d{4}-\d{2}-\d{2} 前发布/);
  const report = staff.getByRole('region', { name: '意见采纳情况反馈' });
  assert.ok((await report.textContent()).includes('共收到意见 4 条'));
  await staff.getByRole('button', { name: '发布反馈报告' }).click();
  assert.ok((await staff.textContent('main')).includes('意见台账已冻结'));
  await axe(staff, 'published report (office)');

  // The public reads the report on the same draft; commenting is over.
  await pub.goto(draftUrl);
  const published = await pub.getByRole('region', { name: '意见采纳情况反馈' }).textContent();
  assert.ok(published.includes('建议方便登记并规范文明养犬(共 2 条):部分采纳'), published);
  assert.ok(published.includes('理由:犬链长度由市级条例规定'), published);
  assert.ok(published.includes('采纳 1 条'), published);
  assert.equal(await pub.getByRole('button', { name: '提交意见' }).count(), 0);
  await axe(pub, 'published report');
  await pub.context().close();
  await staff.context().close();
});

test('留言: the public asks, the agency transfers it, the other replies and publishes it; the asker tracks and rates', async () => {
  const pub = await newPage();
  await pub.goto(base + '/agencies/YX0201');
  await pub.getByRole('link', { name: '网上咨询' }).click();
  await axe(pub, 'message form');
  await pub.getByLabel('标题').fill('学校周边交通安全问题');
  await pub.getByLabel('留言内容').fill('放学时段学校门口车辆拥堵,存在安全隐患,建议增设护学岗。');
  await pub.getByLabel('姓名').fill('刘女士');
  await pub.getByLabel(/^联系电话/).fill('13900139000');
  await pub.getByLabel('同意在删除个人信息后公开我的留言和答复').check();
  await pub.getByRole('button', { name: '提交留言' }).click();
  const code = (await pub.locator('#tracking-code').textContent()).trim();
  const key = (await pub.locator('#tracking-key').textContent()).trim();
  assert.match(code, /^LY\d{4}-\d{6}$/);
  await axe(pub, 'message receipt');

  // The development commission passes it to the education bureau.
  const office = await newPage();
  await login(office, 'office');
  await office.goto(base + '/office/messages?view=new');
  await axe(office, 'message queue');
  await office.getByRole('link', { name: '学校周边交通安全问题' }).click();
  await office.getByLabel('转办机关').selectOption({ label: '云溪区教育局' });
  await office.getByLabel('转办理由').fill('学校周边管理属于教育局职责');
  await office.getByRole('button', { name: '转办' }).click();
  const newCode = (await office.textContent('main')).match(/已转办为\s*(LY\d{4}-\d{6})/)[1];
  await axe(office, 'transferred message');

  // The education bureau's staff accept and reply.
  const staff = await newPage();
  await login(staff, 'staff');
  await staff.goto(base + '/office/messages?view=new');
  await staff.getByRole('link', { name: '学校周边交通安全问题' }).click();
  assert.ok((await staff.textContent('main')).includes(newCode));
  await staff.getByRole('button', { name: '受理' }).click();
  await staff.getByLabel('答复内容').fill('已协调交警部门在放学时段增设护学岗,并设置临时停车区。');
  await staff.getByRole('button', { name: '答复', exact: true }).click();
  assert.ok((await staff.textContent('main')).includes('已答复'));
  // 选登 refuses the asker's name in the public copy, then publishes the edited one.
  await staff.getByLabel('公开的留言内容').fill('刘女士反映:放学时段学校门口车辆拥堵。');
  await staff.getByRole('button', { name: '公开' }).click();
  assert.match(await staff.getByRole('alert').textContent(), /个人信息/);
  await staff.getByLabel('公开的留言内容').fill('市民反映:放学时段学校门口车辆拥堵,建议增设护学岗。');
  await staff.getByRole('button', { name: '公开' }).click();
  assert.ok((await staff.textContent('main')).includes('已公开'));
  await axe(staff, 'replied message');

  // The asker follows the new code with the same key and rates the reply.
  await pub.goto(base + '/messages/track');
  await pub.getByLabel('查询码').fill(code);
  await pub.getByLabel('查询密钥').fill(key);
  await pub.getByRole('button', { name: '查询' }).click();
  assert.ok((await pub.textContent('main')).includes(newCode), 'the transfer shows the new code');
  await pub.getByLabel('查询码').fill(newCode);
  await pub.getByLabel('查询密钥').fill(key);
  await pub.getByRole('button', { name: '查询' }).click();
  assert.ok((await pub.textContent('main')).includes('已协调交警部门'));
  await pub.getByLabel('满意', { exact: true }).check();
  await pub.getByRole('button', { name: '提交评价' }).click();
  assert.ok((await pub.textContent('main')).includes('您的评价:满意'));
  await axe(pub, 'tracked message');
  await pub.goto(base + '/messages?agency=YX0202');
  await pub.getByRole('link', { name: '学校周边交通安全问题' }).click();
  const text = await pub.textContent('main');
  assert.ok(text.includes('市民反映') && !text.includes('刘女士') && !text.includes('13900139000'));
  await axe(pub, 'published message');
  for (const p of [pub, office, staff]) await p.context().close();
});

test('重大行政决策: the catalogue and an entry\'s timeline are public and accessible', async () => {
  const page = await newPage();
  await page.goto(base + '/agencies/YX0100');
  await page.getByRole('link', { name: '重大行政决策事项目录' }).click();
  await axe(page, 'decision catalogue');
  await page.getByRole('link', { name: /公共停车场收费管理办法/ }).click();
  const timeline = page.getByRole('region', { name: '决策过程' });
  const text = await timeline.textContent();
  for (const stage of ['决策草案及说明', '公开征求意见', '合法性审查', '意见采纳情况反馈', '集体讨论决定']) {
    assert.ok(text.includes(stage), stage);
  }
  assert.ok(text.includes('列席的公众代表:市民代表 2 名、企业代表 1 名'));
  await axe(page, 'decision timeline');
  await timeline.getByRole('link', { name: /公共停车场收费管理办法/ }).first().click();
  assert.ok((await page.textContent('main')).includes('意见采纳情况反馈'));
  const office = await newPage();
  await login(office, 'office');
  await office.goto(base + '/office/decisions');
  await axe(office, 'office decisions');
  await page.context().close();
  await office.context().close();
});

test('年度报告: the office drafts last year\'s report in the official layout and drills into a number', async () => {
  const page = await newPage({ viewport: { width: 390, height: 844 } });
  await login(page, 'office');
  await page.goto(`${base}/office/reports`);
  await axe(page, 'annual reports list');
  await page.getByLabel('机关').selectOption({ label: '云溪区教育局' });
  await page.getByLabel('年度').fill('2025');
  await page.getByRole('button', { name: '新建' }).click();
  await page.waitForURL(/\/office\/reports\/\d+$/);
  const main = await page.textContent('main');
  assert.ok(main.includes('云溪区教育局2025年政府信息公开工作年度报告'), main);
  assert.ok(main.includes('三、本年度办理结果'));
  assert.ok(main.includes('全部校验通过'), main);
  assert.equal(await page.locator('#table3 th[rowspan="22"]').count(), 1);
  await axe(page, 'annual report draft');
  // The 一、本年新收 总计 cell links to the requests it counts.
  const total = page.locator('#table3 tbody tr').first().locator('td').last().locator('a');
  const n = Number(await total.textContent());
  assert.ok(n > 0, 'the demo has applications received in 2025');
  await total.click();
  await page.waitForURL(/\/cells\?/);
  assert.equal(await page.locator('main tbody tr').count(), n);
  await axe(page, 'annual report cell');
  await page.context().close();
});

test('公开清单: 双公示 filters without JavaScript and masks names; records, guides, open data and event registration are accessible', async () => {
  const js = await newPage({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  // axe needs scripts: each page the visitor reached without them is checked again with them.
  const checker = await newPage({ viewport: { width: 390, height: 844 } });
  const check = async (label) => { await checker.goto(js.url()); await axe(checker, label); };
  await js.goto(`${base}/lists`);
  await check('lists index');
  await js.getByRole('link', { name: '行政处罚信息' }).click();
  await js.getByLabel('处罚类别').selectOption('罚款');
  await js.getByRole('button', { name: '筛选' }).click();
  await js.waitForURL(/category=/);
  const table = await js.textContent('main table');
  assert.ok(table.includes('张**') && !table.includes('张建国'), table);
  assert.ok(!table.includes('云溪某某洗涤有限公司'), 'the penalty past its publication period is not listed');
  await check('penalty list filtered');
  await js.getByRole('link', { name: /云环罚〔\d+〕8号/ }).click();
  const record = await js.textContent('main');
  // The clerk typed the ID in full-width digits with spaces, the phone hyphenated, the name
  // spaced: all masked.
  assert.ok(record.includes('当事人张**(身份证号 ******************,联系电话 ***********)于本月'), record);
  for (const leak of ['330102', '３３０１０２', '138-0000', '2222', '建国']) assert.ok(!record.includes(leak), `${leak}: ${record}`);
  await check('penalty record');
  await js.goto(`${base}/lists/bszn`);
  await js.getByRole('link', { name: '330108-JY-0031' }).click();
  assert.equal(await js.locator('main table tbody tr').count(), 3, 'three application materials');
  await check('service guide');
  await js.goto(`${base}/lists/sjml`);
  await js.getByRole('link', { name: /河道水质/ }).click();
  assert.ok(await js.getByRole('link', { name: '按行读取' }).isVisible());
  await check('dataset');
  await js.goto(`${base}/lists/qzqd`);
  assert.ok((await js.textContent('main')).includes('调整记录'));
  await check('powers with adjustments');
  // Register for the coming open day, without JavaScript.
  await js.goto(`${base}/lists/kfhd`);
  await js.getByRole('link', { name: /生态环境开放日/ }).click();
  await check('event');
  await js.getByLabel('姓名').fill('王小明');
  await js.getByLabel('手机号码').fill('13800138000');
  await js.getByRole('group', { name: '您是否第一次参加政府开放活动' }).getByLabel('是').check();
  await js.getByRole('group', { name: '您从哪里得知本次活动' }).getByLabel('政府网站').check();
  await js.getByRole('button', { name: '提交报名' }).click();
  const receipt = await js.textContent('main');
  assert.ok(receipt.includes('报名成功') && /确认码:HD/.test(receipt), receipt);
  await js.context().close();
  // The receipt (a POST's answer) checked by registering once more with scripts on.
  await checker.goto(`${base}/lists/kfhd`);
  await checker.getByRole('link', { name: /生态环境开放日/ }).click();
  await checker.getByLabel('姓名').fill('李红');
  await checker.getByLabel('手机号码').fill('13900139000');
  await checker.getByRole('group', { name: '您是否第一次参加政府开放活动' }).getByLabel('否').check();
  await checker.getByRole('group', { name: '您从哪里得知本次活动' }).getByLabel('社区通知').check();
  await checker.getByRole('button', { name: '提交报名' }).click();
  assert.ok((await checker.textContent('main')).includes('报名成功'));
  await axe(checker, 'registration receipt');
  await checker.context().close();


  // The office: alerts, an import with a per-row report, a record's page.
  const office = await newPage();
  await login(office, 'office');
  await office.goto(`${base}/office/lists`);
  assert.ok((await office.textContent('main')).includes('环境违法案件举报人信息'), 'the negative-list item due for review is flagged');
  await axe(office, 'office lists');
  const csv = ['决定书文号,许可类别,行政相对人名称,行政相对人类别,统一社会信用代码,许可内容,决定日期,许可机关',
    `云环许〔2026〕90号,普通,云溪某某工贸有限公司,法人及非法人组织,91330108MA2H0QXT18,排污许可,${isoDaysFromToday(-1)},云溪区生态环境局`,
    `云环许〔2026〕91号,特别,云溪某某工贸有限公司,法人及非法人组织,91330108MA2H0QXT18,排污许可,${isoDaysFromToday(-1)},云溪区生态环境局`].join('\n');
  await office.getByLabel('清单类别').selectOption('xzxk');
  await office.getByLabel('所属机构').selectOption({ label: '云溪区生态环境局' });
  await office.getByLabel(/^文件/).setInputFiles({ name: '许可.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await office.getByRole('button', { name: '导入' }).click();
  await office.waitForURL(/\/office\/lists\/imports\/\d+$/);
  // The job page follows itself (scripts on) until the import has finished.
  await office.getByRole('heading', { name: '导入完成' }).waitFor({ timeout: 20000 });
  const report = await office.textContent('main');
  assert.ok(report.includes('已处理 2 / 2 行(100%)') && report.includes('新增 1 条,未变化 0 条,有误 1 行'), report);
  assert.ok(report.includes('未知的值“特别”'));
  await axe(office, 'import report');
  await office.getByRole('link', { name: '查看行政许可信息' }).click();
  await office.getByRole('link', { name: /云溪某某工贸有限公司/ }).click();
  await axe(office, 'office list record (draft)');
  await office.getByRole('button', { name: '审核通过并公开' }).click();
  assert.ok((await office.textContent('main')).includes('已公开'));
  await axe(office, 'office list record (published)');
  await office.context().close();
});
