import { aircallConnector } from './aircall/index.js';
import { freshdeskConnector } from './freshdesk/index.js';
import { intercomConnector } from './intercom/index.js';
import { liveagentConnector } from './liveagent/index.js';
import { twilioConnector } from './twilio/index.js';
import { voipstudioConnector } from './voipstudio/index.js';
import { eventsConnector } from './events/index.js';
import type { Connector } from './types.js';
import { zendeskConnector } from './zendesk/index.js';

/** Every connector deskpulse knows, by the id used in URLs (`/webhooks/<id>/<tenant>`) and config. */
export const CONNECTORS: Record<string, Connector<unknown, unknown>> = {
  zendesk: zendeskConnector as Connector<unknown, unknown>,
  events: eventsConnector as Connector<unknown, unknown>,
  aircall: aircallConnector as Connector<unknown, unknown>,
  intercom: intercomConnector as Connector<unknown, unknown>,
  twilio: twilioConnector as Connector<unknown, unknown>,
  freshdesk: freshdeskConnector as Connector<unknown, unknown>,
  voipstudio: voipstudioConnector as Connector<unknown, unknown>,
  liveagent: liveagentConnector as Connector<unknown, unknown>,
};
