export { createSandbox, type Sandbox, type SandboxOptions } from './app.ts';
export { startSandbox, type RunningSandbox, type StartSandboxOptions } from './server.ts';
export { WEB_CHAT_POLICY } from './web/static.ts';
export type {
  CallbackRecord,
  ContactView,
  MessageView,
  PhotoView,
  RecordedCall,
  ReplyMarkup,
  SandboxEvent,
  SandboxUser,
  World,
} from './world/index.ts';
