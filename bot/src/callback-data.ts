// The codec lives in @shop/shared: the notification service builds buttons the bot answers.
export * from '@shop/shared/callback-data';
