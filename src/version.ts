/** The tool's version, written into reports and index headers. */
export const VERSION = '0.1.0';
