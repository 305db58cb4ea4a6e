import t from 'tap'
import { escapeHtml, html, isSafeHtml, isSafeUrl, join, raw, UNSAFE_URL } from '../../src/views/html.js'

t.test('html escapes every interpolated text, in content and in both kinds of quoted attribute', async (t) => {
  const evil = '<b>&"\''
  t.equal(html`<p title="${evil}" data-x='${evil}'>${evil}</p>`.toString(),
    '<p title="&lt;b&gt;&amp;&quot;&#39;" data-x=\'&lt;b&gt;&amp;&quot;&#39;\'>&lt;b&gt;&amp;&quot;&#39;</p>')
  t.equal(escapeHtml('<b>&"\''), '&lt;b&gt;&amp;&quot;&#39;')
  t.equal(escapeHtml(undefined), '', 'escapeHtml reads nothing as empty text')
  t.equal(html`${'&amp;'}`.toString(), '&amp;amp;', 'text that looks escaped is escaped again: it is text')
})

t.test('numbers are text; null, undefined and false render as nothing', async (t) => {
  t.equal(html`<td>${42}</td><td>${0}</td><td>${-1.5}</td>`.toString(), '<td>42</td><td>0</td><td>-1.5</td>')
  t.equal(html`[${null}][${undefined}][${false}]`.toString(), '[][][]')
  const shown = (on: boolean) => html`<button${on && html` disabled`}>x</button>`.toString()
  t.equal(shown(true), '<button disabled>x</button>', 'cond && html`…` adds the markup')
  t.equal(shown(false), '<button>x</button>', 'and nothing when false')
})

t.test('SafeHtml passes through unescaped; nested templates are escaped once', async (t) => {
  const inner = html`<em>${'<i>'}</em>`
  t.ok(isSafeHtml(inner))
  t.notOk(isSafeHtml('<em>x</em>'), 'a string is not SafeHtml, whatever it holds')
  t.notOk(isSafeHtml({ toString: () => '<em>x</em>' }), 'nor is an object that prints like markup')
  t.equal(html`<p>${inner}</p>`.toString(), '<p><em>&lt;i&gt;</em></p>')
  t.equal(html`<p>${html`<a>${html`<b>${'"'}</b>`}</a>`}</p>`.toString(), '<p><a><b>&quot;</b></a></p>', 'three levels deep')
  t.equal(html`${raw('<style>a>b{}</style>')}`.toString(), '<style>a>b{}</style>', 'raw constants stay as written')
  t.equal(`${html`<i>${'&'}</i>`}`, '<i>&amp;</i>', 'a template literal reads its markup')
})

t.test('arrays are joined: text items escaped, SafeHtml items kept', async (t) => {
  t.equal(html`<ul>${['<a>', html`<li>b</li>`, 3, null, ['<c>']]}</ul>`.toString(), '<ul>&lt;a&gt;<li>b</li>3&lt;c&gt;</ul>')
  t.equal(html`${[]}`.toString(), '')
  t.equal(join([html`<b>1</b>`, '<2>'], html`, `).toString(), '<b>1</b>, &lt;2&gt;')
  t.equal(join([], html`\n`).toString(), '')
})

t.test('a URL attribute links only http(s) and same-site URLs', async (t) => {
  for (const url of ['/sandbox/orders/a/b', '?cursor=2', '#main', 'https://merchant.example/r?a=1&b=2', 'http://localhost:3000/x', 'relative/path', '']) {
    t.ok(isSafeUrl(url), `${url} is safe`)
  }
  for (const url of ['javascript:alert(1)', 'JavaScript:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', '\njavascript:alert(1)',
    'data:text/html,<script>alert(1)</script>', 'vbscript:x', 'about:blank', 'http://[bad']) {
    t.notOk(isSafeUrl(url), `${JSON.stringify(url)} is not`)
  }
  t.equal(html`<a href="${'https://m.example/?a=1&b="2"'}">x</a>`.toString(), '<a href="https://m.example/?a=1&amp;b=&quot;2&quot;">x</a>', 'a safe URL is escaped')
  t.equal(html`<a href="${'javascript:alert(1)'}">x</a>`.toString(), `<a href="${UNSAFE_URL}">x</a>`)
  t.equal(html`<form method="post" action="${'javascript:alert(1)'}">`.toString(), `<form method="post" action="${UNSAFE_URL}">`)
  t.equal(html`<img src='${' javascript:x'}'>`.toString(), `<img src='${UNSAFE_URL}'>`, 'single quotes and src too')
  t.equal(html`<button formaction="${'javascript:x'}">`.toString(), `<button formaction="${UNSAFE_URL}">`)
  t.equal(html`<a href="${html`/x`}">x</a>`.toString(), `<a href="${UNSAFE_URL}">x</a>`, 'a URL is text, never markup')
  t.equal(html`<a href="${['/x']}">x</a>`.toString(), `<a href="${UNSAFE_URL}">x</a>`, 'nor a list')
  t.equal(html`<a href="${undefined}">x</a>`.toString(), '<a href="">x</a>', 'nothing is an empty URL')
  t.equal(html`<a href="/orders/${'javascript:alert(1)'}">x</a>`.toString(), '<a href="/orders/javascript:alert(1)">x</a>',
    'a value later in the URL is a path segment, not a scheme')
  t.equal(html`<p>${'javascript:alert(1)'}</p><p data-href="${'javascript:x'}"></p>`.toString(), '<p>javascript:alert(1)</p><p data-href="javascript:x"></p>',
    'outside URL attributes it is only text')
})
