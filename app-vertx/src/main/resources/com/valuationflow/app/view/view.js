// The execution view's only script: submits the form as JSON, keeps "waited so far" ticking, and
// follows an application's event stream. Values reach the page only as text, never as markup,
// except the summary fragment, which the server renders with every value escaped.
(function () {
  'use strict';

  function duration(millis) {
    const ms = Math.max(0, millis);
    if (ms < 10000) return (ms / 1000).toFixed(1) + ' s';
    const s = Math.floor(ms / 1000);
    if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
    return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  }

  function tick() {
    document.querySelectorAll('[data-since]').forEach(function (element) {
      element.textContent = duration(Date.now() - Date.parse(element.dataset.since));
    });
  }
  tick();
  setInterval(tick, 1000);

  const form = document.getElementById('submit-form');
  if (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      const problem = document.getElementById('form-problem');
      problem.textContent = '';
      const reference = form.elements.applicationReference.value.trim();
      const body = JSON.stringify({
        applicationReference: reference,
        property: {
          nameOrNumber: form.elements.nameOrNumber.value,
          postcode: form.elements.postcode.value
        }
      });
      fetch('/loan-applications', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body
      }).then(function (response) {
        if (response.status === 202) {
          window.location.assign('/applications/' + encodeURIComponent(reference));
          return null;
        }
        return response.json().catch(function () { return {}; }).then(function (p) {
          const errors = (p.errors || []).map(function (e) { return e.field + ': ' + e.detail; });
          problem.textContent = (p.title || ('HTTP ' + response.status)) +
            (p.detail ? ': ' + p.detail : '') + (errors.length ? ' (' + errors.join('; ') + ')' : '');
        });
      }).catch(function (error) {
        problem.textContent = 'Could not submit: ' + error;
      });
    });
  }

  const body = document.body;
  if (body.dataset.page !== 'application') return;
  const live = document.getElementById('live');
  const summary = document.getElementById('summary');
  const table = document.getElementById('history');
  let lastShown = Number(body.dataset.lastEventId);
  let refreshing = null;

  function refreshSummary() {
    if (refreshing) return;
    refreshing = setTimeout(function () {
      fetch(body.dataset.summary, { cache: 'no-store' }).then(function (response) {
        return response.ok ? response.text() : null;
      }).then(function (html) {
        refreshing = null;
        if (html !== null) { summary.innerHTML = html; tick(); }
      }).catch(function () { refreshing = null; });
    }, 50);
  }

  function cell(row, text) {
    const td = row.insertCell();
    td.textContent = text;
    return td;
  }

  function append(event) {
    if (table.dataset.live !== 'true') return;
    const row = table.tBodies[0].insertRow();
    row.dataset.eventId = String(event.id);
    cell(row, String(event.id));
    const time = document.createElement('time');
    time.dateTime = event.timestamp;
    time.textContent = event.time;
    cell(row, '').appendChild(time);
    cell(row, event.type);
    const details = cell(row, '');
    const names = Object.keys(event.details || {});
    if (names.length) {
      const list = document.createElement('dl');
      names.forEach(function (name) {
        const dt = document.createElement('dt');
        dt.textContent = name;
        const dd = document.createElement('dd');
        const pre = document.createElement('pre');
        pre.textContent = event.details[name];
        dd.appendChild(pre);
        list.appendChild(dt);
        list.appendChild(dd);
      });
      details.appendChild(list);
    }
  }

  if (live.textContent === 'finished') return;
  const source = new EventSource(
    body.dataset.events + '?lastEventId=' + encodeURIComponent(String(lastShown)));
  source.onopen = function () { live.textContent = 'live'; };
  source.onerror = function () {
    if (source.readyState !== EventSource.CLOSED) live.textContent = 'reconnecting\u2026';
  };
  source.addEventListener('history', function (message) {
    const event = JSON.parse(message.data);
    if (event.id <= lastShown) return; // shown already: never twice
    lastShown = event.id;
    append(event);
    refreshSummary();
  });
  source.addEventListener('end', function () {
    source.close();
    live.textContent = 'finished';
    refreshSummary();
  });
  source.addEventListener('gone', function () {
    source.close();
    live.textContent = 'this application is no longer kept';
  });
})();
