/** The default namespace of every channel, lock and storage key (`crossTab.name`). */
export const DEFAULT_NAME = 'sessionkeeper';
