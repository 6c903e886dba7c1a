import type { StoredMessage, MessageView } from './types.ts';

/** Where the web chat loads a photo from (the sandbox serves every file it knows). */
export const fileUrl = (fileId: string) => `/sandbox/files/${encodeURIComponent(fileId)}`;

/** A stored message as the control API and the SSE stream show it. */
export function messageView({ message, from, replyMarkup, parseMode }: StoredMessage): MessageView {
  const photo = message.photo?.at(-1);
  return {
    messageId: message.message_id,
    from,
    text: message.text ?? '',
    ...(message.entities?.length ? { entities: message.entities } : {}),
    ...(message.caption === undefined ? {} : { caption: message.caption }),
    ...(message.caption_entities?.length ? { captionEntities: message.caption_entities } : {}),
    ...(photo
      ? {
          photo: {
            fileId: photo.file_id,
            url: fileUrl(photo.file_id),
            width: photo.width,
            height: photo.height,
          },
        }
      : {}),
    ...(message.contact
      ? {
          contact: {
            phoneNumber: message.contact.phone_number,
            firstName: message.contact.first_name,
            ...(message.contact.user_id === undefined ? {} : { userId: message.contact.user_id }),
          },
        }
      : {}),
    ...(replyMarkup ? { replyMarkup } : {}),
    ...(parseMode ? { parseMode } : {}),
    date: message.date,
    ...(message.edit_date === undefined ? {} : { editDate: message.edit_date }),
  };
}
