import { describe, expect, it } from 'vitest';
import { event, NEW_YORK_WEEKDAYS, run, tenant, ticketOf } from '../helpers.js';

const at = (hhmm: string, day = '2026-03-03') => `${day}T${hhmm}:00Z`;
const iso = (hhmm: string, day = '2026-03-03') => `${day}T${hhmm}:00.000Z`;
const policy = (targets: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  tenant({ business_hours: NEW_YORK_WEEKDAYS, sla_policies: [{ name: 'p', targets, ...extra }] });
const created = (extra: Record<string, unknown> = {}) =>
  event({ type: 'ticket.created', at: at('15:00'), ticket: 't', ...extra });
const reply = (hhmm: string) =>
  event({ type: 'message', at: at(hhmm), ticket: 't', author: 'agent', agent: 'maria' });
const customer = (hhmm: string) => event({ type: 'message', at: at(hhmm), ticket: 't', author: 'customer' });
const status = (hhmm: string, value: string) =>
  event({ type: 'ticket.updated', at: at(hhmm), ticket: 't', status: value });
const slaOf = (out: ReturnType<typeof run>, metric = 'first_response') =>
  ticketOf(out, 't').sla.filter((target) => target.metric === metric);

describe('first_response target (1 h, calendar)', () => {
  const config = policy({ first_response: '1h' });
  it.each([
    ['15:30', 'active', false],
    ['15:50', 'active', true],
    ['16:05', 'breached', false],
  ])('no reply, now %s: %s, at risk %s', (now, state, atRisk) => {
    const [target] = slaOf(run([created()], { tenant: config, now: at(now) }));
    expect(target).toMatchObject({
      policy: 'p',
      target_seconds: 3600,
      status: state,
      at_risk: atRisk,
      breach_at: iso('16:00'),
    });
    expect(target?.breached_at).toBe(state === 'breached' ? iso('16:00') : null);
  });

  it.each([
    ['15:59', 'achieved'],
    ['16:00', 'achieved'],
    ['16:01', 'breached'],
  ])('reply at %s: %s', (when, state) => {
    const [target] = slaOf(run([created(), reply(when)], { tenant: config, now: at('18:00') }));
    expect(target?.status).toBe(state);
  });

  it('a ticket solved before anyone replied has nothing left to answer: achieved', () => {
    const [target] = slaOf(run([created(), status('15:20', 'solved')], { tenant: config, now: at('18:00') }));
    expect(target?.status).toBe('achieved');
  });

  it('an outbound ticket has no first_response target', () => {
    expect(slaOf(run([created({ outbound: true })], { tenant: config }))).toEqual([]);
  });
});

describe('business-hours targets pause outside open hours', () => {
  it('one business hour from Friday 16:30 is due Monday 09:30 local', () => {
    const config = policy({ first_response: '1h' }, { business_hours: true });
    const out = run([event({ type: 'ticket.created', at: '2026-03-06T16:30:00-05:00', ticket: 't' })], {
      tenant: config,
      now: '2026-03-07T12:00:00Z',
    });
    expect(slaOf(out)[0]).toMatchObject({
      status: 'active',
      at_risk: false,
      breach_at: '2026-03-09T13:30:00.000Z',
    });
  });
});

describe('resolution target (2 h, calendar): pending pauses the clock', () => {
  const config = policy({ resolution: '2h' });
  const events = () => [created(), status('15:30', 'pending'), status('17:00', 'open')];

  it('running again after pending: due later by the time spent pending; at risk at 75 %', () => {
    const [target] = slaOf(run(events(), { tenant: config, now: at('18:00') }), 'resolution');
    // 30 min before pending + 60 min since: 90 of 120 min used.
    expect(target).toMatchObject({ status: 'active', at_risk: true, breach_at: iso('18:30') });
  });

  it('paused while pending', () => {
    const [target] = slaOf(run(events().slice(0, 2), { tenant: config, now: at('16:30') }), 'resolution');
    expect(target).toMatchObject({ status: 'paused', at_risk: false, breach_at: null });
  });

  it('breached once the running time passes the target', () => {
    const [target] = slaOf(run(events(), { tenant: config, now: at('19:00') }), 'resolution');
    expect(target).toMatchObject({ status: 'breached', breached_at: iso('18:30') });
  });

  it('solved in time, reopened, solved late: breached (the latest resolution counts)', () => {
    const out = run(
      [created(), status('15:30', 'solved'), status('16:00', 'open'), status('18:00', 'solved')],
      {
        tenant: config,
        now: at('20:00'),
      },
    );
    expect(slaOf(out, 'resolution')[0]).toMatchObject({ status: 'breached', breached_at: iso('17:30') });
  });

  it('on_hold counts unless the policy pauses it', () => {
    const onHold = [created(), status('15:30', 'on_hold')];
    expect(slaOf(run(onHold, { tenant: config, now: at('16:00') }), 'resolution')[0]?.status).toBe('active');
    const pausing = policy({ resolution: '2h' }, { pause_on_hold: true });
    expect(slaOf(run(onHold, { tenant: pausing, now: at('16:00') }), 'resolution')[0]?.status).toBe('paused');
  });
});

describe('next_response targets: one per customer wait', () => {
  it('each wait is its own target', () => {
    const config = policy({ next_response: '30m' });
    const out = run(
      [
        created(),
        customer('15:00'),
        reply('15:10'),
        customer('15:20'),
        reply('15:40'),
        customer('16:00'),
        reply('17:00'),
        customer('17:10'),
      ],
      {
        tenant: config,
        now: at('17:20'),
      },
    );
    expect(slaOf(out, 'next_response').map((target) => target.status)).toEqual([
      'achieved',
      'breached',
      'active',
    ]);
  });
});

describe('policy selection', () => {
  const config = tenant({
    sla_policies: [
      { name: 'urgent', when: { priority: ['urgent'] }, targets: { first_response: '15m' } },
      { name: 'vip', when: { tags: ['vip', 'enterprise'] }, targets: { first_response: '30m' } },
      { name: 'default', targets: { first_response: '8h' } },
    ],
  });
  it.each([
    [{ priority: 'urgent', tags: ['vip'] }, 'urgent'],
    [{ priority: 'normal', tags: ['enterprise'] }, 'vip'],
    [{ priority: 'normal' }, 'default'],
  ])('%o → %s (the first that matches)', (fields, name) => {
    expect(slaOf(run([created(fields)], { tenant: config }))[0]?.policy).toBe(name);
  });

  it('uses the current state: a priority raised later changes the policy', () => {
    const out = run(
      [
        created({ priority: 'normal' }),
        event({ type: 'ticket.updated', at: at('15:05'), ticket: 't', priority: 'urgent' }),
      ],
      { tenant: config },
    );
    expect(slaOf(out)[0]?.policy).toBe('urgent');
  });
});

describe('SLA in reports', () => {
  it('counts targets that ended in the period: achieved at completion, breached at the breach', () => {
    const config = policy({ first_response: '1h' });
    const out = run([created(), reply('16:30')], {
      tenant: config,
      groupBy: 'none',
      from: at('16:00'),
      to: at('16:01'),
    });
    expect(out.report.groups[0]?.sla).toEqual({ count: 0, eligible: 1, rate: 0 });
    const later = run([created(), reply('16:30')], {
      tenant: config,
      groupBy: 'none',
      from: at('16:01'),
      to: at('23:00'),
    });
    expect(later.report.groups[0]?.sla).toEqual({ count: 0, eligible: 0, rate: null });
  });
});
