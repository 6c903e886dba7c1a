/** The most distinct products one order (and so one cart) holds. */
export const MAX_ITEMS = 20;
/** The most units of one product on one line. */
export const MAX_QUANTITY = 100;
