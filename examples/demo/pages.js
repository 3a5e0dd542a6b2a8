'use strict';
// The demo's HTML. The browser-side scripts are plain ES2017 strings (no build step) and
// avoid template literals so they read the same here as in the browser's devtools.

const STYLE = `
  body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  h1 { margin-bottom: 0 } h2 { margin-top: 2rem; border-bottom: 1px solid #ddd }
  code { background: #f3f3f3; padding: 0 .25rem; border-radius: 3px }
  .value { font-weight: 700; font-size: 1.2rem }
  .ok { color: #0a7a2f } .bad { color: #b00020 } .muted { color: #666 }
  table { border-collapse: collapse } td, th { border: 1px solid #ddd; padding: .3rem .6rem; text-align: left; vertical-align: top }
  iframe { width: 100%; height: 9rem; border: 1px dashed #aaa }
  .frames { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem }
`;

function escapeHtml(value) {
  return String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
}

/** JSON for an inline <script>: `<` escaped so no value can close the script element. */
function scriptJson(value) {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

const MAIN_SCRIPT = `
(function () {
  var config = JSON.parse(document.getElementById('config').textContent);
  function show(id, text, cls) {
    var el = document.getElementById(id);
    el.textContent = text;
    if (cls) el.className = 'value ' + cls;
  }
  document.getElementById('cookie').textContent = JSON.stringify(document.cookie);

  async function loadBig() {
    show('encoding', 'fetching...');
    var id = Math.random().toString(36).slice(2);
    var url = new URL('/api/big?id=' + id, location.href).href;
    var res = await fetch(url, { cache: 'no-store' });
    var body = await res.json();
    show('encoding', res.headers.get('Content-Encoding') || 'identity (none)', 'ok');
    show('items', String(body.count));
    var entry = performance.getEntriesByName(url)[0];
    if (entry) show('sizes', entry.encodedBodySize + ' bytes on the wire, ' + entry.decodedBodySize + ' bytes decoded');
    var sent = await (await fetch('/api/sent?id=' + id, { cache: 'no-store' })).json();
    show('server-encoding', sent ? sent.contentEncoding : 'unknown');
    show('accept-encoding', sent ? sent.acceptEncoding : 'unknown');
  }
  document.getElementById('refetch').addEventListener('click', loadBig);
  loadBig().catch(function (err) { show('encoding', 'failed: ' + err, 'bad'); });

  window.addEventListener('message', function (event) {
    var which = event.origin === config.allowed ? 'allowed' : event.origin === config.refused ? 'refused' : null;
    if (!which || !event.data || event.data.kind !== 'cors-result') return;
    show('cors-' + which, event.data.summary, event.data.ok === (which === 'allowed') ? 'ok' : 'bad');
  });

  window.addEventListener('message', function (event) {
    var which = event.origin === config.allowed ? 'allowed' : event.origin === config.refused ? 'refused' : null;
    if (!which || !event.data || event.data.kind !== 'ws-result') return;
    show('ws-' + which, event.data.summary, event.data.ok === (which === 'allowed') ? 'ok' : 'bad');
  });

  var ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/live');
  ws.onmessage = function (event) {
    var message = JSON.parse(event.data);
    if (message.kind === 'hello') {
      show('ws-main', 'open', 'ok');
      show('ws-user', message.user);
    } else if (message.kind === 'tick') {
      show('ws-time', message.time);
    }
  };
  ws.onclose = function (event) { show('ws-main', 'closed (code ' + event.code + ')', 'bad'); };
})();
`;

/** The main app's page; `visits` is the session counter after this request. */
function mainPage({ visits, user, origins, encodings }) {
  const config = scriptJson({ allowed: origins.allowed, refused: origins.refused });
  const refusedHost = origins.main.replace('localhost', '127.0.0.1');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>@mw demo</title><style>${STYLE}</style></head>
<body>
<h1>@mw demo</h1>
<p class="muted">One Express 5 app behind <code>stack(trustedHost(...), cors(...), gzip(...), session(...))</code>.</p>

<h2>Session (@mw/session)</h2>
<p>You have loaded this page <span id="visits" class="value">${visits}</span> time(s) in this session.
Reload: the count lives in a signed <code>demo_session</code> cookie, so it survives reloads and restarts
(with the same <code>SESSION_SECRET</code>).</p>
<p>The cookie is <code>HttpOnly</code>: <code>document.cookie</code> here is <code id="cookie"></code>.</p>
<p>The session's user: <span id="user" class="value">${escapeHtml(user)}</span>.</p>
<form method="post" action="/logout"><button id="logout">Log out (clear the session)</button></form>

<h2>Compression (@mw/gzip)</h2>
<p>A JSON document of <span id="items">?</span> items from <code>/api/big</code>:</p>
<table>
<tr><th>Content-Encoding seen by this page</th><td><span id="encoding" class="value">?</span></td></tr>
<tr><th>Content-Encoding the server sent</th><td><span id="server-encoding" class="value">?</span></td></tr>
<tr><th>Sizes (Resource Timing)</th><td><span id="sizes">?</span></td></tr>
<tr><th>Your Accept-Encoding</th><td><code id="accept-encoding">?</code></td></tr>
</table>
<p><button id="refetch">Fetch again</button> <span class="muted">Configured <code>encodings: ${escapeHtml(
    JSON.stringify(encodings).replace(/"/g, "'").replace(/,/g, ', '),
  )}</code> on Node ${escapeHtml(process.versions.node)}: the first one the browser offers wins${
    encodings.includes('zstd') ? '' : ' (zstd needs Node 22.15 or newer)'
  }.</span></p>

<h2>Cross-origin requests (@mw/cors)</h2>
<p>The policy allows the origin <code>${escapeHtml(origins.allowed)}</code> only. The two frames below are the
<em>same</em> page from the second server, loaded under two host names, so they run in two origins. Each one
fetches <code>${escapeHtml(origins.main)}/api/hello</code> (a simple GET, then a preflighted PUT with an
<code>X-Demo</code> header). The browser lets the allowed origin read the answers and refuses the other:
its <code>fetch</code> rejects with a <code>TypeError</code> because the response carries no
<code>Access-Control-Allow-Origin</code> for it.</p>
<table>
<tr><th>${escapeHtml(origins.allowed)} (allowed)</th><td><span id="cors-allowed" class="value">waiting...</span></td></tr>
<tr><th>${escapeHtml(origins.refused)} (not allowed)</th><td><span id="cors-refused" class="value">waiting...</span></td></tr>
</table>
<div class="frames">
<iframe title="allowed origin" src="${escapeHtml(origins.allowed)}/"></iframe>
<iframe title="refused origin" src="${escapeHtml(origins.refused)}/"></iframe>
</div>

<h2>WebSockets (upgradeGuard from @mw/stack)</h2>
<p>This page opens <code>${escapeHtml(origins.main.replace('http', 'ws'))}/live</code>. Node hands the handshake to
the server's <code>'upgrade'</code> event, where Express never runs; <code>upgradeGuard</code> runs the same stack
on it. The session is read from the handshake's cookie (never written), and cors refuses pages from other sites
(<code>403 Disallowed WebSocket origin</code>): CORS does not protect WebSockets, and browsers send cookies with them.
The two frames above try to connect too.</p>
<table>
<tr><th>This page (same origin)</th><td><span id="ws-main" class="value">connecting...</span></td></tr>
<tr><th>Session user, as the WebSocket handler read it</th><td><span id="ws-user" class="value">?</span></td></tr>
<tr><th>Server time, pushed every second</th><td><code id="ws-time">?</code></td></tr>
<tr><th>${escapeHtml(origins.allowed)} (allowed)</th><td><span id="ws-allowed" class="value">waiting...</span></td></tr>
<tr><th>${escapeHtml(origins.refused)} (not allowed)</th><td><span id="ws-refused" class="value">waiting...</span></td></tr>
</table>

<h2>Trusted hosts (@mw/trusted-host)</h2>
<p>Only the host name <code>localhost</code> is allowed. The same server reached as
<a id="refused-host" href="${escapeHtml(refusedHost)}/">${escapeHtml(refusedHost)}/</a> answers
<code>400 Invalid host header</code>.</p>

<script id="config" type="application/json">${config}</script>
<script>${MAIN_SCRIPT}</script>
</body></html>`;
}

const OTHER_SCRIPT = `
(function () {
  var config = JSON.parse(document.getElementById('config').textContent);
  var out = document.getElementById('result');
  function report(ok, summary) {
    out.textContent = summary;
    out.className = ok ? 'ok' : 'bad';
    if (window.parent !== window) {
      window.parent.postMessage({ kind: 'cors-result', ok: ok, summary: summary }, config.main);
    }
  }
  function reportSocket(ok, summary) {
    document.getElementById('ws-result').textContent = summary;
    if (window.parent !== window) {
      window.parent.postMessage({ kind: 'ws-result', ok: ok, summary: summary }, config.main);
    }
  }
  var ws = new WebSocket(config.main.replace('http', 'ws') + '/live');
  ws.onmessage = function (event) {
    var message = JSON.parse(event.data);
    if (message.kind !== 'hello') return;
    reportSocket(true, 'opened: the handler read session user ' + message.user);
    ws.close();
  };
  ws.onclose = function (event) {
    if (event.code === 1006) reportSocket(false, 'refused: the handshake failed (close code 1006)');
  };
  async function run() {
    var url = config.main + '/api/hello';
    try {
      var get = await fetch(url);
      var body = await get.json();
      var put = await fetch(url, { method: 'PUT', headers: { 'X-Demo': '1' } });
      var putBody = await put.json();
      report(true, 'allowed: GET ' + get.status + ' "' + body.message + '", PUT ' + put.status +
        ' (' + putBody.method + '), exposed X-Served-By: "' + get.headers.get('X-Served-By') + '"');
    } catch (err) {
      report(false, 'refused by the browser: ' + err.name + ': ' + err.message);
    }
  }
  run();
})();
`;

/** The second server's page; `self` is the origin it was loaded from. */
function otherOriginPage({ self, origins, allowed }) {
  const config = scriptJson({ main: origins.main });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>@mw demo: other origin</title><style>${STYLE}
body { margin: .5rem; font-size: 13px }</style></head>
<body>
<div>This page's origin: <code>${escapeHtml(self)}</code> (${allowed ? 'in' : 'not in'} <code>allowOrigins</code>)</div>
<div>Result: <span id="result">fetching...</span></div>
<div>WebSocket: <span id="ws-result">connecting...</span></div>
<script id="config" type="application/json">${config}</script>
<script>${OTHER_SCRIPT}</script>
</body></html>`;
}

module.exports = { mainPage, otherOriginPage };
