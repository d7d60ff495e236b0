extension AgentsPageAssets {
    /// `/assets/app.js`: live updates for the board and a session's page, and ticking ages.
    ///
    /// - Board (`body[data-page=board]`): listens to `/api/v1/events`; for an event with a
    ///   session it fetches `/api/v1/sessions/ID` (at most once per session per half second) and
    ///   updates or inserts `tr#session-ID` in the `tbody[data-states]` of its state.
    /// - Session page (`ol#log`): listens to `/api/v1/sessions/ID/events?after=N`, appends each
    ///   event, folding `tool.result`/`tool.refused`/`mcp.call` into the `li[data-call]` of the
    ///   same id, and on `session.state` updates `#state` and shows the forms of the new state; on
    ///   `session.outputs`, `pull-request.*` and a final state it fetches the session again and
    ///   redraws `#outputs`.
    /// - Every `time.age` is recomputed every five seconds.
    public static let script: String = #"""
        // agentsched Agents page: live updates. No dependencies; data goes in via textContent only.
        (function () {
          'use strict';
          var FINAL = ['completed', 'failed', 'cancelled', 'timed-out', 'denied'];

          // Control characters made visible, as the server's TerminalText does.
          function visible(text, singleLine) {
            var s = text == null ? '' : String(text);
            return s.replace(/\r\n/g, '\n').replace(
              /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
              function (c) {
                var code = c.charCodeAt(0);
                if (code === 0x0a) { return singleLine ? '\\n' : c; }
                if (code === 0x09) { return singleLine ? '\\t' : c; }
                if (code === 0x1b) { return '\u241b'; }
                if (code === 0x0d) { return '\\r'; }
                if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) { return '\\u{' + code.toString(16) + '}'; }
                return '<U+' + code.toString(16).toUpperCase() + '>';
              });
          }

          function el(tag, attributes, children) {
            var node = document.createElement(tag);
            if (attributes) {
              Object.keys(attributes).forEach(function (name) {
                var value = attributes[name];
                if (value !== null && value !== undefined) { node.setAttribute(name, String(value)); }
              });
            }
            (children || []).forEach(function (child) {
              if (child === null || child === undefined) { return; }
              node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
            });
            return node;
          }

          function isWebURL(url) {
            return typeof url === 'string' && /^https?:\/\/[^\s\\]+$/i.test(url);
          }

          // `3m`, `2h5m`, `4d`, as SessionSummary.age writes them.
          function age(iso) {
            var then = Date.parse(iso);
            if (isNaN(then)) { return null; }
            var seconds = Math.max(0, Math.floor((Date.now() - then) / 1000));
            if (seconds < 60) { return seconds + 's'; }
            if (seconds < 3600) { return Math.floor(seconds / 60) + 'm'; }
            if (seconds < 86400) { return Math.floor(seconds / 3600) + 'h' + Math.floor((seconds % 3600) / 60) + 'm'; }
            return Math.floor(seconds / 86400) + 'd';
          }

          function tickAges() {
            var times = document.querySelectorAll('time.age[datetime]');
            for (var i = 0; i < times.length; i++) {
              var text = age(times[i].getAttribute('datetime'));
              if (text !== null && times[i].textContent !== text) { times[i].textContent = text; }
            }
          }

          function ageElement(iso) {
            return el('time', { 'class': 'age', datetime: iso, title: iso }, [age(iso) || '']);
          }

          function badge(state, reason) {
            return el('span', { 'class': 'badge', 'data-state': state, title: reason || null }, [visible(state, true)]);
          }

          function hasSpend(tokens) {
            if (!tokens || typeof tokens !== 'object') { return false; }
            return Object.keys(tokens).some(function (key) { return Number(tokens[key]) > 0; });
          }

          function figure(session) {
            if (typeof session.figure === 'string') { return session.figure; }
            var credits = Number(session.ai_credits || 0);
            if (credits !== 0 || hasSpend(session.tokens)) { return credits.toFixed(2) + ' cr'; }
            return String(session.premium_requests == null ? 0 : session.premium_requests);
          }

          function pullRequest(link) {
            if (!link || typeof link !== 'object') { return '\u2013'; }
            if (!isWebURL(link.url)) { return el('span', { 'class': 'local' }, [visible(link.url, true)]); }
            return el('a', { href: link.url, rel: 'noreferrer noopener', title: link.url },
              [visible('#' + link.number, true)]);
          }

          function modelCell(session) {
            var model = visible(session.model, true);
            if (!session.actual_model || session.actual_model === session.model) { return [model]; }
            return [
              el('span', { 'class': 'actual', title: 'fell back from ' + session.model },
                [visible(session.actual_model, true)]),
              ' ',
              el('s', { 'class': 'asked' }, [model])
            ];
          }

          // A board row, as AgentsPages.sessionRow writes it.
          function boardRow(session) {
            var id = String(session.id);
            var link = el('a', { href: '/sessions/' + encodeURIComponent(id) }, [
              el('span', { 'class': 'ref' }, [visible(session.repository + '#' + session.issue, true)])
            ]);
            if (session.title) {
              link.appendChild(document.createTextNode(' '));
              link.appendChild(el('span', { 'class': 'title' }, [visible(session.title, true)]));
            }
            return el('tr', { id: 'session-' + id, 'data-state': session.state, 'data-session': id }, [
              el('td', { 'class': 'issue' }, [link]),
              el('td', { 'class': 'agent' }, [visible(session.agent, true)]),
              el('td', { 'class': 'model' }, modelCell(session)),
              el('td', { 'class': 'state' }, [badge(session.state, session.reason)]),
              el('td', { 'class': 'cost' }, [visible(figure(session), true)]),
              el('td', { 'class': 'pull' }, [pullRequest(session.pull_request)]),
              el('td', { 'class': 'age' }, [ageElement(session.created_at)])
            ]);
          }

          function groupOf(state) {
            var bodies = document.querySelectorAll('tbody[data-states]');
            for (var i = 0; i < bodies.length; i++) {
              if (bodies[i].getAttribute('data-states').split(' ').indexOf(state) >= 0) { return bodies[i]; }
            }
            return document.getElementById('group-finished');
          }

          function updateCounts() {
            var bodies = document.querySelectorAll('tbody[data-states]');
            for (var i = 0; i < bodies.length; i++) {
              var caption = bodies[i].parentNode && bodies[i].parentNode.querySelector('caption[data-title]');
              if (caption) {
                caption.textContent = caption.getAttribute('data-title') + ' (' + bodies[i].rows.length + ')';
              }
            }
          }

          function placeRow(session) {
            if (!session || session.id == null || typeof session.state !== 'string') { return; }
            var row = boardRow(session);
            var old = document.getElementById(row.id);
            var body = groupOf(session.state);
            if (!body) { return; }
            if (old) { old.parentNode.removeChild(old); }
            var descending = body.getAttribute('data-order') === 'desc';
            var id = Number(session.id);
            var before = null;
            for (var i = 0; i < body.rows.length; i++) {
              var other = Number(body.rows[i].getAttribute('data-session'));
              if (descending ? other < id : other > id) { before = body.rows[i]; break; }
            }
            body.insertBefore(row, before);
            var empty = document.querySelector('main p.empty');
            if (empty) { empty.parentNode.removeChild(empty); }
            updateCounts();
          }

          var ROW_KINDS = ['session.created', 'session.state', 'session.fallback', 'session.outputs',
            'session.cancel-requested', 'budget.charged'];

          function startBoard() {
            if (typeof EventSource === 'undefined') { return; }
            var pending = {};
            function refresh(id) {
              if (pending[id]) { return; }
              pending[id] = true;
              setTimeout(function () {
                fetch('/api/v1/sessions/' + encodeURIComponent(id), {
                  headers: { Accept: 'application/json' }, credentials: 'same-origin'
                }).then(function (response) {
                  return response.ok ? response.json() : null;
                }).then(function (session) {
                  delete pending[id];
                  if (session) { placeRow(session); }
                }).catch(function () { delete pending[id]; });
              }, 500);
            }
            var source = new EventSource('/api/v1/events');
            source.onmessage = function (message) {
              var event;
              try { event = JSON.parse(message.data); } catch (error) { return; }
              // Only what changes a row: a busy session's tool calls would otherwise refetch it.
              if (!event || event.session === null || event.session === undefined) { return; }
              var kind = String(event.kind || '');
              if (ROW_KINDS.indexOf(kind) >= 0 || kind.indexOf('pull-request.') === 0) { refresh(String(event.session)); }
            };
          }

          function timeOfDay(iso) {
            var at = String(iso || '');
            var t = at.indexOf('T');
            return t < 0 ? at : at.slice(t + 1, t + 9);
          }

          function findCall(log, id) {
            var items = log.querySelectorAll('li[data-call]');
            for (var i = items.length - 1; i >= 0; i--) {
              if (items[i].getAttribute('data-call') === id) { return items[i]; }
            }
            return null;
          }

          function setState(state, reason) {
            var cell = document.getElementById('state');
            if (cell && state) {
              cell.setAttribute('data-state', state);
              cell.textContent = '';
              cell.appendChild(badge(state, reason));
            }
            var isFinal = FINAL.indexOf(state) >= 0;
            var forms = document.querySelectorAll('form[data-when]');
            for (var i = 0; i < forms.length; i++) {
              forms[i].hidden = (forms[i].getAttribute('data-when') === 'final') !== isFinal;
            }
          }

          // One event into the log, folded as SessionLogEntry.fold does.
          function appendEvent(log, event) {
            var data = event.data && typeof event.data === 'object' ? event.data : {};
            var kind = String(event.kind || '');
            var id = typeof data.id === 'string' ? data.id : null;
            if (id !== null && (kind === 'tool.result' || kind === 'tool.refused' || kind === 'mcp.call')) {
              var item = findCall(log, id);
              var details = item && item.querySelector('details');
              if (details && kind !== 'mcp.call' && item.getAttribute('data-status') === 'running') {
                var status = kind === 'tool.refused' ? 'refused' : (data.error === 'true' ? 'error' : 'ok');
                var text = kind === 'tool.refused' ? data.reason : data.output;
                details.appendChild(el('pre', {
                  'class': status === 'ok' ? 'output' : 'output ' + status
                }, [visible(text)]));
                item.setAttribute('data-status', status);
                item.setAttribute('data-outcome-event-id', String(event.id));
                var label = item.querySelector('summary .status');
                if (label) { label.textContent = status; }
                return;
              }
              if (details && kind === 'mcp.call') {
                details.appendChild(el('p', { 'class': 'record' }, [visible(event.line, true)]));
                return;
              }
            }
            if (kind === 'tool.call' && id !== null) {
              var args = typeof data.arguments === 'string' ? data.arguments : '';
              log.appendChild(el('li', {
                'data-event-id': String(event.id), 'data-kind': kind, 'data-call': id, 'data-status': 'running'
              }, [el('details', { 'class': 'tool-call' }, [
                el('summary', {}, [
                  el('time', { datetime: event.at }, [timeOfDay(event.at)]), ' ',
                  el('span', { 'class': 'tool' }, [visible(data.tool || 'tool', true)]), ' ',
                  el('span', { 'class': 'call-args' }, [visible(args.slice(0, 120), true)]), ' ',
                  el('span', { 'class': 'status' }, ['running'])
                ]),
                el('pre', { 'class': 'arguments' }, [visible(args)])
              ])]));
              return;
            }
            log.appendChild(el('li', { 'data-event-id': String(event.id), 'data-kind': kind }, [
              el('span', { 'class': 'line' }, [visible(event.line)])
            ]));
          }

          // The outputs section, as AgentsPages.sessionOutputs writes it, from the session's JSON.
          function showOutputs(session) {
            var section = document.getElementById('outputs');
            var outputs = session && session.outputs && typeof session.outputs === 'object' ? session.outputs : null;
            if (!section || !outputs) { return; }
            var items = [];
            function add(term, value) { items.push(el('dt', {}, [term]), el('dd', {}, [value])); }
            if (typeof outputs.branch === 'string') { add('Branch', el('code', {}, [visible(outputs.branch, true)])); }
            if (typeof outputs.commit === 'string') {
              add('Commit', el('code', { title: outputs.commit }, [visible(outputs.commit.slice(0, 12), true)]));
            }
            if (outputs.pull_request) { add('Pull request', pullRequest(outputs.pull_request)); }
            if (typeof outputs.summary === 'string' && outputs.summary) {
              add('Summary', el('pre', { 'class': 'summary' }, [visible(outputs.summary)]));
            }
            if (!items.length) { return; }
            while (section.lastChild && section.lastChild.nodeName !== 'H2') { section.removeChild(section.lastChild); }
            section.appendChild(el('dl', { 'class': 'outputs' }, items));
          }

          function refreshOutputs(id) {
            fetch('/api/v1/sessions/' + encodeURIComponent(id), {
              headers: { Accept: 'application/json' }, credentials: 'same-origin'
            }).then(function (response) {
              return response.ok ? response.json() : null;
            }).then(showOutputs).catch(function () {});
          }

          function startLog(log) {
            var session = log.getAttribute('data-session');
            var last = Number(log.getAttribute('data-last-event-id')) || 0;
            if (!session || typeof EventSource === 'undefined') { return; }
            var source = new EventSource('/api/v1/sessions/' + encodeURIComponent(session) +
              '/events?after=' + encodeURIComponent(String(last)));
            source.onmessage = function (message) {
              var event;
              try { event = JSON.parse(message.data); } catch (error) { return; }
              if (!event || typeof event.id !== 'number' || event.id <= last) { return; }
              var atBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
              last = event.id;
              log.setAttribute('data-last-event-id', String(last));
              appendEvent(log, event);
              if (event.kind === 'session.state' && event.data) { setState(event.data.to, event.data.reason); }
              if (event.kind === 'session.outputs' || event.kind.indexOf('pull-request.') === 0 ||
                (event.kind === 'session.state' && FINAL.indexOf(event.data && event.data.to) >= 0)) {
                refreshOutputs(session);
              }
              if (atBottom && log.lastElementChild) { log.lastElementChild.scrollIntoView({ block: 'end' }); }
            };
          }

          function start() {
            var page = document.body ? document.body.getAttribute('data-page') : null;
            if (page === 'board') { startBoard(); }
            var log = document.getElementById('log');
            if (log) { startLog(log); }
            if (document.querySelector('time.age')) { setInterval(tickAges, 5000); }
          }

          if (document.readyState === 'loading') {
            document.addEventListener('DOMContentLoaded', start);
          } else {
            start();
          }
        })();
        """#
}
