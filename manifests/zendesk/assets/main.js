/* deskpulse ticket sidebar (Zendesk Apps Framework v2). Every request to deskpulse goes through
 * the Zendesk proxy with a JWT that the proxy signs with the secure `shared_secret` setting, so the
 * secret never reaches this page; deskpulse takes the tenant and the agent from that token. */
(function () {
  'use strict';

  var REFRESH_MS = 30000;
  var client = ZAFClient.init();
  var $ = function (id) {
    return document.getElementById(id);
  };
  var METRIC = { first_response: 'First response', next_response: 'Next response', resolution: 'Resolution' };

  function humanize(seconds) {
    if (seconds === null || seconds === undefined) return '—';
    var negative = seconds < 0;
    var s = Math.round(Math.abs(seconds));
    var pad = function (n) {
      return (n < 10 ? '0' : '') + n;
    };
    var text;
    if (s < 60) text = s + 's';
    else if (s < 3600) text = Math.floor(s / 60) + 'm ' + pad(s % 60) + 's';
    else if (s < 86400) text = Math.floor(s / 3600) + 'h ' + pad(Math.floor((s % 3600) / 60)) + 'm';
    else text = Math.floor(s / 86400) + 'd ' + pad(Math.floor((s % 86400) / 3600)) + 'h';
    return negative ? '-' + text : text;
  }
  function rateText(rate) {
    return rate.rate === null ? '—' : Math.round(rate.rate) + '%';
  }

  var settings = null;
  var context = null;
  var basis = 'calendar';
  var countdowns = [];
  var fetchedAt = 0;

  /** GET a deskpulse path with a signed JWT: HS256, 5 minutes, this account, this agent. */
  function deskpulse(path, claims) {
    var base = settings.deskpulse_url.replace(/\/+$/, '');
    return client.request({
      url: base + path,
      type: 'GET',
      dataType: 'json',
      secure: true,
      jwt: {
        algorithm: 'HS256',
        secret_key: '{{setting.shared_secret}}',
        expiry: 300,
        claims: Object.assign(
          { iss: context.account.subdomain + '.zendesk.com', aud: base, email: context.email },
          claims || {},
        ),
      },
    });
  }

  function show(id, text, className) {
    var element = $(id);
    element.textContent = text;
    element.className = className || '';
  }

  function renderTicket(data) {
    var t = data.ticket;
    basis = data.business_hours ? 'business' : 'calendar';
    fetchedAt = Date.now();
    show(
      'first-response',
      t.first_response ? humanize(t.first_response[basis]) : waitingText(data.waiting, 'first_response'),
    );
    show(
      'waiting',
      data.waiting && data.waiting.kind === 'next_response'
        ? humanize(data.waiting[basis])
        : 'nobody waiting',
    );
    var resolved = t.status === 'solved' || t.status === 'closed';
    show(
      'resolution',
      resolved && t.full_resolution
        ? humanize(t.full_resolution[basis])
        : humanize(t.requester_wait[basis]) + ' (open)',
    );
    show('contacts', String(t.contacts));
    show('calls', String(t.calls_to_resolution));
    show(
      'fcr',
      t.fcr === true ? 'Yes' : t.fcr === false ? 'No' : resolved ? 'n/a' : 'Not yet resolved',
      t.fcr === false ? 'breached' : t.fcr ? 'achieved' : '',
    );
    countdowns = t.sla.map(function (target) {
      return target;
    });
    $('no-sla').hidden = t.sla.length > 0;
    renderSla();
    $('ticket').hidden = false;
  }

  function waitingText(waiting, kind) {
    if (waiting && waiting.kind === kind) return 'waiting ' + humanize(waiting[basis]);
    return '—';
  }

  function renderSla() {
    var elapsed = (Date.now() - fetchedAt) / 1000;
    var list = $('sla');
    while (list.firstChild) list.removeChild(list.firstChild);
    countdowns.forEach(function (target) {
      var li = document.createElement('li');
      li.setAttribute('data-metric', target.metric);
      var name = document.createElement('span');
      name.textContent =
        (METRIC[target.metric] || target.metric) + (target.business_hours ? ' (business)' : '');
      var value = document.createElement('span');
      if (target.status === 'active' && typeof target.remaining_seconds === 'number') {
        var left = target.remaining_seconds - (target.ticking ? elapsed : 0);
        value.textContent =
          left < 0
            ? 'overdue ' + humanize(-left)
            : humanize(left) + ' left' + (target.ticking ? '' : ' (paused)');
        value.className = 'left ' + (left < 0 ? 'overdue' : target.at_risk ? 'at-risk' : '');
      } else {
        value.textContent = target.status;
        value.className = 'left ' + target.status;
      }
      li.appendChild(name);
      li.appendChild(value);
      list.appendChild(li);
    });
  }

  function renderMe(data) {
    $('me-team').textContent = data.team ? '· vs ' + data.team : '· vs everyone';
    $('team-label').textContent = data.team || 'All';
    var b = data.basis;
    var rows = [
      [
        'FRT median',
        humanize(data.mine.first_response[b].median),
        humanize(data.team_summary.first_response[b].median),
      ],
      [
        'Resolution median',
        humanize(data.mine.full_resolution[b].median),
        humanize(data.team_summary.full_resolution[b].median),
      ],
      ['FCR', rateText(data.mine.fcr), rateText(data.team_summary.fcr)],
      ['SLA', rateText(data.mine.sla), rateText(data.team_summary.sla)],
    ];
    var body = $('me-rows');
    while (body.firstChild) body.removeChild(body.firstChild);
    rows.forEach(function (row) {
      var tr = document.createElement('tr');
      row.forEach(function (cell) {
        var td = document.createElement('td');
        td.textContent = cell;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    $('me').hidden = false;
    $('basis').textContent = 'Durations in ' + b + ' time. Week from ' + data.from.slice(0, 10) + '.';
  }

  function failure(error) {
    var status = error && error.status;
    var reason = error && error.responseJSON && error.responseJSON.reason;
    if (status === 404)
      return error.responseJSON && error.responseJSON.removed
        ? 'deskpulse no longer keeps this ticket: it was resolved longer ago than the retention.'
        : 'deskpulse has not seen this ticket yet.';
    if (status === 401)
      return (
        'deskpulse refused the app’s signature: check the shared secret (' + (reason || 'unauthorized') + ').'
      );
    return 'deskpulse is unreachable' + (reason ? ': ' + reason : '.');
  }

  function refresh() {
    return client.get('ticket.id').then(function (data) {
      var id = data['ticket.id'];
      var ticket = deskpulse('/api/v1/app/tickets/' + encodeURIComponent(id), { ticket: String(id) }).then(
        function (body) {
          $('state').hidden = true;
          renderTicket(body);
        },
        function (error) {
          $('ticket').hidden = true;
          $('state').hidden = false;
          $('state').textContent = failure(error);
          $('state').className = error && error.status === 404 ? 'muted' : 'error';
        },
      );
      var me = deskpulse('/api/v1/app/me').then(renderMe, function () {
        $('me').hidden = true;
      });
      return Promise.all([ticket, me]).then(function () {
        client.invoke('resize', {
          width: '100%',
          height: Math.max(120, document.body.scrollHeight + 8) + 'px',
        });
      });
    });
  }

  Promise.all([client.metadata(), client.context(), client.get('currentUser.email')])
    .then(function (results) {
      settings = results[0].settings;
      context = results[1];
      context.email = results[2]['currentUser.email'];
      return refresh();
    })
    .then(function () {
      setInterval(refresh, REFRESH_MS);
      setInterval(renderSla, 1000);
      client.on('ticket.save', function () {
        setTimeout(refresh, 3000);
      });
    });
})();
