/** What differs between node versions at run time, beside their descriptions. */
export interface VersionSettings {
	/** Wait Budget (minutes) when the option is not set; undefined: no budget (version 1). */
	waitBudgetMinutes?: number;
}
