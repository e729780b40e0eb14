// The canary made visible: a page that polls /api/fanout and shows the live split of backend
// versions. Plain HTML and one script; version names are inserted as text, never as markup.

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>meshproof: backend versions</title>
<style>
  body { font: 16px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 40rem; color: #1b1f24; }
  h1 { font-size: 1.4rem; }
  ul { list-style: none; padding: 0; }
  li { margin: .6rem 0; }
  .row { display: flex; justify-content: space-between; font-variant-numeric: tabular-nums; }
  .track { background: #e6e9ee; height: .9rem; border-radius: .3rem; overflow: hidden; }
  .bar { background: #2f6feb; height: 100%; transition: width .4s; }
  #status { color: #57606a; font-size: .9rem; }
</style>
</head>
<body>
<h1>Backend versions serving this frontend</h1>
<p id="status">waiting for the first sample…</p>
<ul id="split" aria-live="polite"></ul>
<script src="/app.js" defer></script>
</body>
</html>
`;

// Runs in the browser: keeps the last WINDOW samples so the split follows a canary's weight.
export const PAGE_SCRIPT = `'use strict';
const WINDOW = 10;
const samples = [];
const list = document.getElementById('split');
const status = document.getElementById('status');

function render() {
  const totals = new Map();
  let calls = 0;
  let errors = 0;
  for (const s of samples) {
    calls += s.calls;
    errors += s.errors;
    for (const [v, n] of Object.entries(s.versions)) totals.set(v, (totals.get(v) || 0) + n);
  }
  const served = calls - errors;
  list.replaceChildren(...[...totals.entries()].sort().map(([version, n]) => {
    const pct = served > 0 ? Math.round((100 * n) / served) : 0;
    const li = document.createElement('li');
    li.dataset.version = version;
    const row = document.createElement('div');
    row.className = 'row';
    const name = document.createElement('span');
    name.className = 'version';
    name.textContent = version;
    const share = document.createElement('span');
    share.className = 'share';
    share.textContent = pct + '% (' + n + ')';
    row.append(name, share);
    const track = document.createElement('div');
    track.className = 'track';
    const bar = document.createElement('div');
    bar.className = 'bar';
    bar.style.width = pct + '%';
    track.append(bar);
    li.append(row, track);
    return li;
  }));
  status.textContent = calls + ' calls in the last ' + samples.length + ' samples, ' + errors + ' failed';
}

async function poll() {
  try {
    const res = await fetch('/api/fanout?n=20', { cache: 'no-store' });
    const body = await res.json();
    if (typeof body.calls === 'number') {
      samples.push(body);
      if (samples.length > WINDOW) samples.shift();
      render();
    } else {
      status.textContent = 'fanout failed: ' + (body.error || res.status);
    }
  } catch (err) {
    status.textContent = 'fanout failed: ' + err;
  }
  setTimeout(poll, 1000);
}
poll();
`;
