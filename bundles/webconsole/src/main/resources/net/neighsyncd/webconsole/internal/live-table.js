// The neighsyncd page's live table: follows the changes after the revision the table was read at
// (LiveChanges answers each poll, waiting up to 20 s for the next ones), and applies each to the
// rows: a set replaces the key's row or inserts one where its data-sort puts it, a delete removes
// the row. A reset (the history moved on, or the engine started again) reloads the page.
(function () {
  'use strict';
  var table = document.getElementById('neighsyncd-neighbors');
  var line = document.getElementById('neighsyncd-live');
  var count = document.getElementById('neighsyncd-count');
  if (!table || !line || !window.fetch) {
    return;
  }
  var body = table.tBodies[0];
  var url = table.getAttribute('data-changes');
  var history = table.getAttribute('data-history');
  var revision = table.getAttribute('data-revision');
  var capped = table.getAttribute('data-more') === 'true';
  var limit = parseInt(table.getAttribute('data-limit'), 10);
  var filtered = table.getAttribute('data-filtered') === 'true';
  var explainSuffix = table.getAttribute('data-explain-suffix');

  function find(key) {
    for (var r = body.firstElementChild; r; r = r.nextElementSibling) {
      if (r.getAttribute('data-key') === key) {
        return r;
      }
    }
    return null;
  }

  function rowOf(c) {
    var tr = document.createElement('tr');
    tr.setAttribute('data-key', c.key);
    tr.setAttribute('data-sort', c.sort);
    var a = document.createElement('a');
    a.href = '?explain=' + encodeURIComponent(c.key) + explainSuffix;
    a.title = 'why APPL_DB holds this';
    a.textContent = c.key;
    var first = document.createElement('td');
    first.appendChild(a);
    tr.appendChild(first);
    [c.ifname, c.ip, c.mac, c.family, c.vrf].forEach(function (text) {
      var td = document.createElement('td');
      td.textContent = text;
      tr.appendChild(td);
    });
    return tr;
  }

  function apply(c) {
    var old = find(c.key);
    if (c.op === 'delete') {
      if (old) {
        body.removeChild(old);
      }
      return;
    }
    var tr = rowOf(c);
    if (old) {
      body.replaceChild(tr, old);
      return;
    }
    if (capped) {
      return; // the table shows the first matches only: a new one may sort after what is shown
    }
    var at = null;
    for (var r = body.firstElementChild; r; r = r.nextElementSibling) {
      if (r.getAttribute('data-sort') > c.sort) {
        at = r;
        break;
      }
    }
    body.insertBefore(tr, at);
    if (body.rows.length > limit) {
      // the first rows only, as the page shows them: the last one now has a match after it
      body.removeChild(body.lastElementChild);
      capped = true;
      if (count) {
        count.textContent = 'The first ' + limit + ' matching entries (narrow the search to see others).';
      }
    }
  }

  function recount() {
    if (!capped && count) {
      var n = body.rows.length;
      count.textContent = n + (n === 1 ? ' entry' : ' entries') + (filtered ? ' matching.' : ' in APPL_DB NEIGH_TABLE.');
    }
  }

  function poll() {
    // absolute, without the user and password a page opened as http://user:pw@host/ carries (fetch refuses those)
    var ask = new URL(url + '&history=' + encodeURIComponent(history) + '&after=' + revision, window.location.href);
    ask.username = '';
    ask.password = '';
    fetch(ask.href, { credentials: 'same-origin', cache: 'no-store' }).then(function (r) {
      var json = (r.headers.get('Content-Type') || '').indexOf('application/json') === 0;
      if (!r.ok) {
        // the reason from our own answers; a login page or proxy error says only its status
        return (json ? r.json() : Promise.resolve(null)).then(function (d) {
          throw new Error(d && d.error ? d.error : 'HTTP ' + r.status);
        });
      }
      if (!json) {
        throw new Error('not a JSON answer');
      }
      return r.json();
    }).then(function (d) {
      if (d.reset) {
        reload(d.reset);
        return;
      }
      d.changes.forEach(apply);
      revision = d.revision;
      table.setAttribute('data-revision', String(revision));
      recount();
      line.textContent = 'Live: up to date with revision ' + revision + (capped
        ? '; rows shown are updated, new matches are not added (narrow the search to see them).' : '.');
      poll();
    }).catch(function (e) {
      line.textContent = 'Live updates interrupted (' + e.message + '); trying again in 5 s.';
      window.setTimeout(poll, 5000);
    });
  }

  // reads the table again; at most once per 10 s (a page that keeps falling behind waits between reads)
  function reload(reason) {
    var key = 'neighsyncd-live-reloaded';
    var last = parseInt(window.sessionStorage.getItem(key) || '0', 10);
    var wait = Math.max(0, last + 10000 - Date.now());
    line.textContent = 'The change history cannot go on from revision ' + revision + ' (' + reason
      + '): reading the table again' + (wait > 0 ? ' in ' + Math.ceil(wait / 1000) + ' s.' : '.');
    window.setTimeout(function () {
      window.sessionStorage.setItem(key, String(Date.now()));
      window.location.reload();
    }, wait);
  }

  poll();
}());
