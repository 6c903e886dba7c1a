/* global document */
import * as api from './api.js';

/** @import { User } from './api.js' */

/**
 * @typedef {{
 *   onSelect: (user: User | undefined) => void,
 *   onError: (error: unknown) => void,
 *   storedUserId: () => number | undefined,
 * }} PanelOptions
 */

/**
 * The sidebar's user list, the header's user picker and the new-user form: all pick the user
 * the page chats as.
 * @param {PanelOptions} options
 */
export function createUsersPanel({ onSelect, onError, storedUserId }) {
  const list = /** @type {HTMLUListElement} */ (document.querySelector('[data-testid="user-list"]'));
  const select = /** @type {HTMLSelectElement} */ (document.querySelector('[data-testid="user-select"]'));
  const form = /** @type {HTMLFormElement} */ (document.querySelector('[data-testid="new-user-form"]'));
  const name = /** @type {HTMLInputElement} */ (document.querySelector('[data-testid="new-user-name"]'));
  const lang = /** @type {HTMLSelectElement} */ (document.querySelector('[data-testid="new-user-lang"]'));
  const peer = /** @type {HTMLElement} */ (document.querySelector('[data-testid="chat-user"]'));
  /** @type {User[]} */
  let users = [];
  /** @type {number | undefined} */
  let selected;

  function render() {
    list.replaceChildren(
      ...users.map((user) => {
        const item = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'user-item';
        button.dataset.testid = 'user-item';
        button.dataset.userId = String(user.id);
        if (user.id === selected) button.setAttribute('aria-current', 'true');
        const avatar = document.createElement('span');
        avatar.className = 'avatar';
        avatar.textContent = user.firstName.slice(0, 1).toUpperCase();
        const label = document.createElement('span');
        label.className = 'user-name';
        label.textContent = user.firstName;
        const details = document.createElement('span');
        details.className = 'user-details';
        details.textContent = `${user.languageCode} · ${user.id}`;
        button.append(avatar, label, details);
        button.addEventListener('click', () => choose(user.id));
        item.append(button);
        return item;
      }),
    );
    const placeholder = document.createElement('option');
    placeholder.value = '';
    placeholder.textContent = users.length > 0 ? 'Choose a user…' : 'No users yet';
    select.replaceChildren(
      placeholder,
      ...users.map((user) => {
        const option = document.createElement('option');
        option.value = String(user.id);
        option.textContent = `${user.firstName} (${user.languageCode})`;
        return option;
      }),
    );
    select.value = selected === undefined ? '' : String(selected);
    const current = users.find((user) => user.id === selected);
    peer.textContent = current ? `Chatting as ${current.firstName}` : '';
  }

  /** @param {number | undefined} id */
  function choose(id) {
    selected = users.some((user) => user.id === id) ? id : undefined;
    render();
    onSelect(users.find((user) => user.id === selected));
  }

  /**
   * Reloads the list; keeps the chosen user, else the remembered one, else the newest.
   * @returns {Promise<boolean>} whether the chosen user changed (and onSelect ran)
   */
  async function reload() {
    try {
      users = await api.listUsers();
    } catch (error) {
      onError(error);
      return false;
    }
    const keep = [selected, storedUserId(), users.at(-1)?.id].find((id) =>
      users.some((user) => user.id === id),
    );
    if (keep === selected && keep !== undefined) {
      render();
      return false;
    }
    choose(keep);
    return true;
  }

  select.addEventListener('change', () => choose(Number(select.value) || undefined));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const firstName = name.value.trim();
    if (!firstName) return;
    api
      .createUser(firstName, lang.value)
      .then((user) => {
        name.value = '';
        users = [...users.filter((known) => known.id !== user.id), user];
        choose(user.id);
      })
      .catch(onError);
  });

  return { reload };
}
