export { createSandbox, type Sandbox, type SandboxOptions } from './app.ts';
export { startSandbox, type RunningSandbox, type StartSandboxOptions } from './server.ts';
export { WEB_CHAT_POLICY } from './web/static.ts';
export { DEFAULT_STARS_BALANCE } from './world/stars.ts';
export { PRE_CHECKOUT_TIMEOUT_MS } from './world/pre-checkout.ts';
export type { PayResult } from './world/checkout.ts';
export type {
  CallbackRecord,
  Charge,
  InvoiceView,
  PaymentView,
  PreCheckoutRecord,
  ContactView,
  MessageView,
  PhotoView,
  RecordedCall,
  ReplyMarkup,
  SandboxEvent,
  SandboxUser,
  World,
} from './world/index.ts';
